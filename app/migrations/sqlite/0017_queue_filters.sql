-- The queues' filters (new, due soon, overdue, waiting) from indexes led by status (issue #9). The window's: over the
-- same cases as `hall_case_window` (0016), which orders by day first, so a filter had to walk the whole backlog to
-- find its cases. Here each status is one range already in the window's order, so a filter's list reads its first
-- entries and its total counts only its own. It holds every column the filters read (the row id comes with every
-- SQLite index), so the list picks its cases' ids without visiting the table. See workbench::window_sql.
CREATE INDEX hall_case_window_status
    ON hall_case (status, COALESCE(window_due, '9999-12-31'), number, open_tasks, window_due)
    WHERE status IN ('submitted', 'correction_requested', 'accepted_with_shortfall')
       OR (status = 'accepted' AND open_tasks = 0);

-- The same for a department's queue under a filter (new, due soon, overdue, waiting): `case_task_open_department`
-- (0015) orders a department's open tasks by due date whatever their status, so a filter walked all of them; here
-- each status of a department is one range in the queue's order, holding the "new" filter's columns too.
CREATE INDEX case_task_open_status
    ON case_task (department_id, status, COALESCE(due_on, '9999-12-31'), id, paused_days, extended)
    WHERE status IN ('in_review', 'awaiting_applicant', 'to_do');
