-- Each tenant schema is owned by a PostgreSQL role of its own (NOLOGIN); a
-- request's transaction switches to it, so PostgreSQL itself refuses any access
-- to another tenant's schema or to this registry. NULL: a tenant from before
-- roles, or one created in search_path-only mode; `polls migrate` gives it one.
BEGIN;
ALTER TABLE public.tenants ADD COLUMN role_name text UNIQUE;
COMMIT;
