DROP TABLE pregnancy_categories;
DROP TABLE otc_label_warning_ingredients;
DROP TABLE otc_label_warnings;
DROP TABLE interactions;
DROP TABLE condition_terms;
DROP TABLE indications;
