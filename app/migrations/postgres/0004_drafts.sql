-- Application drafts (the merged form being filled) and the scanned materials uploaded for them.
-- See app/src/server/drafts.rs. Kept in the database so every server instance sees the same draft.

CREATE TABLE draft (
    id          TEXT    PRIMARY KEY,          -- random, unguessable (it is also the resume link)
    theme_id    TEXT    NOT NULL,
    account_id  BIGINT  REFERENCES account (id),
    answers     TEXT    NOT NULL,             -- the scenario answers as a query string (a.entity=company&...)
    fields      TEXT    NOT NULL DEFAULT '{}', -- the form as typed: JSON object, field id -> raw text
    sections    TEXT    NOT NULL DEFAULT '[]', -- the sections submitted at least once (their errors are shown)
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    case_id     BIGINT                         -- set once submitted: the draft is then read-only
);
CREATE INDEX draft_account ON draft (account_id, updated_at);

CREATE TABLE upload (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draft_id     TEXT    NOT NULL REFERENCES draft (id) ON DELETE CASCADE,
    material_id  TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,             -- as the applicant named it, for display only
    content_type TEXT    NOT NULL,             -- from the content, not the name
    size         BIGINT  NOT NULL,
    sha256       TEXT    NOT NULL,
    bytes        BYTEA   NOT NULL,
    created_at   TEXT    NOT NULL
);
CREATE INDEX upload_draft ON upload (draft_id, material_id);
