-- Registry notifications say which tenants a change touched and the registry
-- version it made ("v:42 ids:7,9"), so that a running server reloads the
-- routes of those tenants only, and acknowledges exactly the version it has
-- applied. A rollout over 10,000 tenants changes each tenant's row twice;
-- reloading every route for each change cost each server CPU and memory for
-- nothing. A change too large to list, and TRUNCATE, still say "all".
BEGIN;

CREATE FUNCTION public.polls_registry_notify_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
    ids text;
BEGIN
    IF TG_TABLE_NAME = 'tenants' THEN
        IF TG_OP = 'INSERT' THEN
            SELECT string_agg(DISTINCT id::text, ',') INTO ids FROM changed_new;
        ELSIF TG_OP = 'DELETE' THEN
            SELECT string_agg(DISTINCT id::text, ',') INTO ids FROM changed_old;
        ELSE
            SELECT string_agg(DISTINCT id::text, ',') INTO ids
            FROM (SELECT id FROM changed_new UNION SELECT id FROM changed_old) c;
        END IF;
    ELSE
        IF TG_OP = 'INSERT' THEN
            SELECT string_agg(DISTINCT tenant_id::text, ',') INTO ids FROM changed_new;
        ELSIF TG_OP = 'DELETE' THEN
            SELECT string_agg(DISTINCT tenant_id::text, ',') INTO ids FROM changed_old;
        ELSE
            SELECT string_agg(DISTINCT tenant_id::text, ',') INTO ids
            FROM (SELECT tenant_id FROM changed_new UNION SELECT tenant_id FROM changed_old) c;
        END IF;
    END IF;
    IF ids IS NULL THEN
        RETURN NULL; -- no row changed: no version, nothing to reload
    END IF;
    UPDATE public.registry_version SET version = version + 1 RETURNING version INTO v;
    IF length(ids) > 7000 THEN
        ids := 'all';
    END IF;
    PERFORM pg_notify('polls_registry', 'v:' || v || ' ids:' || ids);
    RETURN NULL;
END;
$$;

DROP TRIGGER tenants_notify ON public.tenants;
DROP TRIGGER domains_notify ON public.domains;

CREATE TRIGGER tenants_notify_insert AFTER INSERT ON public.tenants REFERENCING NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify_rows();
CREATE TRIGGER tenants_notify_update AFTER UPDATE ON public.tenants REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify_rows();
CREATE TRIGGER tenants_notify_delete AFTER DELETE ON public.tenants REFERENCING OLD TABLE AS changed_old
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify_rows();
CREATE TRIGGER tenants_notify_truncate AFTER TRUNCATE ON public.tenants
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify();

CREATE TRIGGER domains_notify_insert AFTER INSERT ON public.domains REFERENCING NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify_rows();
CREATE TRIGGER domains_notify_update AFTER UPDATE ON public.domains REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify_rows();
CREATE TRIGGER domains_notify_delete AFTER DELETE ON public.domains REFERENCING OLD TABLE AS changed_old
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify_rows();
CREATE TRIGGER domains_notify_truncate AFTER TRUNCATE ON public.domains
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify();

COMMIT;
