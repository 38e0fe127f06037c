-- Accounts: users with one role, their pharmacy memberships, and hashed rotating refresh tokens.
-- Text keys and sort columns use COLLATE "C" so PostgreSQL orders rows like SQLite (bytewise).
CREATE TABLE users (
    id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    -- Normalised (trimmed, lower-case) by the domain before it gets here.
    email TEXT COLLATE "C" NOT NULL UNIQUE CHECK (email = lower(email)),
    role TEXT NOT NULL CHECK (role IN ('admin', 'pharmacist', 'viewer')),
    password_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE user_pharmacies (
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    pharmacy_id TEXT COLLATE "C" NOT NULL REFERENCES pharmacies (id),
    PRIMARY KEY (user_id, pharmacy_id)
);
CREATE INDEX user_pharmacies_by_pharmacy ON user_pharmacies (pharmacy_id);

CREATE TABLE refresh_tokens (
    -- Hex SHA-256 of the token; the token itself is never stored.
    token_hash TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    family_id TEXT COLLATE "C" NOT NULL,
    user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_by_user ON refresh_tokens (user_id);
