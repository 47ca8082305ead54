-- The window's queue (issue #9) from an ordered partial index, like the officers' (0015): its list walks the
-- cases at the window in due order and stops at the limit, and its totals count index entries, so neither grows
-- with the cases ever submitted. See workbench::window_cases.

-- The day the window's clock shows for a case (CaseState::window_due): the 行政许可法 art. 32 acceptance deadline
-- while submitted, the 容缺 promise's deadline while accepted with a shortfall, else NULL. Written with the state
-- by every writer; cases from before this migration get theirs at start-up (workbench::fill_window_due).
ALTER TABLE hall_case ADD COLUMN window_due TEXT;

-- How many of the case's tasks have not ended (waiting, in review, awaiting the applicant, to do): 0 on an
-- accepted case means it is ready for 统一窗口出件. Kept by the triggers below, so every writer keeps it true.
ALTER TABLE hall_case ADD COLUMN open_tasks INTEGER NOT NULL DEFAULT 0;
UPDATE hall_case SET open_tasks = (SELECT COUNT(*) FROM case_task t WHERE t.case_id = hall_case.id
    AND t.status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do'));

CREATE TRIGGER case_task_open_insert AFTER INSERT ON case_task
    WHEN NEW.status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do')
BEGIN
    UPDATE hall_case SET open_tasks = open_tasks + 1 WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_task_open_delete AFTER DELETE ON case_task
    WHEN OLD.status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do')
BEGIN
    UPDATE hall_case SET open_tasks = open_tasks - 1 WHERE id = OLD.case_id;
END;
CREATE TRIGGER case_task_open_update AFTER UPDATE OF status, case_id ON case_task
    WHEN OLD.case_id <> NEW.case_id
      OR (OLD.status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do'))
         <> (NEW.status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do'))
BEGIN
    UPDATE hall_case SET open_tasks = open_tasks - 1 WHERE id = OLD.case_id
        AND OLD.status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do');
    UPDATE hall_case SET open_tasks = open_tasks + 1 WHERE id = NEW.case_id
        AND NEW.status IN ('waiting', 'in_review', 'awaiting_applicant', 'to_do');
END;

-- The window's cases, earliest due first (untimed last), then by number (workbench's order); the index holds every
-- column the filters and the total read, so counting never visits the table.
CREATE INDEX hall_case_window ON hall_case (COALESCE(window_due, '9999-12-31'), number, status, open_tasks)
    WHERE status IN ('submitted', 'correction_requested', 'accepted_with_shortfall')
       OR (status = 'accepted' AND open_tasks = 0);
