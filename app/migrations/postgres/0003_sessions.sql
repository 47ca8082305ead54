-- Accounts and sessions (issue #6). Times are Unix seconds (BIGINT), compared in SQL on both backends.

-- Self-registered citizens sign in with their mobile number; the resident ID is recorded as declared (real-name
-- verification happens at the window, not here). Several NULLs do not collide in a UNIQUE index.
ALTER TABLE account ADD COLUMN mobile TEXT;
ALTER TABLE account ADD COLUMN resident_id TEXT;
CREATE UNIQUE INDEX account_mobile ON account (mobile);

-- A signed-in browser. `id` is the SHA-256 (hex) of the random token in the cookie: a copy of this table does not
-- let anyone sign in. `expires_at` slides with use (idle limit) but never passes `absolute_expires_at`.
CREATE TABLE session (
    id                  TEXT   PRIMARY KEY,
    account_id          BIGINT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at          BIGINT NOT NULL,
    last_seen_at        BIGINT NOT NULL,
    expires_at          BIGINT NOT NULL,
    absolute_expires_at BIGINT NOT NULL,
    user_agent          TEXT,
    address             TEXT
);
CREATE INDEX session_account ON session (account_id);
CREATE INDEX session_expires ON session (expires_at);

-- Failed sign-ins, for throttling per account and per client address; shared by every instance on the database.
CREATE TABLE login_failure (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_key TEXT   NOT NULL,  -- what was typed as the account, normalised (may name no account)
    address     TEXT   NOT NULL,
    at          BIGINT NOT NULL
);
CREATE INDEX login_failure_account ON login_failure (account_key, at);
CREATE INDEX login_failure_address ON login_failure (address, at);
