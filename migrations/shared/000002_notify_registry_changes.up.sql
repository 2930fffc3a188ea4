-- Announce every change of the registry on channel polls_registry, whoever makes
-- it (polls, another polls process, or SQL by hand), so that every running
-- server reloads its in-memory routes.
BEGIN;

CREATE FUNCTION public.polls_registry_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('polls_registry', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

CREATE TRIGGER tenants_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.tenants
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify();
CREATE TRIGGER domains_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.domains
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify();

COMMIT;
