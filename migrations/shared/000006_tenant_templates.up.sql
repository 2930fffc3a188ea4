-- The structure a new tenant starts with, recorded once per set of tenant
-- migrations (keyed by a digest of their files) so that createtenant runs a
-- few statements in one transaction instead of replaying every migration.
-- polls writes a row after migrating a scratch schema with that set and
-- reading its catalog; a row is never edited, only replaced.
BEGIN;
CREATE TABLE public.tenant_templates (
    digest      text PRIMARY KEY,
    version     bigint NOT NULL,
    ddl         text NOT NULL,
    -- Why this set cannot be recorded (an object polls cannot copy): tenants
    -- are then built by replaying the migrations. NULL when ddl is usable.
    unusable    text,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
COMMIT;
