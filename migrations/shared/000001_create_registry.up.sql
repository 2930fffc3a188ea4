-- The tenant registry. Shared tables always name the public schema.
BEGIN;

CREATE TABLE public.tenants (
    id          bigserial PRIMARY KEY,
    schema_name text NOT NULL UNIQUE
                CHECK (schema_name ~ '^[a-z_][a-z0-9_]{0,62}$' AND schema_name !~ '^pg_'
                       AND schema_name NOT IN ('public', 'information_schema')),
    name        text NOT NULL DEFAULT '',
    paid_until  date,
    on_trial    boolean NOT NULL DEFAULT false,
    -- ready is false while createtenant builds the schema: such a tenant is never routed.
    ready       boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE public.domains (
    id         bigserial PRIMARY KEY,
    domain     text NOT NULL UNIQUE CHECK (domain = lower(domain) AND domain <> ''),
    tenant_id  bigint NOT NULL REFERENCES public.tenants (id) ON DELETE CASCADE,
    is_primary boolean NOT NULL DEFAULT false
);

CREATE INDEX domains_tenant_id ON public.domains (tenant_id);
-- At most one primary domain per tenant.
CREATE UNIQUE INDEX domains_one_primary ON public.domains (tenant_id) WHERE is_primary;

COMMIT;
