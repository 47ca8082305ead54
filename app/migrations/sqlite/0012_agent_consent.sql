-- Agent filing (代办, issue #7): a resident's consent (授权委托) for a service-point agent, its append-only audit,
-- and the agent recorded on the case filed with it. Times are Unix seconds (UTC); dates are ISO `YYYY-MM-DD`.

-- One consent: which agent may act for which resident's account, on which theme, for what (`scope`: comma-separated
-- codes of domain::consent::Scope), until which day (inclusive), given how (`method`: account = confirmed by the
-- resident in their own account). `status`: pending → approved | declined; approved → revoked.
CREATE TABLE consent (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    agent_id            INTEGER NOT NULL REFERENCES account (id),
    resident_account_id INTEGER NOT NULL REFERENCES account (id),
    resident_name       TEXT    NOT NULL,
    resident_id_masked  TEXT    NOT NULL,   -- never the whole number
    theme_id            TEXT    NOT NULL,
    scope               TEXT    NOT NULL,
    valid_until         TEXT    NOT NULL,
    method              TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    created_at          INTEGER NOT NULL,
    decided_at          INTEGER,
    revoked_at          INTEGER
);
CREATE INDEX consent_agent ON consent (agent_id, id);
CREATE INDEX consent_resident ON consent (resident_account_id, id);

-- Every change of a consent: who, what, when, from which address. Append-only (the triggers refuse changes).
CREATE TABLE consent_audit (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    consent_id INTEGER NOT NULL REFERENCES consent (id),
    at         INTEGER NOT NULL,
    actor_id   INTEGER NOT NULL REFERENCES account (id),
    actor_role TEXT    NOT NULL,
    action     TEXT    NOT NULL,   -- requested | approved | declined | revoked
    address    TEXT
);
CREATE INDEX consent_audit_consent ON consent_audit (consent_id, id);

CREATE TRIGGER consent_audit_no_update BEFORE UPDATE ON consent_audit
BEGIN
    SELECT RAISE(ABORT, 'consent_audit is append-only');
END;
CREATE TRIGGER consent_audit_no_delete BEFORE DELETE ON consent_audit
BEGIN
    SELECT RAISE(ABORT, 'consent_audit is append-only');
END;

-- A case filed by an agent belongs to the resident (account_id); the agent and the consent it was filed under.
ALTER TABLE hall_case ADD COLUMN filed_by_agent INTEGER REFERENCES account (id);
ALTER TABLE hall_case ADD COLUMN consent_id INTEGER REFERENCES consent (id);
CREATE INDEX hall_case_agent ON hall_case (filed_by_agent, id);
