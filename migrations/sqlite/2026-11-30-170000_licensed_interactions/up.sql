-- Interaction knowledge a user licensed and imported (docs/IMPORTING.md): one source per import name,
-- kept apart from the shipped sources and from each other. No foreign key to ingredients: a shipped
-- import may drop an ingredient a licensed row names; the engine then skips that row.
CREATE TABLE licensed_sources (
    name TEXT PRIMARY KEY NOT NULL,
    format TEXT NOT NULL CHECK (format IN ('generic', 'ddinter')),
    label TEXT NOT NULL,
    url TEXT,
    imported_at TIMESTAMP NOT NULL
);

CREATE TABLE licensed_interactions (
    source_name TEXT NOT NULL REFERENCES licensed_sources (name) ON DELETE CASCADE,
    ingredient_a TEXT NOT NULL,
    ingredient_b TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('minor', 'moderate', 'major', 'contraindicated')),
    original_level TEXT NOT NULL,
    description TEXT,
    management TEXT,
    -- JSON array of the source's ids for this statement.
    source_ids TEXT NOT NULL,
    PRIMARY KEY (source_name, ingredient_a, ingredient_b),
    CHECK (ingredient_a < ingredient_b)
);
