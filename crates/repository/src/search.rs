//! Filtered, sorted, paged catalogue queries: medicines, ingredients and indication conditions.
//!
//! Substring matching uses `LIKE` on lower-cased text (a precomputed `search_text` column for
//! medicines), because SQLite's `LIKE` ignores ASCII case but PostgreSQL's does not; user text is
//! escaped so `%` and `_` match themselves.

use diesel::dsl::count;
use diesel::expression::functions::declare_sql_function;
use diesel::prelude::*;
use pharmarec_domain::ports::{MedicineQuery, MedicineSort};
use pharmarec_domain::{Ingredient, Medicine, Page, PageRequest};

use crate::connection::{Db, DbConnection};
use crate::error::TxError;
use crate::paging::{limits, total};
use crate::read::{self, Scope};
use crate::rows::EPC;
use crate::schema::{
    indications, ingredient_classes, ingredient_synonyms, ingredients, medicine_ingredients,
    medicines,
};

#[declare_sql_function]
extern "SQL" {
    /// SQL `lower(text)`, present in both SQLite and PostgreSQL.
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// `%text%` for `LIKE … ESCAPE '\'`, lower-cased; `None` for blank text (no filter).
fn like_pattern(text: Option<&str>) -> Option<String> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    Some(pattern)
}

fn filtered(query: &MedicineQuery) -> medicines::BoxedQuery<'static, Db> {
    let mut filtered = medicines::table.into_boxed();
    if let Some(pattern) = like_pattern(query.text.as_deref()) {
        // Synonyms go through a subquery: a few hundred rows, so it stays cheap.
        let by_synonym = medicine_ingredients::table
            .filter(
                medicine_ingredients::ingredient_key.eq_any(
                    ingredient_synonyms::table
                        .filter(
                            ingredient_synonyms::synonym
                                .like(pattern.clone())
                                .escape('\\'),
                        )
                        .select(ingredient_synonyms::ingredient_key),
                ),
            )
            .select(medicine_ingredients::medicine_id);
        filtered = filtered.filter(
            medicines::search_text
                .like(pattern)
                .escape('\\')
                .or(medicines::id.eq_any(by_synonym)),
        );
    }
    if let Some(class) = &query.class {
        let in_class = medicine_ingredients::table
            .filter(
                medicine_ingredients::ingredient_key.eq_any(
                    ingredient_classes::table
                        .filter(ingredient_classes::kind.eq(EPC))
                        .filter(ingredient_classes::class_name.eq(class.clone()))
                        .select(ingredient_classes::ingredient_key),
                ),
            )
            .select(medicine_ingredients::medicine_id);
        filtered = filtered.filter(medicines::id.eq_any(in_class));
    }
    if let Some(status) = query.status {
        filtered = filtered.filter(medicines::status.eq(<&str>::from(status)));
    }
    if let Some(dose_form) = &query.dose_form {
        filtered = filtered.filter(medicines::dose_form.eq(dose_form.clone()));
    }
    filtered
}

/// One page of medicines matching `query`, in its sort order with id as tie-break.
pub(crate) fn medicines(
    conn: &mut DbConnection,
    query: &MedicineQuery,
) -> Result<Page<Medicine>, TxError> {
    let (limit, offset) = limits(query.page)?;
    let count: i64 = filtered(query).count().get_result(conn)?;
    let ordered = match query.sort {
        MedicineSort::Name => {
            filtered(query).order((medicines::brand_name.asc(), medicines::id.asc()))
        }
        MedicineSort::NameDesc => {
            filtered(query).order((medicines::brand_name.desc(), medicines::id.asc()))
        }
        MedicineSort::Id => filtered(query).order(medicines::id.asc()),
    };
    let ids: Vec<String> = ordered
        .select(medicines::id)
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    let mut found = read::medicines(conn, Scope::Ids(&ids))?;
    // `found` is ordered by id; put it back in page order.
    let items = ids
        .iter()
        .filter_map(|id| {
            let at = found.iter().position(|m| m.id.as_str() == id)?;
            Some(found.swap_remove(at))
        })
        .collect();
    Ok(Page {
        items,
        request: query.page,
        total_items: total(count),
    })
}

fn ingredients_matching(pattern: Option<&String>) -> ingredients::BoxedQuery<'static, Db> {
    let mut query = ingredients::table.into_boxed();
    if let Some(pattern) = pattern {
        let by_synonym = ingredient_synonyms::table
            .filter(
                ingredient_synonyms::synonym
                    .like(pattern.clone())
                    .escape('\\'),
            )
            .select(ingredient_synonyms::ingredient_key);
        query = query.filter(
            ingredients::ingredient_key
                .like(pattern.clone())
                .escape('\\')
                .or(ingredients::ingredient_key.eq_any(by_synonym)),
        );
    }
    query
}

/// One page of ingredients whose key or a synonym contains `text`, by key.
pub(crate) fn ingredients(
    conn: &mut DbConnection,
    text: Option<&str>,
    page: PageRequest,
) -> Result<Page<Ingredient>, TxError> {
    let pattern = like_pattern(text);
    let (limit, offset) = limits(page)?;
    let count: i64 = ingredients_matching(pattern.as_ref())
        .count()
        .get_result(conn)?;
    let keys: Vec<String> = ingredients_matching(pattern.as_ref())
        .select(ingredients::ingredient_key)
        .order(ingredients::ingredient_key)
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok(Page {
        items: read::ingredients(conn, Some(&keys))?,
        request: page,
        total_items: total(count),
    })
}

fn conditions_matching(pattern: Option<&String>) -> indications::BoxedQuery<'static, Db> {
    let mut query = indications::table.into_boxed();
    if let Some(pattern) = pattern {
        query = query.filter(
            lower(indications::condition)
                .like(pattern.clone())
                .escape('\\'),
        );
    }
    query
}

/// One page of distinct indication conditions containing `text` (any case), sorted.
pub(crate) fn conditions(
    conn: &mut DbConnection,
    text: Option<&str>,
    page: PageRequest,
) -> Result<Page<String>, TxError> {
    let pattern = like_pattern(text);
    let (limit, offset) = limits(page)?;
    let count: i64 = conditions_matching(pattern.as_ref())
        .select(count(indications::condition).aggregate_distinct())
        .get_result(conn)?;
    let items = conditions_matching(pattern.as_ref())
        .select(indications::condition)
        .distinct()
        .order(indications::condition)
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok(Page {
        items,
        request: page,
        total_items: total(count),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_pattern_lower_cases_and_escapes_wildcards() {
        assert_eq!(like_pattern(Some(" Ibu ")).as_deref(), Some("%ibu%"));
        assert_eq!(
            like_pattern(Some("5%_x\\")).as_deref(),
            Some("%5\\%\\_x\\\\%")
        );
        assert_eq!(like_pattern(Some("   ")), None);
        assert_eq!(like_pattern(None), None);
    }
}
