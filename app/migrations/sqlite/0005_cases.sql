-- Cases (办件), their per-department tasks and the append-only history of both. See app/src/server/cases.rs.
-- States are the domain's JSON (domain::case_flow); `status` columns repeat the state's name for queries.

CREATE TABLE hall_case (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    number       TEXT    NOT NULL UNIQUE,       -- 办件编号, printed on every notice
    lookup_code  TEXT    NOT NULL,              -- 查询码: random, on the receipt, never derived from the ID number
    draft_id     TEXT    NOT NULL UNIQUE,       -- one case per draft: a repeated submission finds the first
    theme_id     TEXT    NOT NULL,
    account_id   INTEGER REFERENCES account (id),
    answers      TEXT    NOT NULL,              -- the scenario answers (query string)
    fields       TEXT    NOT NULL,              -- the merged form as submitted (JSON: field id -> text)
    state        TEXT    NOT NULL,              -- JSON of domain::case_flow::CaseState
    status       TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,    -- optimistic concurrency
    submitted_at TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX hall_case_account ON hall_case (account_id, submitted_at);
CREATE INDEX hall_case_status ON hall_case (status, submitted_at);

CREATE TABLE case_task (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       INTEGER NOT NULL REFERENCES hall_case (id),
    step_id       TEXT    NOT NULL,
    position      INTEGER NOT NULL,             -- the step's number on the roadmap
    item_id       TEXT    NOT NULL,
    department_id TEXT    NOT NULL,
    kind          TEXT    NOT NULL,             -- department | applicant_todo
    task          TEXT    NOT NULL,             -- JSON of domain::case_flow::Task (state, clock, limits, inputs)
    status        TEXT    NOT NULL,
    planned_due   TEXT,                         -- the roadmap's plan at submission, if started that day
    committed_due TEXT,                         -- set when the clock starts; NULL while waiting or untimed
    statutory_due TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    updated_at    TEXT    NOT NULL,
    UNIQUE (case_id, step_id)
);
CREATE INDEX case_task_queue ON case_task (department_id, status, committed_due);
CREATE INDEX case_task_case ON case_task (case_id, position);

CREATE TABLE case_event (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       INTEGER NOT NULL REFERENCES hall_case (id),
    task_id       INTEGER REFERENCES case_task (id),
    at            TEXT    NOT NULL,
    actor_account INTEGER,                      -- NULL for the system (deemed acceptance, unlocking)
    actor_role    TEXT    NOT NULL,
    address       TEXT,                         -- where the request came from
    action        TEXT    NOT NULL,
    from_status   TEXT,
    to_status     TEXT    NOT NULL,
    entry         TEXT    NOT NULL              -- JSON of the domain's history entry (reasons, items, promise)
);
CREATE INDEX case_event_case ON case_event (case_id, id);
