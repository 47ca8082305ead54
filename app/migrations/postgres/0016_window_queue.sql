-- The window's queue (issue #9) from an ordered partial index, like the officers' (0015): its list walks the
-- cases at the window in due order and stops at the limit, and its totals count index entries, so neither grows
-- with the cases ever submitted. See workbench::window_cases.

-- The day the window's clock shows for a case (CaseState::window_due): the 行政许可法 art. 32 acceptance deadline
-- while submitted, the 容缺 promise's deadline while accepted with a shortfall, else NULL. Written with the state
-- by every writer; cases from before this migration get theirs at start-up (workbench::fill_window_due).
ALTER TABLE hall_case ADD COLUMN window_due TEXT;

-- How many of the case's tasks have not ended (waiting, in review, awaiting the applicant, to do): 0 on an
-- accepted case means it is ready for 统一窗口出件. Kept by the statement trigger below, so every writer keeps it
-- true.
ALTER TABLE hall_case ADD COLUMN open_tasks BIGINT NOT NULL DEFAULT 0;
UPDATE hall_case c SET open_tasks = o.n
FROM (SELECT case_id, COUNT(*) AS n FROM case_task
      WHERE status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do') GROUP BY case_id) o
WHERE c.id = o.case_id;

-- One update per case a statement changed: tasks that became open count +1, those that stopped being open -1
-- (a statement touches one case's tasks in the app; the generator's bulk inserts, many).
CREATE FUNCTION case_task_open_change() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE hall_case c SET open_tasks = c.open_tasks + d.delta
        FROM (SELECT case_id, COUNT(*) AS delta FROM new_rows
              WHERE status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do') GROUP BY case_id) d
        WHERE c.id = d.case_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE hall_case c SET open_tasks = c.open_tasks - d.delta
        FROM (SELECT case_id, COUNT(*) AS delta FROM old_rows
              WHERE status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do') GROUP BY case_id) d
        WHERE c.id = d.case_id;
    ELSE
        UPDATE hall_case c SET open_tasks = c.open_tasks + d.delta
        FROM (SELECT r.case_id, SUM(r.s) AS delta
              FROM (SELECT case_id, -1 AS s FROM old_rows
                    WHERE status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do')
                    UNION ALL
                    SELECT case_id, 1 FROM new_rows
                    WHERE status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do')) r
              GROUP BY r.case_id HAVING SUM(r.s) <> 0) d
        WHERE c.id = d.case_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER case_task_open_insert AFTER INSERT ON case_task REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION case_task_open_change();
CREATE TRIGGER case_task_open_update AFTER UPDATE ON case_task REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION case_task_open_change();
CREATE TRIGGER case_task_open_delete AFTER DELETE ON case_task REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION case_task_open_change();

-- The case tally (0015) rewrote its row on every update of a case, status changed or not (the trigger above and
-- every state write are such updates): now only statuses whose count changes are written.
CREATE OR REPLACE FUNCTION hall_case_tally_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_tally AS t (status, n)
    SELECT r.status, SUM(r.s) FROM (SELECT -1::BIGINT AS s, o.status FROM old_rows o UNION ALL SELECT 1::BIGINT, n.status FROM new_rows n) r
    GROUP BY r.status HAVING SUM(r.s) <> 0 ORDER BY r.status
    ON CONFLICT (status) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END $$;

-- The window's cases, earliest due first (untimed last), then by number (workbench's order); the index holds every
-- column the filters and the total read, so counting is an index-only scan.
CREATE INDEX hall_case_window ON hall_case (COALESCE(window_due, '9999-12-31'), number, status, open_tasks)
    WHERE status IN ('submitted', 'correction_requested', 'accepted_with_shortfall')
       OR (status = 'accepted' AND open_tasks = 0);
