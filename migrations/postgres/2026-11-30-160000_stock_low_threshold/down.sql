DROP INDEX stock_levels_with_threshold;
ALTER TABLE stock_levels DROP COLUMN low_stock_alerted_at;
ALTER TABLE stock_levels DROP COLUMN low_stock_threshold;
