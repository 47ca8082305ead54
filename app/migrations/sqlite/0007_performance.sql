-- Supervision by department and theme, a department's performance, and files handed in for a correction (补正).
-- See app/src/server/performance.rs and app/src/server/corrections.rs.
--
-- The task's figures that aggregates need are kept in columns, written with the task's JSON by every action
-- (case_actions::update_task), so the dashboards are SQL aggregates over indexes, never a loop over every task:
--   theme_id        the case's theme (copied once: it never changes)
--   due_on          the date the clock shows: the committed due date, else the statutory one (NULL: no clock)
--   ended_on        the day the decision was made (approved or refused)
--   handled_days    working days from start to decision, the applicant's correction pauses left out
--   committed_days  the committed limit in working days (with an extension), NULL when it is not in working days
--   extended        1 once the task was extended (art. 42)
ALTER TABLE case_task ADD COLUMN theme_id TEXT;
ALTER TABLE case_task ADD COLUMN due_on TEXT;
ALTER TABLE case_task ADD COLUMN ended_on TEXT;
ALTER TABLE case_task ADD COLUMN handled_days INTEGER;
ALTER TABLE case_task ADD COLUMN committed_days INTEGER;
ALTER TABLE case_task ADD COLUMN extended INTEGER NOT NULL DEFAULT 0;

-- Tasks written before: what SQL can recover (handling days need the holiday calendar, so they stay NULL and
-- such tasks are left out of the averages).
UPDATE case_task SET theme_id = (SELECT c.theme_id FROM hall_case c WHERE c.id = case_task.case_id);
UPDATE case_task SET due_on = COALESCE(committed_due, statutory_due);
UPDATE case_task SET ended_on = json_extract(task, '$.clock.stopped_on') WHERE status IN ('approved', 'refused');
UPDATE case_task SET extended = 1 WHERE json_extract(task, '$.clock.extension') IS NOT NULL;

-- Open tasks by clock (overdue, due soon), per department and per theme; ended tasks per department and theme.
CREATE INDEX case_task_status_due ON case_task (status, due_on);
CREATE INDEX case_task_status_department ON case_task (status, department_id, due_on);
CREATE INDEX case_task_status_theme ON case_task (status, theme_id, due_on);
CREATE INDEX case_task_department_extended ON case_task (department_id, extended);

-- A file handed in again for a correction request: the history entry (case_event) of that request.
ALTER TABLE upload ADD COLUMN correction_event INTEGER REFERENCES case_event (id);
CREATE INDEX upload_correction ON upload (draft_id, correction_event);
