-- The polls app of one tenant. Tenant tables are never schema-qualified: the
-- migration runs with search_path set to the tenant's schema.
BEGIN;

CREATE TABLE polls_question (
    id            bigserial PRIMARY KEY,
    question_text varchar(200) NOT NULL CHECK (question_text <> ''),
    pub_date      timestamptz NOT NULL
);

CREATE INDEX polls_question_pub_date ON polls_question (pub_date DESC);

CREATE TABLE polls_choice (
    id          bigserial PRIMARY KEY,
    question_id bigint NOT NULL REFERENCES polls_question (id) ON DELETE CASCADE,
    choice_text varchar(200) NOT NULL CHECK (choice_text <> ''),
    votes       integer NOT NULL DEFAULT 0
);

CREATE INDEX polls_choice_question_id ON polls_choice (question_id);

COMMIT;
