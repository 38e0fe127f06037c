-- Local records: pharmacies and their stock; imports never touch them.
CREATE TABLE pharmacies (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    address TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX pharmacies_by_name ON pharmacies (name, id);

CREATE TABLE stock_levels (
    pharmacy_id TEXT NOT NULL REFERENCES pharmacies (id),
    medicine_id TEXT NOT NULL REFERENCES medicines (id),
    quantity BIGINT NOT NULL CHECK (quantity >= 0),
    price_minor BIGINT NOT NULL CHECK (price_minor >= 0),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    version BIGINT NOT NULL CHECK (version >= 1),
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (pharmacy_id, medicine_id)
);
CREATE INDEX stock_levels_by_medicine ON stock_levels (medicine_id);
