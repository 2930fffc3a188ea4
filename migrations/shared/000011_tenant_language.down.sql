ALTER TABLE public.tenants DROP COLUMN IF EXISTS language, DROP COLUMN IF EXISTS languages;
