-- The platform admin's own users, login sessions and action log, in a schema
-- of their own (polls_platform, a name no tenant may take). The tables have
-- the shape and names of a tenant's (tenant migration 2), so the same login,
-- session and password code serves both admins: which users a request sees
-- is decided by its search_path alone, so a tenant's users can never log in
-- here, nor platform users on a tenant's site.
BEGIN;

CREATE SCHEMA polls_platform;

CREATE TABLE polls_platform.auth_user (
    id           bigserial PRIMARY KEY,
    -- An argon2id hash in Django's encoding; never the password itself.
    password     varchar(255) NOT NULL,
    last_login   timestamptz,
    is_superuser boolean NOT NULL DEFAULT false,
    username     varchar(150) NOT NULL UNIQUE CHECK (username <> ''),
    email        varchar(254) NOT NULL DEFAULT '',
    is_staff     boolean NOT NULL DEFAULT false,
    is_active    boolean NOT NULL DEFAULT true,
    date_joined  timestamptz NOT NULL DEFAULT now()
);

-- session_key is the SHA-256 of the token in the visitor's cookie.
CREATE TABLE polls_platform.django_session (
    session_key char(64) PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES polls_platform.auth_user (id) ON DELETE CASCADE,
    expire_date timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    flash       text NOT NULL DEFAULT '',
    flash_level varchar(10) NOT NULL DEFAULT ''
);

CREATE INDEX django_session_expire_date ON polls_platform.django_session (expire_date);
CREATE INDEX django_session_user_id ON polls_platform.django_session (user_id);

-- What platform users did to which tenant (content_type 'tenants.tenant',
-- object_id the tenant's schema), written after the change it records. It
-- outlives the tenant: a deleted tenant's entries stay.
CREATE TABLE polls_platform.django_admin_log (
    id             bigserial PRIMARY KEY,
    action_time    timestamptz NOT NULL DEFAULT now(),
    user_id        bigint REFERENCES polls_platform.auth_user (id) ON DELETE SET NULL,
    content_type   varchar(100) NOT NULL,
    object_id      text NOT NULL,
    object_repr    varchar(200) NOT NULL,
    action_flag    smallint NOT NULL CHECK (action_flag IN (1, 2, 3)),
    change_message text NOT NULL DEFAULT ''
);

CREATE INDEX django_admin_log_action_time ON polls_platform.django_admin_log (action_time DESC);
CREATE INDEX django_admin_log_object ON polls_platform.django_admin_log (content_type, object_id);

COMMIT;
