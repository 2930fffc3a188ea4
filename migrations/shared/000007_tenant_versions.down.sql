BEGIN;
ALTER TABLE public.tenants DROP COLUMN migration_error;
ALTER TABLE public.tenants DROP COLUMN migration_state;
ALTER TABLE public.tenants DROP COLUMN schema_version;
COMMIT;
