DROP TABLE refresh_tokens;
DROP TABLE user_pharmacies;
DROP TABLE users;
