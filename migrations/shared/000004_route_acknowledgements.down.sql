BEGIN;
CREATE OR REPLACE FUNCTION public.polls_registry_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('polls_registry', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;
DROP TABLE IF EXISTS public.route_acks;
DROP TABLE IF EXISTS public.registry_version;
COMMIT;
