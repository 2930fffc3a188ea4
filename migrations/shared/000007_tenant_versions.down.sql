BEGIN;
ALTER TABLE public.tenants DROP COLUMN schema_version, DROP COLUMN migration_state, DROP COLUMN migration_error;
COMMIT;
