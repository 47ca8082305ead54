-- Evaluation (好差评), follow-ups (整改) and consultation (咨询) with published FAQs (issue #7). See
-- app/src/server/feedback.rs and app/src/server/consultation.rs; the rules are app/src/domain/feedback.rs.

-- One rating per task or case: `subject` is 'task:{case_task.id}' or 'case:{hall_case.id}', unique, so a second
-- rating (a double post, two tabs) fails on the key and changes nothing. `department_id` is the department
-- responsible (the task's, or the theme's lead department for the whole case).
CREATE TABLE rating (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    subject       TEXT    NOT NULL UNIQUE,
    case_id       INTEGER NOT NULL REFERENCES hall_case (id),
    task_id       INTEGER REFERENCES case_task (id),
    account_id    INTEGER NOT NULL REFERENCES account (id),
    department_id TEXT    NOT NULL,
    level         TEXT    NOT NULL,             -- domain::feedback::Level code
    comment       TEXT,
    rated_at      TEXT    NOT NULL
);
CREATE INDEX rating_case ON rating (case_id);
CREATE INDEX rating_department ON rating (department_id, level);

-- A poor rating's follow-up for the responsible department, due in working days (catalog follow_up_days).
CREATE TABLE follow_up (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    rating_id     INTEGER NOT NULL UNIQUE REFERENCES rating (id),
    case_id       INTEGER NOT NULL REFERENCES hall_case (id),
    department_id TEXT    NOT NULL,
    due_on        TEXT    NOT NULL,
    status        TEXT    NOT NULL,             -- open | closed
    response      TEXT,
    responded_by  INTEGER REFERENCES account (id),
    responded_at  TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX follow_up_department ON follow_up (department_id, status, due_on);
CREATE INDEX follow_up_status ON follow_up (status, due_on);

-- A citizen's question on an item or a theme, in the department's queue until answered (catalog
-- consultation_days working days).
CREATE TABLE consultation (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id    INTEGER NOT NULL REFERENCES account (id),
    item_id       TEXT,
    theme_id      TEXT,
    department_id TEXT    NOT NULL,
    question      TEXT    NOT NULL,
    asked_at      TEXT    NOT NULL,
    due_on        TEXT    NOT NULL,
    status        TEXT    NOT NULL,             -- open | answered
    answer        TEXT,
    answered_by   INTEGER REFERENCES account (id),
    answered_at   TEXT
);
CREATE INDEX consultation_department ON consultation (department_id, status, due_on);
CREATE INDEX consultation_account ON consultation (account_id, id);

-- 常见问题: the officer's edited question and answer (never the asker's text as typed), shown on the item page.
CREATE TABLE faq (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id         TEXT    NOT NULL,
    department_id   TEXT    NOT NULL,
    question        TEXT    NOT NULL,
    answer          TEXT    NOT NULL,
    consultation_id INTEGER UNIQUE REFERENCES consultation (id),
    published_by    INTEGER NOT NULL REFERENCES account (id),
    published_at    TEXT    NOT NULL
);
CREATE INDEX faq_item ON faq (item_id, id);

-- Notifications that belong to no case (a question answered): `case_id` becomes optional and `link` says where the
-- notification leads. SQLite cannot drop NOT NULL, so the table is rebuilt; the outbox rows that point at it are
-- set aside and put back so no foreign key is broken on the way.
CREATE TABLE notification_outbox_keep AS SELECT * FROM notification_outbox;
DELETE FROM notification_outbox;
CREATE TABLE notification_new (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES account (id),
    case_id    INTEGER REFERENCES hall_case (id),
    code       TEXT    NOT NULL,
    params     TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    read_at    TEXT,
    link       TEXT
);
INSERT INTO notification_new (id, account_id, case_id, code, params, created_at, read_at)
    SELECT id, account_id, case_id, code, params, created_at, read_at FROM notification;
DROP TABLE notification;
ALTER TABLE notification_new RENAME TO notification;
CREATE INDEX notification_account ON notification (account_id, id);
INSERT INTO notification_outbox SELECT * FROM notification_outbox_keep;
DROP TABLE notification_outbox_keep;
