-- Each tenant's schema version as its migrations leave it, written in the
-- same transaction as the migration, and whether one is running or failed:
-- a server whose code needs a later version shows such a tenant a
-- maintenance page instead of errors. NULL: not recorded yet (the next
-- `polls migrate` records it).
BEGIN;
ALTER TABLE public.tenants
    ADD COLUMN schema_version bigint,
    ADD COLUMN migration_state text NOT NULL DEFAULT 'idle'
        CHECK (migration_state IN ('idle', 'migrating', 'failed')),
    ADD COLUMN migration_error text;
COMMIT;
