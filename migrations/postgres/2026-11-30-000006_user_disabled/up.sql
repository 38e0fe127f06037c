-- A disabled account cannot log in, refresh or act; NULL = enabled. Disabling keeps the row, so the
-- audit trail's actor ids still name someone.
ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP;
