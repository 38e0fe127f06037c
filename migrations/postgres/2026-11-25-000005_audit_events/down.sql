-- Dropping the table drops its triggers; the function goes last.
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
