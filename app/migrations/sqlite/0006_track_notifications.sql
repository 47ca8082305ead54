-- Progress lookup without an account and notifications (issue #6). See app/src/server/track.rs and
-- app/src/server/notifications.rs.

-- The sign-in throttle's table now counts failures of several kinds: `scope` names the kind ('login', 'track'),
-- `account_key` holds what the scope counts by (the account typed, the case number asked for).
ALTER TABLE login_failure ADD COLUMN scope TEXT NOT NULL DEFAULT 'login';
CREATE INDEX login_failure_scope_key ON login_failure (scope, account_key, at);
CREATE INDEX login_failure_scope_address ON login_failure (scope, address, at);

-- In-app notifications: one per change of a case, for the account that filed it (the applicant, or the agent who
-- filed for them). The text is built at render time from `code` and `params` (JSON), in the reader's language.
CREATE TABLE notification (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES account (id),
    case_id    INTEGER NOT NULL REFERENCES hall_case (id),
    code       TEXT    NOT NULL,
    params     TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    read_at    TEXT
);
CREATE INDEX notification_account ON notification (account_id, id);

-- Messages for external channels (sms, email) that a real gateway would drain: nothing here is sent. The
-- recipient is stored masked (for the operator's eyes); the gateway reads the real address from the case's form
-- (`payload.to_field`) when it sends, so this table holds no full phone number or e-mail address.
CREATE TABLE notification_outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    notification_id  INTEGER REFERENCES notification (id),
    case_id          INTEGER NOT NULL REFERENCES hall_case (id),
    channel          TEXT    NOT NULL,          -- sms | email
    recipient_masked TEXT    NOT NULL,
    template_code    TEXT    NOT NULL,
    payload          TEXT    NOT NULL,          -- JSON: case number, change, where the address comes from
    created_at       TEXT    NOT NULL,
    sent_at          TEXT,
    attempts         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notification_outbox_pending ON notification_outbox (channel, sent_at, id);
