ALTER TABLE public.tenants DROP COLUMN language, DROP COLUMN languages;
