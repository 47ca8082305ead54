-- Idempotency keys (issue #10): the first answer to every state-changing request that carried a key, so a retry
-- (a double click, a re-sent form after a dropped connection, a department system's retry) gets that answer again
-- instead of acting twice. See app/src/server/idempotency.rs and server/src/idempotency.rs.
--
-- `key_hash` is SHA-256 of who sent it (the session or API token, hashed) and the key: one client's keys never
-- collide with another's, and nothing here identifies a session. `request_hash` is SHA-256 of method, path, query
-- and body: the same key with another body is refused. `status` is NULL while the first request runs.
CREATE TABLE idempotency_key (
    key_hash     TEXT   NOT NULL PRIMARY KEY,
    request_hash TEXT   NOT NULL,
    claimed_at   BIGINT NOT NULL,
    status       INTEGER,
    headers      TEXT,
    body         TEXT
);
CREATE INDEX idempotency_key_claimed ON idempotency_key (claimed_at);
