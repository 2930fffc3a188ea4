-- The platform's users have the shape of a tenant's (tenant migration 3):
-- a first and a last name, blank allowed. One code path (app/admin's login,
-- models.User) reads both.
ALTER TABLE polls_platform.auth_user
    ADD COLUMN first_name varchar(150) NOT NULL DEFAULT '',
    ADD COLUMN last_name  varchar(150) NOT NULL DEFAULT '';
