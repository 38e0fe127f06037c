//! Joins a user's drug names to the shipped knowledge: an ingredient key, or a synonym that names
//! exactly one ingredient.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use pharmarec_domain::IngredientKey;

use crate::connection::DbConnection;
use crate::error::TxError;
use crate::schema::{ingredient_synonyms, ingredients};

/// Every ingredient key and unambiguous synonym, lower case.
pub(super) struct Resolver {
    keys: HashSet<String>,
    synonyms: HashMap<String, Option<String>>,
}

impl Resolver {
    /// Loads the names from the database (inside the import's transaction).
    pub(super) fn load(conn: &mut DbConnection) -> Result<Self, TxError> {
        let keys: HashSet<String> = ingredients::table
            .select(ingredients::ingredient_key)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let mut synonyms: HashMap<String, Option<String>> = HashMap::new();
        let pairs: Vec<(String, String)> = ingredient_synonyms::table
            .select((
                ingredient_synonyms::synonym,
                ingredient_synonyms::ingredient_key,
            ))
            .load(conn)?;
        for (synonym, key) in pairs {
            let entry = synonyms
                .entry(synonym.to_lowercase())
                .or_insert_with(|| Some(key.clone()));
            // A synonym shared by two ingredients names neither: never guess between them.
            if entry.as_deref() != Some(key.as_str()) {
                *entry = None;
            }
        }
        Ok(Self { keys, synonyms })
    }

    /// The ingredient `name` denotes, if exactly one.
    pub(super) fn resolve(&self, name: &str) -> Option<IngredientKey> {
        let name = name.trim().to_lowercase();
        let key = if self.keys.contains(&name) {
            Some(name)
        } else {
            self.synonyms.get(&name).cloned().flatten()
        };
        key.and_then(|k| k.parse().ok())
    }
}
