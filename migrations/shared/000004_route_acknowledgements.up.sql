-- Every registry change bumps one version number in the same transaction, and
-- every running server records the version its routes were last loaded at
-- (keyed by the PostgreSQL backend of its LISTEN connection, so a server that
-- is gone no longer counts). deletetenant waits until every running server
-- routes at or past its change before it drops anything.
BEGIN;

CREATE TABLE public.registry_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  bigint NOT NULL
);
INSERT INTO public.registry_version (version) VALUES (0);

CREATE TABLE public.route_acks (
    listener_pid integer PRIMARY KEY,
    version      bigint NOT NULL,
    loaded_at    timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION public.polls_registry_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE public.registry_version SET version = version + 1;
    PERFORM pg_notify('polls_registry', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;

COMMIT;
