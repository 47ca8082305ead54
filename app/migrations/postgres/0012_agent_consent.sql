-- Agent filing (代办, issue #7): a resident's consent (授权委托) for a service-point agent, its append-only audit,
-- and the agent recorded on the case filed with it. Times are Unix seconds (UTC, BIGINT); dates are ISO `YYYY-MM-DD`.

-- One consent: which agent may act for which resident's account, on which theme, for what (`scope`: comma-separated
-- codes of domain::consent::Scope), until which day (inclusive), given how (`method`: account = confirmed by the
-- resident in their own account). `status`: pending → approved | declined; approved → revoked.
CREATE TABLE consent (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent_id            BIGINT NOT NULL REFERENCES account (id),
    resident_account_id BIGINT NOT NULL REFERENCES account (id),
    resident_name       TEXT   NOT NULL,
    resident_id_masked  TEXT   NOT NULL,   -- never the whole number
    theme_id            TEXT   NOT NULL,
    scope               TEXT   NOT NULL,
    valid_until         TEXT   NOT NULL,
    method              TEXT   NOT NULL,
    status              TEXT   NOT NULL,
    created_at          BIGINT NOT NULL,
    decided_at          BIGINT,
    revoked_at          BIGINT
);
CREATE INDEX consent_agent ON consent (agent_id, id);
CREATE INDEX consent_resident ON consent (resident_account_id, id);

-- Every change of a consent: who, what, when, from which address. Append-only (the trigger refuses changes).
CREATE TABLE consent_audit (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    consent_id BIGINT NOT NULL REFERENCES consent (id),
    at         BIGINT NOT NULL,
    actor_id   BIGINT NOT NULL REFERENCES account (id),
    actor_role TEXT   NOT NULL,
    action     TEXT   NOT NULL,   -- requested | approved | declined | revoked
    address    TEXT
);
CREATE INDEX consent_audit_consent ON consent_audit (consent_id, id);

CREATE FUNCTION consent_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'consent_audit is append-only';
END;
$$;
CREATE TRIGGER consent_audit_no_change BEFORE UPDATE OR DELETE ON consent_audit
    FOR EACH ROW EXECUTE FUNCTION consent_audit_append_only();

-- A case filed by an agent belongs to the resident (account_id); the agent and the consent it was filed under.
ALTER TABLE hall_case ADD COLUMN filed_by_agent BIGINT REFERENCES account (id);
ALTER TABLE hall_case ADD COLUMN consent_id BIGINT REFERENCES consent (id);
CREATE INDEX hall_case_agent ON hall_case (filed_by_agent, id);
