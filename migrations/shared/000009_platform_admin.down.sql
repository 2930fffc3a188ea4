BEGIN;
DROP INDEX IF EXISTS public.tenants_name;
DROP INDEX IF EXISTS public.tenants_created_at;
DROP SCHEMA IF EXISTS polls_platform CASCADE;
COMMIT;
