ALTER TABLE polls_platform.auth_user DROP COLUMN first_name, DROP COLUMN last_name;
