-- Low-stock alerts (issue 11 part 7): a threshold per stock line (NULL = no alert) and when the line
-- last fell to or below it (NULL = not alerted), so an alert is raised once per crossing.
ALTER TABLE stock_levels ADD COLUMN low_stock_threshold BIGINT CHECK (low_stock_threshold >= 0);
ALTER TABLE stock_levels ADD COLUMN low_stock_alerted_at TIMESTAMP;
-- The scheduled check reads only lines that have a threshold.
CREATE INDEX stock_levels_with_threshold ON stock_levels (pharmacy_id)
    WHERE low_stock_threshold IS NOT NULL;
