-- Catalogue: version counter, ingredients and products.
CREATE TABLE catalogue_state (
    id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
    catalogue_version BIGINT NOT NULL CHECK (catalogue_version >= 0)
);
INSERT INTO catalogue_state (id, catalogue_version) VALUES (1, 0);

CREATE TABLE ingredients (
    ingredient_key TEXT PRIMARY KEY NOT NULL,
    inn_name TEXT,
    us_name TEXT,
    -- JSON array of RxNorm concept ids, in source order.
    rxcuis TEXT NOT NULL,
    has_otc_product BOOLEAN NOT NULL
);

CREATE TABLE ingredient_classes (
    ingredient_key TEXT NOT NULL REFERENCES ingredients (ingredient_key),
    kind TEXT NOT NULL CHECK (kind IN ('epc', 'moa')),
    position INTEGER NOT NULL CHECK (position >= 0),
    class_name TEXT NOT NULL,
    PRIMARY KEY (ingredient_key, kind, position)
);
CREATE INDEX ingredient_classes_by_class ON ingredient_classes (kind, class_name);

CREATE TABLE ingredient_synonyms (
    ingredient_key TEXT NOT NULL REFERENCES ingredients (ingredient_key),
    synonym TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (ingredient_key, synonym, source)
);
CREATE INDEX ingredient_synonyms_by_synonym ON ingredient_synonyms (synonym);

CREATE TABLE medicines (
    id TEXT PRIMARY KEY NOT NULL,
    brand_name TEXT NOT NULL,
    -- Lower-cased brand name and ingredient keys, one per line: substring search without lower().
    search_text TEXT NOT NULL,
    strength TEXT NOT NULL,
    dose_form TEXT NOT NULL,
    route TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('otc', 'rx')),
    -- JSON array of therapeutic-equivalence codes.
    te_codes TEXT NOT NULL,
    applicant TEXT,
    application TEXT,
    approval_date TEXT,
    reference_listed_drug BOOLEAN NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('imported', 'local')),
    source TEXT,
    CHECK ((origin = 'imported' AND source IS NOT NULL) OR (origin = 'local' AND source IS NULL))
);
CREATE INDEX medicines_by_brand_name ON medicines (brand_name, id);
CREATE INDEX medicines_by_dose_form ON medicines (dose_form);
CREATE INDEX medicines_by_origin ON medicines (origin);

CREATE TABLE medicine_ingredients (
    medicine_id TEXT NOT NULL REFERENCES medicines (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    ingredient_key TEXT NOT NULL REFERENCES ingredients (ingredient_key),
    as_labelled TEXT NOT NULL,
    strength_label TEXT,
    PRIMARY KEY (medicine_id, position)
);
CREATE INDEX medicine_ingredients_by_ingredient ON medicine_ingredients (ingredient_key);
