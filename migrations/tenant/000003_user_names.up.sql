-- Django's auth_user has a first and a last name (150 characters each, blank
-- allowed); users imported from Django keep theirs, and the admin edits them.
ALTER TABLE auth_user
    ADD COLUMN first_name varchar(150) NOT NULL DEFAULT '',
    ADD COLUMN last_name  varchar(150) NOT NULL DEFAULT '';
