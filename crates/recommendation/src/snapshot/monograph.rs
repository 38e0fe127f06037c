//! OTC use categories of the US monographs, joined to the catalogue's ingredients.
//!
//! The monographs name ingredients with their salt (`chlorpheniramine maleate`); the catalogue keys
//! are parent moieties (`chlorpheniramine`). A monograph name joins the catalogue by its full name
//! (key, INN, US name or synonym) or, failing that, by the name without its trailing salt words. A
//! name that joins nothing stays a category member without a catalogue ingredient: the engine can
//! still name it ("no product of it in this catalogue") and reports it in [`MonographIndex::unmapped`].

use foldhash::HashMap;

use pharmarec_domain::OtcMonograph;

use super::names::{IngId, IngredientIndex, SALT_WORDS};

/// Dense category index inside one snapshot.
pub(crate) type CategoryId = u16;

/// Salt words the monographs add that the catalogue's list does not need (they never add another
/// active moiety to the substances the monographs name).
const MONOGRAPH_SALT_WORDS: &[&str] = &["hydrobromide", "bitartrate", "nitrate"];

/// One ingredient of a category.
#[derive(Debug)]
pub(crate) struct MonographMember {
    /// Name as the monograph gives it, without its bracketed note (`meclizine hydrochloride`).
    pub(crate) name: String,
    /// The name without trailing salt words (`meclizine`).
    pub(crate) base_name: String,
    /// The catalogue ingredient, when the name joins one.
    pub(crate) ingredient: Option<IngId>,
    /// Its category (category-scoped rules apply to it).
    pub(crate) category: CategoryId,
    /// Route and form limits as written (`oral`, `topical (intranasal)`).
    pub(crate) route_form: String,
    /// CFR paragraph or label.
    pub(crate) cfr_section: String,
    /// Where the row was read.
    pub(crate) source_url: String,
    /// The whole row when the member is one part of a combination row (`pyrethrum extract +
    /// piperonyl butoxide`): the monograph's use is the combination's, so it is suggested as one.
    pub(crate) combination: Option<String>,
}

/// One OTC use category.
#[derive(Debug)]
pub(crate) struct MonographCategory {
    /// `nasal_decongestant`.
    pub(crate) id: String,
    /// `nasal decongestant`.
    pub(crate) name: String,
    pub(crate) members: Vec<MonographMember>,
}

/// Categories, their members, and each catalogue ingredient's categories.
#[derive(Debug, Default)]
pub(crate) struct MonographIndex {
    pub(crate) categories: Vec<MonographCategory>,
    by_id: HashMap<String, CategoryId>,
    of_ingredient: HashMap<IngId, Vec<CategoryId>>,
    /// Monograph names that join no catalogue ingredient, sorted, unique.
    pub(crate) unmapped: Vec<String>,
}

impl MonographIndex {
    pub(crate) fn build(monograph: &OtcMonograph, ingredients: &IngredientIndex) -> Self {
        let mut index = Self::default();
        for row in &monograph.ingredients {
            let category = index.category_id(&row.category_id, &row.category_name);
            // A combination row (`pyrethrum extract + piperonyl butoxide`) lists each member, so
            // that each joins its catalogue ingredient, and remembers the combination.
            let whole = without_note(&row.ingredient);
            let combination = whole.contains(" + ").then(|| whole.to_string());
            for part in whole.split(" + ") {
                let name = part.trim().to_string();
                let base_name = base_name(&name);
                let ingredient = ingredients
                    .resolve(&name)
                    .or_else(|| ingredients.resolve(&base_name));
                match ingredient {
                    Some(id) => {
                        let categories = index.of_ingredient.entry(id).or_default();
                        if !categories.contains(&category) {
                            categories.push(category);
                        }
                    }
                    None => index.unmapped.push(name.clone()),
                }
                index.categories[usize::from(category)]
                    .members
                    .push(MonographMember {
                        name,
                        base_name,
                        ingredient,
                        category,
                        route_form: row.route_form_constraint.clone(),
                        cfr_section: row.cfr_section.clone(),
                        source_url: row.source_url.clone(),
                        combination: combination.clone(),
                    });
            }
        }
        index.unmapped.sort();
        index.unmapped.dedup();
        index
    }

    fn category_id(&mut self, id: &str, name: &str) -> CategoryId {
        if let Some(&existing) = self.by_id.get(id) {
            return existing;
        }
        let next = CategoryId::try_from(self.categories.len()).unwrap_or(CategoryId::MAX);
        self.categories.push(MonographCategory {
            id: id.to_string(),
            name: name.to_string(),
            members: Vec::new(),
        });
        self.by_id.insert(id.to_string(), next);
        next
    }

    /// The category with this `category_id`.
    pub(crate) fn category(&self, id: &str) -> Option<CategoryId> {
        self.by_id.get(id).copied()
    }

    /// The categories a catalogue ingredient belongs to (empty when none).
    pub(crate) fn categories_of(&self, ingredient: IngId) -> &[CategoryId] {
        self.of_ingredient
            .get(&ingredient)
            .map_or(&[], Vec::as_slice)
    }

    pub(crate) fn get(&self, id: CategoryId) -> &MonographCategory {
        &self.categories[usize::from(id)]
    }
}

/// `loperamide hydrochloride (NDA/ANDA; not in 335.10)` → `loperamide hydrochloride`.
fn without_note(name: &str) -> &str {
    name.split_once(" (").map_or(name, |(head, _)| head).trim()
}

/// The name without trailing salt words, keeping at least one word.
pub(crate) fn base_name(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words.len() > 1
        && words.last().is_some_and(|w| {
            SALT_WORDS.contains(w) || MONOGRAPH_SALT_WORDS.contains(w) || *w == "hcl"
        })
    {
        words.pop();
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_and_salts_are_dropped_from_names() {
        assert_eq!(
            without_note("loperamide hydrochloride (NDA/ANDA; not in 335.10)"),
            "loperamide hydrochloride"
        );
        assert_eq!(
            base_name("dextromethorphan hydrobromide"),
            "dextromethorphan"
        );
        assert_eq!(base_name("docusate sodium"), "docusate");
        assert_eq!(base_name("magnesium hydroxide"), "magnesium hydroxide");
        assert_eq!(base_name("sodium"), "sodium");
    }
}
