-- Administration (issue #6): disabled accounts, API tokens for department systems, and the administrators' audit
-- trail. Times are Unix seconds (UTC).

-- A disabled account cannot sign in and its sessions are gone; NULL = active.
ALTER TABLE account ADD COLUMN disabled_at INTEGER;

-- A department system's API token. Only the SHA-256 (hex) of the secret is kept, with its first characters to
-- recognise it in lists; the secret is shown once, when created.
CREATE TABLE api_token (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT    NOT NULL,
    department_id TEXT    NOT NULL,
    prefix        TEXT    NOT NULL,
    token_hash    TEXT    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES account (id),
    last_used_at  INTEGER,
    revoked_at    INTEGER
);

-- Every change an administrator makes: who, what, when, from which address. Append-only (the triggers refuse
-- changes and deletions).
CREATE TABLE admin_audit (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    at                INTEGER NOT NULL,
    actor_id          INTEGER NOT NULL REFERENCES account (id),
    actor_name        TEXT    NOT NULL,
    target_account_id INTEGER REFERENCES account (id),
    target_token_id   INTEGER REFERENCES api_token (id),
    action            TEXT    NOT NULL,
    detail            TEXT,
    address           TEXT
);
CREATE INDEX admin_audit_account ON admin_audit (target_account_id, id);
CREATE INDEX admin_audit_token ON admin_audit (target_token_id, id);

CREATE TRIGGER admin_audit_no_update BEFORE UPDATE ON admin_audit
BEGIN
    SELECT RAISE(ABORT, 'admin_audit is append-only');
END;
CREATE TRIGGER admin_audit_no_delete BEFORE DELETE ON admin_audit
BEGIN
    SELECT RAISE(ABORT, 'admin_audit is append-only');
END;
