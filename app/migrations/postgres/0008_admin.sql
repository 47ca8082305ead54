-- Administration (issue #6): disabled accounts, API tokens for department systems, and the administrators' audit
-- trail. Times are Unix seconds (UTC, BIGINT).

-- A disabled account cannot sign in and its sessions are gone; NULL = active.
ALTER TABLE account ADD COLUMN disabled_at BIGINT;

-- A department system's API token. Only the SHA-256 (hex) of the secret is kept, with its first characters to
-- recognise it in lists; the secret is shown once, when created.
CREATE TABLE api_token (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT   NOT NULL,
    department_id TEXT   NOT NULL,
    prefix        TEXT   NOT NULL,
    token_hash    TEXT   NOT NULL UNIQUE,
    created_at    BIGINT NOT NULL,
    created_by    BIGINT NOT NULL REFERENCES account (id),
    last_used_at  BIGINT,
    revoked_at    BIGINT
);

-- Every change an administrator makes: who, what, when, from which address. Append-only (the trigger refuses
-- changes and deletions).
CREATE TABLE admin_audit (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at                BIGINT NOT NULL,
    actor_id          BIGINT NOT NULL REFERENCES account (id),
    actor_name        TEXT   NOT NULL,
    target_account_id BIGINT REFERENCES account (id),
    target_token_id   BIGINT REFERENCES api_token (id),
    action            TEXT   NOT NULL,
    detail            TEXT,
    address           TEXT
);
CREATE INDEX admin_audit_account ON admin_audit (target_account_id, id);
CREATE INDEX admin_audit_token ON admin_audit (target_token_id, id);

CREATE FUNCTION admin_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'admin_audit is append-only';
END;
$$;
CREATE TRIGGER admin_audit_no_change BEFORE UPDATE OR DELETE ON admin_audit
    FOR EACH ROW EXECUTE FUNCTION admin_audit_append_only();
