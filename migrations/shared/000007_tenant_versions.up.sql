-- Each tenant's schema version as the registry knows it, kept by every
-- migration run in the same transaction as the migration, so a server can
-- tell a tenant that is behind its code, being migrated, or whose migration
-- failed, without reading the tenant's own schema_migrations table.
BEGIN;
-- NULL: not recorded yet (a tenant made before this column, until its next
-- `polls migrate`).
ALTER TABLE public.tenants ADD COLUMN schema_version bigint;
-- 'migrating' is committed before a tenant's migration starts; the migration's
-- own transaction sets 'idle' again, a failure 'failed' with migration_error.
ALTER TABLE public.tenants ADD COLUMN migration_state text NOT NULL DEFAULT 'idle'
    CHECK (migration_state IN ('idle', 'migrating', 'failed'));
ALTER TABLE public.tenants ADD COLUMN migration_error text;
COMMIT;
