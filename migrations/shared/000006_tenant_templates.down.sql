BEGIN;
DROP TABLE public.tenant_templates;
COMMIT;
