-- The queues' filters (new, due soon, overdue, waiting) from indexes led by status (issue #9). The window's: over the
-- same cases as `hall_case_window` (0016), which orders by day first. PostgreSQL misjudges that index's OR predicate
-- (it expected 3 rows where there were 810) and took the status index instead, reading and sorting every matching
-- case's row. Here each status is one range already in the window's order, so a filter's list reads its first
-- entries and its total counts only its own. It includes the row id and every column the filters read, so the list
-- picks its cases' ids by an index-only scan. See workbench::window_sql.
CREATE INDEX hall_case_window_status
    ON hall_case (status, COALESCE(window_due, '9999-12-31'), number) INCLUDE (id, open_tasks, window_due)
    WHERE status IN ('submitted', 'correction_requested', 'accepted_with_shortfall')
       OR (status = 'accepted' AND open_tasks = 0);

-- The same for a department's queue under a filter (new, due soon, overdue, waiting): `case_task_open_department`
-- (0015) orders a department's open tasks by due date whatever their status, so a filter walked all of them (or,
-- as PostgreSQL chose, read every in-review task of the department and sorted them: 38 ms at a million cases);
-- here each status of a department is one range in the queue's order.
CREATE INDEX case_task_open_status
    ON case_task (department_id, status, COALESCE(due_on, '9999-12-31'), id) INCLUDE (paused_days, extended)
    WHERE status IN ('in_review', 'awaiting_applicant', 'to_do');

-- Supervision's overdue and due-soon lists (performance::clock_list) are ordered by due date, then id. These
-- indexes had the due date only, so PostgreSQL read every task in the range (2,801 due soon at 300,000 cases) and
-- sorted them for the first 100: 26 ms, growing with the cases. With the id they give the list's order and stop
-- at its limit (1.9 ms). SQLite's indexes end with the row id, which is case_task.id, so they already did.
DROP INDEX case_task_status_due;
DROP INDEX case_task_status_department;
DROP INDEX case_task_status_theme;
CREATE INDEX case_task_status_due ON case_task (status, due_on, id);
CREATE INDEX case_task_status_department ON case_task (status, department_id, due_on, id);
CREATE INDEX case_task_status_theme ON case_task (status, theme_id, due_on, id);
