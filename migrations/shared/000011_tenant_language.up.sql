-- Each tenant speaks a language (issue 21): its public pages and its admin
-- are written in it. languages says whether a visitor's Accept-Language may
-- pick another language polls speaks ('any') or not ('own'). The default
-- 'en' is what tenants made before this migration keep; new tenants get
-- tenancy.default_language from polls (app/i18n lists the languages).
ALTER TABLE public.tenants
    ADD COLUMN language  text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr')),
    ADD COLUMN languages text NOT NULL DEFAULT 'own' CHECK (languages IN ('own', 'any'));
