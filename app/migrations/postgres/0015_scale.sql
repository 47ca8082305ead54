-- Scale (issue #9): the staff queue and supervision read maintained tallies and ordered partial indexes, so their
-- cost does not grow with the number of cases. See app/src/server/performance.rs and workbench.rs.

-- Working days a task's clock was paused for corrections (the queue's "new" filter: in review, never paused or
-- extended), kept with the other figures by case_actions::update_task.
ALTER TABLE case_task ADD COLUMN paused_days BIGINT NOT NULL DEFAULT 0;
UPDATE case_task SET paused_days = COALESCE((task::json -> 'clock' ->> 'paused_days')::BIGINT, 0);

-- The queue: open tasks of a department (or all), earliest due first (untimed last), in index order with a LIMIT.
CREATE INDEX case_task_open_department ON case_task (department_id, COALESCE(due_on, '9999-12-31'), id, status)
    WHERE status IN ('in_review', 'awaiting_applicant', 'to_do');
CREATE INDEX case_task_open_all ON case_task (COALESCE(due_on, '9999-12-31'), id, status)
    WHERE status IN ('in_review', 'awaiting_applicant', 'to_do');
-- The window's queue: cases waiting for it, oldest first.
CREATE INDEX hall_case_status_id ON hall_case (status, id);

-- Tasks counted by what supervision and the queue group and filter on. `due_on` is the task's due date only while
-- it is in review (the overdue and due-soon figures), '' otherwise; `fresh` is 1 for a task in review never paused
-- or extended. The sums are the decided tasks' figures (performance::figures). Kept by the statement triggers
-- below (one upsert per statement, so a bulk insert costs one aggregate, not one per row).
CREATE TABLE task_tally (
    department_id     TEXT   NOT NULL,
    theme_id          TEXT   NOT NULL,
    status            TEXT   NOT NULL,
    due_on            TEXT   NOT NULL,
    fresh             BIGINT NOT NULL,
    n                 BIGINT NOT NULL DEFAULT 0,
    extended          BIGINT NOT NULL DEFAULT 0,
    handled_sum       BIGINT NOT NULL DEFAULT 0,
    handled_n         BIGINT NOT NULL DEFAULT 0,
    committed_sum     BIGINT NOT NULL DEFAULT 0,
    committed_n       BIGINT NOT NULL DEFAULT 0,
    on_time_committed BIGINT NOT NULL DEFAULT 0,
    with_committed    BIGINT NOT NULL DEFAULT 0,
    on_time_statutory BIGINT NOT NULL DEFAULT 0,
    with_statutory    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (department_id, theme_id, status, due_on, fresh)
);
CREATE INDEX task_tally_status ON task_tally (status, due_on);

-- Cases counted by status.
CREATE TABLE case_tally (
    status TEXT   PRIMARY KEY,
    n      BIGINT NOT NULL DEFAULT 0
);

-- The triggers: the rows a statement put in count +1, the rows it took out -1, summed per tally key and upserted in
-- key order (so concurrent writers lock tally rows in the same order).
CREATE FUNCTION case_task_tally_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_tally AS t (department_id, theme_id, status, due_on, fresh, n, extended, handled_sum,
        handled_n, committed_sum, committed_n, on_time_committed, with_committed, on_time_statutory, with_statutory)
    SELECT k.department_id, k.theme_key, k.status, k.due_key, k.fresh_key, SUM(k.s), SUM(k.s * k.ext),
           SUM(k.s * COALESCE(k.handled_days, 0)), SUM(CASE WHEN k.handled_days IS NULL THEN 0 ELSE k.s END),
           SUM(k.s * COALESCE(k.committed_days, 0)), SUM(CASE WHEN k.committed_days IS NULL THEN 0 ELSE k.s END),
           SUM(k.s * k.otc), SUM(CASE WHEN k.committed_due IS NULL THEN 0 ELSE k.s END),
           SUM(k.s * k.ots), SUM(CASE WHEN k.statutory_due IS NULL THEN 0 ELSE k.s END)
    FROM (SELECT r.s, r.department_id, r.status, r.handled_days, r.committed_days, r.committed_due,
                 r.statutory_due, COALESCE(r.theme_id, '') AS theme_key,
                 CASE WHEN r.status = 'in_review' THEN COALESCE(r.due_on, '') ELSE '' END AS due_key,
                 CASE WHEN r.status = 'in_review' AND r.paused_days = 0 AND r.extended = 0 THEN 1 ELSE 0 END AS fresh_key,
                 CASE WHEN r.extended <> 0 THEN 1 ELSE 0 END AS ext,
                 CASE WHEN r.ended_on <= r.committed_due THEN 1 ELSE 0 END AS otc,
                 CASE WHEN r.ended_on <= r.statutory_due THEN 1 ELSE 0 END AS ots
          FROM (SELECT 1::BIGINT AS s, n.* FROM new_rows n) r) k
    GROUP BY k.department_id, k.theme_key, k.status, k.due_key, k.fresh_key
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (department_id, theme_id, status, due_on, fresh) DO UPDATE SET
        n = t.n + excluded.n, extended = t.extended + excluded.extended,
        handled_sum = t.handled_sum + excluded.handled_sum, handled_n = t.handled_n + excluded.handled_n,
        committed_sum = t.committed_sum + excluded.committed_sum, committed_n = t.committed_n + excluded.committed_n,
        on_time_committed = t.on_time_committed + excluded.on_time_committed,
        with_committed = t.with_committed + excluded.with_committed,
        on_time_statutory = t.on_time_statutory + excluded.on_time_statutory,
        with_statutory = t.with_statutory + excluded.with_statutory;
    RETURN NULL;
END $$;
CREATE FUNCTION case_task_tally_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_tally AS t (department_id, theme_id, status, due_on, fresh, n, extended, handled_sum,
        handled_n, committed_sum, committed_n, on_time_committed, with_committed, on_time_statutory, with_statutory)
    SELECT k.department_id, k.theme_key, k.status, k.due_key, k.fresh_key, SUM(k.s), SUM(k.s * k.ext),
           SUM(k.s * COALESCE(k.handled_days, 0)), SUM(CASE WHEN k.handled_days IS NULL THEN 0 ELSE k.s END),
           SUM(k.s * COALESCE(k.committed_days, 0)), SUM(CASE WHEN k.committed_days IS NULL THEN 0 ELSE k.s END),
           SUM(k.s * k.otc), SUM(CASE WHEN k.committed_due IS NULL THEN 0 ELSE k.s END),
           SUM(k.s * k.ots), SUM(CASE WHEN k.statutory_due IS NULL THEN 0 ELSE k.s END)
    FROM (SELECT r.s, r.department_id, r.status, r.handled_days, r.committed_days, r.committed_due,
                 r.statutory_due, COALESCE(r.theme_id, '') AS theme_key,
                 CASE WHEN r.status = 'in_review' THEN COALESCE(r.due_on, '') ELSE '' END AS due_key,
                 CASE WHEN r.status = 'in_review' AND r.paused_days = 0 AND r.extended = 0 THEN 1 ELSE 0 END AS fresh_key,
                 CASE WHEN r.extended <> 0 THEN 1 ELSE 0 END AS ext,
                 CASE WHEN r.ended_on <= r.committed_due THEN 1 ELSE 0 END AS otc,
                 CASE WHEN r.ended_on <= r.statutory_due THEN 1 ELSE 0 END AS ots
          FROM (SELECT -1::BIGINT AS s, o.* FROM old_rows o UNION ALL SELECT 1::BIGINT, n.* FROM new_rows n) r) k
    GROUP BY k.department_id, k.theme_key, k.status, k.due_key, k.fresh_key
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (department_id, theme_id, status, due_on, fresh) DO UPDATE SET
        n = t.n + excluded.n, extended = t.extended + excluded.extended,
        handled_sum = t.handled_sum + excluded.handled_sum, handled_n = t.handled_n + excluded.handled_n,
        committed_sum = t.committed_sum + excluded.committed_sum, committed_n = t.committed_n + excluded.committed_n,
        on_time_committed = t.on_time_committed + excluded.on_time_committed,
        with_committed = t.with_committed + excluded.with_committed,
        on_time_statutory = t.on_time_statutory + excluded.on_time_statutory,
        with_statutory = t.with_statutory + excluded.with_statutory;
    RETURN NULL;
END $$;
CREATE FUNCTION case_task_tally_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO task_tally AS t (department_id, theme_id, status, due_on, fresh, n, extended, handled_sum,
        handled_n, committed_sum, committed_n, on_time_committed, with_committed, on_time_statutory, with_statutory)
    SELECT k.department_id, k.theme_key, k.status, k.due_key, k.fresh_key, SUM(k.s), SUM(k.s * k.ext),
           SUM(k.s * COALESCE(k.handled_days, 0)), SUM(CASE WHEN k.handled_days IS NULL THEN 0 ELSE k.s END),
           SUM(k.s * COALESCE(k.committed_days, 0)), SUM(CASE WHEN k.committed_days IS NULL THEN 0 ELSE k.s END),
           SUM(k.s * k.otc), SUM(CASE WHEN k.committed_due IS NULL THEN 0 ELSE k.s END),
           SUM(k.s * k.ots), SUM(CASE WHEN k.statutory_due IS NULL THEN 0 ELSE k.s END)
    FROM (SELECT r.s, r.department_id, r.status, r.handled_days, r.committed_days, r.committed_due,
                 r.statutory_due, COALESCE(r.theme_id, '') AS theme_key,
                 CASE WHEN r.status = 'in_review' THEN COALESCE(r.due_on, '') ELSE '' END AS due_key,
                 CASE WHEN r.status = 'in_review' AND r.paused_days = 0 AND r.extended = 0 THEN 1 ELSE 0 END AS fresh_key,
                 CASE WHEN r.extended <> 0 THEN 1 ELSE 0 END AS ext,
                 CASE WHEN r.ended_on <= r.committed_due THEN 1 ELSE 0 END AS otc,
                 CASE WHEN r.ended_on <= r.statutory_due THEN 1 ELSE 0 END AS ots
          FROM (SELECT -1::BIGINT AS s, o.* FROM old_rows o) r) k
    GROUP BY k.department_id, k.theme_key, k.status, k.due_key, k.fresh_key
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (department_id, theme_id, status, due_on, fresh) DO UPDATE SET
        n = t.n + excluded.n, extended = t.extended + excluded.extended,
        handled_sum = t.handled_sum + excluded.handled_sum, handled_n = t.handled_n + excluded.handled_n,
        committed_sum = t.committed_sum + excluded.committed_sum, committed_n = t.committed_n + excluded.committed_n,
        on_time_committed = t.on_time_committed + excluded.on_time_committed,
        with_committed = t.with_committed + excluded.with_committed,
        on_time_statutory = t.on_time_statutory + excluded.on_time_statutory,
        with_statutory = t.with_statutory + excluded.with_statutory;
    RETURN NULL;
END $$;

CREATE TRIGGER case_task_tally_insert AFTER INSERT ON case_task REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION case_task_tally_insert();
CREATE TRIGGER case_task_tally_update AFTER UPDATE ON case_task REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION case_task_tally_update();
CREATE TRIGGER case_task_tally_delete AFTER DELETE ON case_task REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION case_task_tally_delete();

CREATE FUNCTION hall_case_tally_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_tally AS t (status, n)
    SELECT r.status, SUM(r.s) FROM (SELECT 1::BIGINT AS s, n.status FROM new_rows n) r GROUP BY r.status ORDER BY r.status
    ON CONFLICT (status) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END $$;
CREATE FUNCTION hall_case_tally_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_tally AS t (status, n)
    SELECT r.status, SUM(r.s) FROM (SELECT -1::BIGINT AS s, o.status FROM old_rows o UNION ALL SELECT 1::BIGINT, n.status FROM new_rows n) r GROUP BY r.status ORDER BY r.status
    ON CONFLICT (status) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END $$;
CREATE FUNCTION hall_case_tally_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_tally AS t (status, n)
    SELECT r.status, SUM(r.s) FROM (SELECT -1::BIGINT AS s, o.status FROM old_rows o) r GROUP BY r.status ORDER BY r.status
    ON CONFLICT (status) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END $$;

CREATE TRIGGER hall_case_tally_insert AFTER INSERT ON hall_case REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hall_case_tally_insert();
CREATE TRIGGER hall_case_tally_update AFTER UPDATE ON hall_case REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hall_case_tally_update();
CREATE TRIGGER hall_case_tally_delete AFTER DELETE ON hall_case REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION hall_case_tally_delete();

-- What was there before.
INSERT INTO task_tally (department_id, theme_id, status, due_on, fresh, n, extended, handled_sum, handled_n,
                        committed_sum, committed_n, on_time_committed, with_committed, on_time_statutory,
                        with_statutory)
SELECT department_id, COALESCE(theme_id, ''), status,
       CASE WHEN status = 'in_review' THEN COALESCE(due_on, '') ELSE '' END,
       CASE WHEN status = 'in_review' AND paused_days = 0 AND extended = 0 THEN 1 ELSE 0 END,
       COUNT(*), SUM(CASE WHEN extended <> 0 THEN 1 ELSE 0 END),
       SUM(COALESCE(handled_days, 0)), COUNT(handled_days), SUM(COALESCE(committed_days, 0)), COUNT(committed_days),
       SUM(CASE WHEN ended_on <= committed_due THEN 1 ELSE 0 END), COUNT(committed_due),
       SUM(CASE WHEN ended_on <= statutory_due THEN 1 ELSE 0 END), COUNT(statutory_due)
FROM case_task GROUP BY 1, 2, 3, 4, 5;
INSERT INTO case_tally (status, n) SELECT status, COUNT(*) FROM hall_case GROUP BY status;
