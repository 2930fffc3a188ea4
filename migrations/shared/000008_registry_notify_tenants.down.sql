BEGIN;
DROP TRIGGER tenants_notify_insert ON public.tenants;
DROP TRIGGER tenants_notify_update ON public.tenants;
DROP TRIGGER tenants_notify_delete ON public.tenants;
DROP TRIGGER tenants_notify_truncate ON public.tenants;
DROP TRIGGER domains_notify_insert ON public.domains;
DROP TRIGGER domains_notify_update ON public.domains;
DROP TRIGGER domains_notify_delete ON public.domains;
DROP TRIGGER domains_notify_truncate ON public.domains;
DROP FUNCTION public.polls_registry_notify_rows();
CREATE TRIGGER tenants_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.tenants
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify();
CREATE TRIGGER domains_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON public.domains
    FOR EACH STATEMENT EXECUTE FUNCTION public.polls_registry_notify();
COMMIT;
