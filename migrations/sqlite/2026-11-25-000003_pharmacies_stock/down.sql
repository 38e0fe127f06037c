DROP TABLE stock_levels;
DROP TABLE pharmacies;
