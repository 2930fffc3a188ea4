-- Users, login sessions and the admin's action log of one tenant, under
-- Django's table names: each tenant has its own users, so a superuser of one
-- tenant does not exist on another.
BEGIN;

CREATE TABLE auth_user (
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

-- session_key is the SHA-256 of the token in the visitor's cookie, so a copy
-- of this table gives no usable sessions.
CREATE TABLE django_session (
    session_key char(64) PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
    expire_date timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    -- A one-time message for the next page ("The question was added").
    flash       text NOT NULL DEFAULT '',
    flash_level varchar(10) NOT NULL DEFAULT ''
);

CREATE INDEX django_session_expire_date ON django_session (expire_date);
CREATE INDEX django_session_user_id ON django_session (user_id);

-- Written in the same transaction as the change it records. A deleted user's
-- entries stay, without their author.
CREATE TABLE django_admin_log (
    id             bigserial PRIMARY KEY,
    action_time    timestamptz NOT NULL DEFAULT now(),
    user_id        bigint REFERENCES auth_user (id) ON DELETE SET NULL,
    content_type   varchar(100) NOT NULL,
    object_id      text NOT NULL,
    object_repr    varchar(200) NOT NULL,
    action_flag    smallint NOT NULL CHECK (action_flag IN (1, 2, 3)),
    change_message text NOT NULL DEFAULT ''
);

CREATE INDEX django_admin_log_action_time ON django_admin_log (action_time DESC);

COMMIT;
