-- Scale (issue #9): the staff queue and supervision read maintained tallies and ordered partial indexes, so their
-- cost does not grow with the number of cases. See app/src/server/performance.rs and workbench.rs.

-- Working days a task's clock was paused for corrections (the queue's "new" filter: in review, never paused or
-- extended), kept with the other figures by case_actions::update_task.
ALTER TABLE case_task ADD COLUMN paused_days INTEGER NOT NULL DEFAULT 0;
UPDATE case_task SET paused_days = COALESCE(json_extract(task, '$.clock.paused_days'), 0);

-- The queue: open tasks of a department (or all), earliest due first (untimed last), in index order with a LIMIT.
CREATE INDEX case_task_open_department ON case_task (department_id, COALESCE(due_on, '9999-12-31'), id, status)
    WHERE status IN ('in_review', 'awaiting_applicant', 'to_do');
CREATE INDEX case_task_open_all ON case_task (COALESCE(due_on, '9999-12-31'), id, status)
    WHERE status IN ('in_review', 'awaiting_applicant', 'to_do');
-- The window's queue: cases waiting for it, oldest first.
CREATE INDEX hall_case_status_id ON hall_case (status, id);

-- Tasks counted by what supervision and the queue group and filter on. `due_on` is the task's due date only while
-- it is in review (the overdue and due-soon figures), '' otherwise; `fresh` is 1 for a task in review never paused
-- or extended. The sums are the decided tasks' figures (performance::figures). Kept by the triggers below, so
-- every writer (submission, actions, the generator) keeps it true.
CREATE TABLE task_tally (
    department_id     TEXT    NOT NULL,
    theme_id          TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    due_on            TEXT    NOT NULL,
    fresh             INTEGER NOT NULL,
    n                 INTEGER NOT NULL DEFAULT 0,
    extended          INTEGER NOT NULL DEFAULT 0,
    handled_sum       INTEGER NOT NULL DEFAULT 0,
    handled_n         INTEGER NOT NULL DEFAULT 0,
    committed_sum     INTEGER NOT NULL DEFAULT 0,
    committed_n       INTEGER NOT NULL DEFAULT 0,
    on_time_committed INTEGER NOT NULL DEFAULT 0,
    with_committed    INTEGER NOT NULL DEFAULT 0,
    on_time_statutory INTEGER NOT NULL DEFAULT 0,
    with_statutory    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (department_id, theme_id, status, due_on, fresh)
) WITHOUT ROWID;
CREATE INDEX task_tally_status ON task_tally (status, due_on);

-- Cases counted by status.
CREATE TABLE case_tally (
    status TEXT    PRIMARY KEY,
    n      INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TRIGGER case_task_tally_insert AFTER INSERT ON case_task
BEGIN
    INSERT INTO task_tally (department_id, theme_id, status, due_on, fresh, n, extended, handled_sum, handled_n,
                            committed_sum, committed_n, on_time_committed, with_committed, on_time_statutory,
                            with_statutory)
    VALUES (NEW.department_id, COALESCE(NEW.theme_id, ''), NEW.status,
            CASE WHEN NEW.status = 'in_review' THEN COALESCE(NEW.due_on, '') ELSE '' END,
            NEW.status = 'in_review' AND NEW.paused_days = 0 AND NEW.extended = 0,
            1, NEW.extended <> 0, COALESCE(NEW.handled_days, 0), NEW.handled_days IS NOT NULL,
            COALESCE(NEW.committed_days, 0), NEW.committed_days IS NOT NULL,
            COALESCE(NEW.ended_on <= NEW.committed_due, 0), NEW.committed_due IS NOT NULL,
            COALESCE(NEW.ended_on <= NEW.statutory_due, 0), NEW.statutory_due IS NOT NULL)
    ON CONFLICT (department_id, theme_id, status, due_on, fresh) DO UPDATE SET
        n = n + excluded.n, extended = extended + excluded.extended,
        handled_sum = handled_sum + excluded.handled_sum, handled_n = handled_n + excluded.handled_n,
        committed_sum = committed_sum + excluded.committed_sum, committed_n = committed_n + excluded.committed_n,
        on_time_committed = on_time_committed + excluded.on_time_committed,
        with_committed = with_committed + excluded.with_committed,
        on_time_statutory = on_time_statutory + excluded.on_time_statutory,
        with_statutory = with_statutory + excluded.with_statutory;
END;

CREATE TRIGGER case_task_tally_delete AFTER DELETE ON case_task
BEGIN
    UPDATE task_tally SET
        n = n - 1, extended = extended - (OLD.extended <> 0),
        handled_sum = handled_sum - COALESCE(OLD.handled_days, 0), handled_n = handled_n - (OLD.handled_days IS NOT NULL),
        committed_sum = committed_sum - COALESCE(OLD.committed_days, 0),
        committed_n = committed_n - (OLD.committed_days IS NOT NULL),
        on_time_committed = on_time_committed - COALESCE(OLD.ended_on <= OLD.committed_due, 0),
        with_committed = with_committed - (OLD.committed_due IS NOT NULL),
        on_time_statutory = on_time_statutory - COALESCE(OLD.ended_on <= OLD.statutory_due, 0),
        with_statutory = with_statutory - (OLD.statutory_due IS NOT NULL)
    WHERE department_id = OLD.department_id AND theme_id = COALESCE(OLD.theme_id, '') AND status = OLD.status
      AND due_on = CASE WHEN OLD.status = 'in_review' THEN COALESCE(OLD.due_on, '') ELSE '' END
      AND fresh = (OLD.status = 'in_review' AND OLD.paused_days = 0 AND OLD.extended = 0);
END;

-- An update is the old row taken out and the new one put in (the same statements as above).
CREATE TRIGGER case_task_tally_update AFTER UPDATE OF department_id, theme_id, status, due_on, paused_days, extended,
    handled_days, committed_days, ended_on, committed_due, statutory_due ON case_task
BEGIN
    UPDATE task_tally SET
        n = n - 1, extended = extended - (OLD.extended <> 0),
        handled_sum = handled_sum - COALESCE(OLD.handled_days, 0), handled_n = handled_n - (OLD.handled_days IS NOT NULL),
        committed_sum = committed_sum - COALESCE(OLD.committed_days, 0),
        committed_n = committed_n - (OLD.committed_days IS NOT NULL),
        on_time_committed = on_time_committed - COALESCE(OLD.ended_on <= OLD.committed_due, 0),
        with_committed = with_committed - (OLD.committed_due IS NOT NULL),
        on_time_statutory = on_time_statutory - COALESCE(OLD.ended_on <= OLD.statutory_due, 0),
        with_statutory = with_statutory - (OLD.statutory_due IS NOT NULL)
    WHERE department_id = OLD.department_id AND theme_id = COALESCE(OLD.theme_id, '') AND status = OLD.status
      AND due_on = CASE WHEN OLD.status = 'in_review' THEN COALESCE(OLD.due_on, '') ELSE '' END
      AND fresh = (OLD.status = 'in_review' AND OLD.paused_days = 0 AND OLD.extended = 0);
    INSERT INTO task_tally (department_id, theme_id, status, due_on, fresh, n, extended, handled_sum, handled_n,
                            committed_sum, committed_n, on_time_committed, with_committed, on_time_statutory,
                            with_statutory)
    VALUES (NEW.department_id, COALESCE(NEW.theme_id, ''), NEW.status,
            CASE WHEN NEW.status = 'in_review' THEN COALESCE(NEW.due_on, '') ELSE '' END,
            NEW.status = 'in_review' AND NEW.paused_days = 0 AND NEW.extended = 0,
            1, NEW.extended <> 0, COALESCE(NEW.handled_days, 0), NEW.handled_days IS NOT NULL,
            COALESCE(NEW.committed_days, 0), NEW.committed_days IS NOT NULL,
            COALESCE(NEW.ended_on <= NEW.committed_due, 0), NEW.committed_due IS NOT NULL,
            COALESCE(NEW.ended_on <= NEW.statutory_due, 0), NEW.statutory_due IS NOT NULL)
    ON CONFLICT (department_id, theme_id, status, due_on, fresh) DO UPDATE SET
        n = n + excluded.n, extended = extended + excluded.extended,
        handled_sum = handled_sum + excluded.handled_sum, handled_n = handled_n + excluded.handled_n,
        committed_sum = committed_sum + excluded.committed_sum, committed_n = committed_n + excluded.committed_n,
        on_time_committed = on_time_committed + excluded.on_time_committed,
        with_committed = with_committed + excluded.with_committed,
        on_time_statutory = on_time_statutory + excluded.on_time_statutory,
        with_statutory = with_statutory + excluded.with_statutory;
END;

CREATE TRIGGER hall_case_tally_insert AFTER INSERT ON hall_case
BEGIN
    INSERT INTO case_tally (status, n) VALUES (NEW.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER hall_case_tally_delete AFTER DELETE ON hall_case
BEGIN
    UPDATE case_tally SET n = n - 1 WHERE status = OLD.status;
END;
CREATE TRIGGER hall_case_tally_update AFTER UPDATE OF status ON hall_case WHEN OLD.status <> NEW.status
BEGIN
    UPDATE case_tally SET n = n - 1 WHERE status = OLD.status;
    INSERT INTO case_tally (status, n) VALUES (NEW.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;

-- What was there before.
INSERT INTO task_tally (department_id, theme_id, status, due_on, fresh, n, extended, handled_sum, handled_n,
                        committed_sum, committed_n, on_time_committed, with_committed, on_time_statutory,
                        with_statutory)
SELECT department_id, theme_key, status, due_key, fresh_key, COUNT(*), SUM(extended <> 0),
       SUM(COALESCE(handled_days, 0)), COUNT(handled_days), SUM(COALESCE(committed_days, 0)), COUNT(committed_days),
       SUM(COALESCE(ended_on <= committed_due, 0)), COUNT(committed_due),
       SUM(COALESCE(ended_on <= statutory_due, 0)), COUNT(statutory_due)
FROM (SELECT *, COALESCE(theme_id, '') AS theme_key,
             CASE WHEN status = 'in_review' THEN COALESCE(due_on, '') ELSE '' END AS due_key,
             (status = 'in_review' AND paused_days = 0 AND extended = 0) AS fresh_key FROM case_task)
GROUP BY department_id, theme_key, status, due_key, fresh_key;
INSERT INTO case_tally (status, n) SELECT status, COUNT(*) FROM hall_case GROUP BY status;
