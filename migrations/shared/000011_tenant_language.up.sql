-- Each tenant speaks a language (issue 21): its public pages and its admin
-- are written in it. languages says whether a visitor's Accept-Language may
-- pick another language polls speaks ('any') or not ('own'). The default
-- 'en' is what tenants made before this migration keep; new tenants get
-- tenancy.default_language from polls (app/i18n lists the languages). IF NOT
-- EXISTS: a database rewound to an earlier version (tests do so) runs it again.
ALTER TABLE public.tenants
    ADD COLUMN IF NOT EXISTS language  text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr')),
    ADD COLUMN IF NOT EXISTS languages text NOT NULL DEFAULT 'own' CHECK (languages IN ('own', 'any'));
