-- The department integration API (issue #7): who acted through it, answers to repeated requests, and signed
-- webhooks with their delivery log. Times are Unix seconds (UTC). See app/src/server/dept_api.rs and webhooks.rs.

-- A history entry written through the API names the token (the department system) that acted.
ALTER TABLE case_event ADD COLUMN api_token_id BIGINT REFERENCES api_token (id);

-- One answer per (task, version) acted on through the API: the same request sent again (a retry after a lost
-- answer) gets the first answer instead of acting twice or a conflict.
CREATE TABLE dept_api_action (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id      BIGINT  NOT NULL REFERENCES case_task (id),
    version      BIGINT  NOT NULL,              -- the version the request named
    token_id     BIGINT  NOT NULL REFERENCES api_token (id),
    request_hash TEXT    NOT NULL,              -- SHA-256 of the request body
    response     TEXT    NOT NULL,              -- the JSON answered
    created_at   BIGINT  NOT NULL,
    UNIQUE (task_id, version)
);

-- Where a department's system wants to hear of its tasks' changes, and the secret the bodies are signed with
-- (kept in the clear: HMAC needs it; shown to the administrator once).
CREATE TABLE dept_webhook (
    department_id TEXT    PRIMARY KEY,
    url           TEXT    NOT NULL,
    secret        TEXT    NOT NULL,
    updated_at    BIGINT  NOT NULL,
    updated_by    BIGINT  NOT NULL REFERENCES account (id)
);

-- The outbox of webhook deliveries, written in the transaction of the change it reports. A worker claims a row
-- (claimed_at), posts it, and records the outcome; a claim older than a minute is taken over.
CREATE TABLE webhook_delivery (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id     TEXT    NOT NULL UNIQUE,    -- X-Hall-Delivery: receivers drop a repeated one
    department_id   TEXT    NOT NULL,
    case_id         BIGINT  NOT NULL REFERENCES hall_case (id),
    task_id         BIGINT  NOT NULL REFERENCES case_task (id),
    event           TEXT    NOT NULL,
    payload         TEXT    NOT NULL,           -- the JSON body, exactly as signed and sent
    created_at      BIGINT  NOT NULL,
    next_attempt_at BIGINT  NOT NULL,
    attempts        BIGINT  NOT NULL DEFAULT 0,
    claimed_at      BIGINT,
    claimed_by      TEXT,
    delivered_at    BIGINT,
    failed_at       BIGINT,                    -- gave up after the last attempt
    last_status     BIGINT,                    -- the receiver's HTTP status
    last_error      TEXT
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (delivered_at, failed_at, next_attempt_at);
CREATE INDEX webhook_delivery_department ON webhook_delivery (department_id, id);
