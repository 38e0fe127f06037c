DROP TABLE licensed_interactions;
DROP TABLE licensed_sources;
