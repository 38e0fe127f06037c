-- Reference knowledge: replaced by imports, never edited locally.
CREATE TABLE indications (
    ingredient_key TEXT NOT NULL REFERENCES ingredients (ingredient_key),
    condition TEXT NOT NULL,
    relation TEXT NOT NULL CHECK (relation IN ('indication', 'disease_modifying', 'symptomatic')),
    umls_cui TEXT,
    snomedct_id TEXT,
    doid TEXT,
    source TEXT NOT NULL,
    PRIMARY KEY (ingredient_key, condition, relation, source)
);
CREATE INDEX indications_by_condition ON indications (condition);

CREATE TABLE condition_terms (
    term TEXT NOT NULL,
    condition TEXT NOT NULL,
    relation TEXT NOT NULL CHECK (relation IN ('exact_synonym', 'narrow_synonym', 'broad_synonym',
        'related_synonym', 'parent', 'child', 'symptom_of')),
    hops INTEGER NOT NULL CHECK (hops BETWEEN 0 AND 255),
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    PRIMARY KEY (term, condition, relation, source, source_id)
);

CREATE TABLE interactions (
    ingredient_a TEXT NOT NULL REFERENCES ingredients (ingredient_key),
    ingredient_b TEXT NOT NULL REFERENCES ingredients (ingredient_key),
    source TEXT NOT NULL CHECK (source IN ('merged_pddi', 'ansm_2020')),
    severity TEXT NOT NULL CHECK (severity IN ('minor', 'moderate', 'major', 'contraindicated')),
    -- JSON array of source-specific ids, primary first.
    source_ids TEXT NOT NULL,
    original_level TEXT,
    class_a TEXT,
    class_b TEXT,
    description TEXT,
    management TEXT,
    PRIMARY KEY (ingredient_a, ingredient_b, source)
);
CREATE INDEX interactions_by_ingredient_b ON interactions (ingredient_b);

CREATE TABLE otc_label_warnings (
    id INTEGER PRIMARY KEY NOT NULL,
    label_generic_name TEXT NOT NULL,
    do_not_use TEXT,
    ask_doctor TEXT,
    ask_doctor_or_pharmacist TEXT,
    when_using TEXT,
    stop_use TEXT,
    pregnancy_or_breast_feeding TEXT,
    source TEXT NOT NULL
);

CREATE TABLE otc_label_warning_ingredients (
    warning_id INTEGER NOT NULL REFERENCES otc_label_warnings (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    ingredient_key TEXT NOT NULL REFERENCES ingredients (ingredient_key),
    PRIMARY KEY (warning_id, position)
);
CREATE INDEX otc_label_warning_ingredients_by_ingredient ON otc_label_warning_ingredients (ingredient_key);

CREATE TABLE pregnancy_categories (
    ingredient_key TEXT NOT NULL REFERENCES ingredients (ingredient_key),
    category TEXT NOT NULL CHECK (category IN ('A', 'B', 'C', 'D', 'X', 'N')),
    warning BOOLEAN NOT NULL,
    who_eml_name TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (ingredient_key, source)
);
