-- Dropping the table drops its triggers.
DROP TABLE audit_events;
