-- Foundation: accounts and a key/value table for instance-wide facts (e.g. which catalog version is loaded).
CREATE TABLE account (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    login         TEXT   NOT NULL UNIQUE,
    display_name  TEXT   NOT NULL,
    role          TEXT   NOT NULL,
    department_id TEXT,
    password_hash TEXT   NOT NULL,
    created_at    TEXT   NOT NULL
);

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
