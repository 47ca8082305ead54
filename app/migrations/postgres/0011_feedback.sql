-- Evaluation (好差评), follow-ups (整改) and consultation (咨询) with published FAQs (issue #7). See
-- app/src/server/feedback.rs and app/src/server/consultation.rs; the rules are app/src/domain/feedback.rs.

-- One rating per task or case: `subject` is 'task:{case_task.id}' or 'case:{hall_case.id}', unique, so a second
-- rating (a double post, two tabs) fails on the key and changes nothing. `department_id` is the department
-- responsible (the task's, or the theme's lead department for the whole case).
CREATE TABLE rating (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject       TEXT    NOT NULL UNIQUE,
    case_id       BIGINT NOT NULL REFERENCES hall_case (id),
    task_id       BIGINT REFERENCES case_task (id),
    account_id    BIGINT NOT NULL REFERENCES account (id),
    department_id TEXT    NOT NULL,
    level         TEXT    NOT NULL,             -- domain::feedback::Level code
    comment       TEXT,
    rated_at      TEXT    NOT NULL
);
CREATE INDEX rating_case ON rating (case_id);
CREATE INDEX rating_department ON rating (department_id, level);

-- A poor rating's follow-up for the responsible department, due in working days (catalog follow_up_days).
CREATE TABLE follow_up (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rating_id     BIGINT NOT NULL UNIQUE REFERENCES rating (id),
    case_id       BIGINT NOT NULL REFERENCES hall_case (id),
    department_id TEXT    NOT NULL,
    due_on        TEXT    NOT NULL,
    status        TEXT    NOT NULL,             -- open | closed
    response      TEXT,
    responded_by  BIGINT REFERENCES account (id),
    responded_at  TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX follow_up_department ON follow_up (department_id, status, due_on);
CREATE INDEX follow_up_status ON follow_up (status, due_on);

-- A citizen's question on an item or a theme, in the department's queue until answered (catalog
-- consultation_days working days).
CREATE TABLE consultation (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    BIGINT NOT NULL REFERENCES account (id),
    item_id       TEXT,
    theme_id      TEXT,
    department_id TEXT    NOT NULL,
    question      TEXT    NOT NULL,
    asked_at      TEXT    NOT NULL,
    due_on        TEXT    NOT NULL,
    status        TEXT    NOT NULL,             -- open | answered
    answer        TEXT,
    answered_by   BIGINT REFERENCES account (id),
    answered_at   TEXT
);
CREATE INDEX consultation_department ON consultation (department_id, status, due_on);
CREATE INDEX consultation_account ON consultation (account_id, id);

-- 常见问题: the officer's edited question and answer (never the asker's text as typed), shown on the item page.
CREATE TABLE faq (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id         TEXT    NOT NULL,
    department_id   TEXT    NOT NULL,
    question        TEXT    NOT NULL,
    answer          TEXT    NOT NULL,
    consultation_id BIGINT UNIQUE REFERENCES consultation (id),
    published_by    BIGINT NOT NULL REFERENCES account (id),
    published_at    TEXT    NOT NULL
);
CREATE INDEX faq_item ON faq (item_id, id);

-- Notifications that belong to no case (a question answered): `case_id` becomes optional and `link` says where the
-- notification leads.
ALTER TABLE notification ALTER COLUMN case_id DROP NOT NULL;
ALTER TABLE notification ADD COLUMN link TEXT;
