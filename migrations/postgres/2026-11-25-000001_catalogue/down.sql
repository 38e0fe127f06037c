DROP TABLE medicine_ingredients;
DROP TABLE medicines;
DROP TABLE ingredient_synonyms;
DROP TABLE ingredient_classes;
DROP TABLE ingredients;
DROP TABLE catalogue_state;
