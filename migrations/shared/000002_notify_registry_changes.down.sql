BEGIN;
DROP TRIGGER IF EXISTS domains_notify ON public.domains;
DROP TRIGGER IF EXISTS tenants_notify ON public.tenants;
DROP FUNCTION IF EXISTS public.polls_registry_notify();
COMMIT;
