-- The security audit trail (issue #10): sign-ins, failed sign-ins, sign-outs, throttled attempts, refused
-- submissions and every refusal of access (a record that is not the viewer's, an action outside their role or
-- department, a bad API token). State changes have their own trails (history, admin_audit, consent_audit).
-- Who (`account_id` when known), what (`kind`, `target`), when (`at`, Unix seconds, UTC) and where (`address`).
-- Nothing personal is kept beyond the account id: a failed sign-in's typed login is not stored (it may be a
-- mobile number). Append-only: the trigger refuses changes and deletions.
CREATE TABLE security_event (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         BIGINT NOT NULL,
    kind       TEXT   NOT NULL,
    account_id BIGINT REFERENCES account (id),
    target     TEXT,
    address    TEXT
);
CREATE INDEX security_event_at ON security_event (at);
CREATE INDEX security_event_account ON security_event (account_id, id);

CREATE FUNCTION security_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'security_event is append-only';
END;
$$;
CREATE TRIGGER security_event_no_change BEFORE UPDATE OR DELETE ON security_event
    FOR EACH ROW EXECUTE FUNCTION security_event_append_only();
