//! The immutable, indexed catalogue snapshot every answer is computed from.
//!
//! A [`KnowledgeSnapshot`] is built once from a [`KnowledgeBase`] and never changes; share it as
//! `Arc<KnowledgeSnapshot>` and swap in a new one through [`crate::KnowledgeHandle`] when the catalogue
//! changes. Every lookup on the read path is a hash or binary search over dense ids.

mod category_warnings;
mod conditions;
mod interaction_rows;
mod interactions;
mod labels;
mod monograph;
mod names;
mod postings;
mod pregnancy;
mod product_index;
mod products;
mod routes;
mod rule_index;
mod trigrams;
mod uses;

use foldhash::{HashMap, HashMapExt};

use pharmarec_domain::{
    ClinicalRules, KnowledgeBase, KnowledgeVersion, MarketingStatus, Medicine, MedicineId,
};

pub(crate) use category_warnings::CategoryWarnings;
pub(crate) use conditions::{CondId, ConditionIndex, Hit, Route};
pub(crate) use interaction_rows::InteractionRow;
pub(crate) use interactions::InteractionIndex;
pub(crate) use labels::Labels;
pub(crate) use monograph::{CategoryId, MonographCategory, MonographIndex, MonographMember};
pub(crate) use names::{ClassId, IngId, IngredientIndex};
pub(crate) use pregnancy::PregnancyFact;
pub(crate) use product_index::{IdOrder, IngredientLists};
pub(crate) use products::{ProductTraits, ROUTES};
pub(crate) use rule_index::{RuleIndex, RuleRef};
pub(crate) use trigrams::Trigger;
pub(crate) use uses::{UseHit, UseIndex, UseRoute};

use crate::RecommendationError;

/// Dense treatment index: one treatment per distinct set of active ingredients.
pub(crate) type TreatmentId = u32;

/// Products sharing one set of active ingredients, best-listed product first.
#[derive(Debug)]
pub(crate) struct Treatment {
    /// Sorted ingredient ids.
    pub(crate) ingredients: Vec<IngId>,
    /// Indices into [`KnowledgeSnapshot::medicines`]: OTC first, reference listed drug first, then by id.
    pub(crate) products: Vec<u32>,
    pub(crate) has_otc: bool,
    /// Route bits (`routes::ROUTE_*`) of its OTC products, and of all its products.
    pub(crate) routes_otc: u8,
    pub(crate) routes_any: u8,
}

/// An immutable, indexed snapshot of the medicine catalogue and its clinical knowledge.
///
/// Build it with [`KnowledgeSnapshot::build`]; share it as `Arc<KnowledgeSnapshot>`.
#[derive(Debug)]
pub struct KnowledgeSnapshot {
    pub(crate) version: KnowledgeVersion,
    pub(crate) ingredients: IngredientIndex,
    pub(crate) conditions: ConditionIndex,
    pub(crate) interactions: InteractionIndex,
    pub(crate) medicines: Vec<Medicine>,
    /// Per medicine: the words the rules and the product choice test.
    pub(crate) product_traits: Vec<ProductTraits>,
    pub(crate) medicine_ingredients: IngredientLists,
    pub(crate) medicine_treatment: Vec<TreatmentId>,
    medicine_by_id: IdOrder,
    pub(crate) treatments: Vec<Treatment>,
    pub(crate) treatments_by_ingredient: Vec<Vec<TreatmentId>>,
    /// Per ingredient id: its pregnancy category, with its alert texts.
    pub(crate) pregnancy: Vec<Option<PregnancyFact>>,
    /// The OTC labels, their texts ready to quote.
    pub(crate) labels: Labels,
    /// OTC use categories joined to the ingredients.
    pub(crate) monograph: MonographIndex,
    /// Each category's monograph warnings, ready to quote.
    pub(crate) category_warnings: CategoryWarnings,
    /// Category indications and lay phrases as query knowledge, built from `rules`.
    pub(crate) uses: UseIndex,
    /// The clinical rule tables (the monograph files are indexed in `monograph`).
    pub(crate) rules: ClinicalRules,
    /// The rule tables indexed onto the ingredients.
    pub(crate) rule_index: RuleIndex,
    /// [`Self::condition_codes`].
    condition_codes: Vec<String>,
}

impl KnowledgeSnapshot {
    /// Builds the snapshot from plain domain values and the version they were loaded at.
    ///
    /// # Errors
    /// [`RecommendationError::InvalidKnowledge`] when a medicine names an ingredient that the
    /// knowledge base does not define (the dataset parser rejects this; other sources may not).
    pub fn build(
        knowledge: KnowledgeBase,
        version: KnowledgeVersion,
    ) -> Result<Self, RecommendationError> {
        let KnowledgeBase {
            mut medicines,
            ingredients,
            synonyms,
            mut indications,
            condition_terms,
            interactions,
            label_warnings,
            pregnancy,
            rules,
        } = knowledge;
        let ingredient_index = IngredientIndex::build(&ingredients, &synonyms);
        // Each row was parsed with its own copy of its keys; keep one per ingredient.
        let row_keys = medicines
            .iter_mut()
            .flat_map(|m| m.ingredients.iter_mut().map(|part| &mut part.ingredient))
            .chain(indications.iter_mut().map(|row| &mut row.ingredient));
        for key in row_keys {
            ingredient_index.share(key);
        }
        let monograph = MonographIndex::build(&rules.monograph, &ingredient_index);
        let rule_index = RuleIndex::build(&rules, &ingredient_index, &monograph);
        let medicine_ingredients = medicines
            .iter()
            .map(|m| {
                resolve_all(
                    &ingredient_index,
                    m.ingredient_keys().map(|k| k.as_str()),
                    "medicine",
                    m.id.as_str(),
                )
            })
            .collect::<Result<IngredientLists, _>>()?;
        let (treatments, medicine_treatment) = group_treatments(&medicines, &medicine_ingredients);
        let mut treatments_by_ingredient = vec![Vec::new(); ingredient_index.len()];
        let mut sold_alone = vec![false; ingredient_index.len()];
        for (id, treatment) in (0u32..).zip(&treatments) {
            for &ingredient in &treatment.ingredients {
                treatments_by_ingredient[ingredient as usize].push(id);
            }
            if let [only] = treatment.ingredients[..] {
                sold_alone[only as usize] = true;
            }
        }
        let uses = UseIndex::build(&rules, &monograph);
        let category_warnings = CategoryWarnings::build(&rules.monograph.warnings, &monograph);
        let mut condition_codes: Vec<String> =
            rules.conditions.iter().map(|c| c.code.clone()).collect();
        condition_codes.sort();
        condition_codes.dedup();
        let condition_index = ConditionIndex::build(
            indications,
            condition_terms,
            &ingredient_index,
            &sold_alone,
            &rules.lay_vocabulary,
            uses.vocabulary(),
        );
        let interaction_index = InteractionIndex::build(interactions, &ingredient_index);
        let pregnancy_by_ingredient = pregnancy::build(pregnancy, &ingredient_index);
        let labels = labels::build(label_warnings, &ingredient_index)?;
        let medicine_by_id = IdOrder::build(&medicines);
        Ok(Self {
            version,
            ingredients: ingredient_index,
            conditions: condition_index,
            interactions: interaction_index,
            product_traits: medicines.iter().map(ProductTraits::of).collect(),
            medicines,
            medicine_ingredients,
            medicine_treatment,
            medicine_by_id,
            treatments,
            treatments_by_ingredient,
            pregnancy: pregnancy_by_ingredient,
            labels,
            monograph,
            category_warnings,
            uses,
            rules,
            rule_index,
            condition_codes,
        })
    }

    /// An empty snapshot: every clinical check on it fails with an error, never "no findings".
    pub fn empty() -> Self {
        Self {
            version: KnowledgeVersion {
                catalogue_version: 0,
                sources: Vec::new(),
            },
            ingredients: IngredientIndex::default(),
            conditions: ConditionIndex::default(),
            interactions: InteractionIndex::default(),
            medicines: Vec::new(),
            product_traits: Vec::new(),
            medicine_ingredients: IngredientLists::default(),
            medicine_treatment: Vec::new(),
            medicine_by_id: IdOrder::default(),
            treatments: Vec::new(),
            treatments_by_ingredient: Vec::new(),
            pregnancy: Vec::new(),
            labels: Labels::default(),
            monograph: MonographIndex::default(),
            category_warnings: CategoryWarnings::default(),
            uses: UseIndex::default(),
            rules: ClinicalRules::default(),
            rule_index: RuleIndex::default(),
            condition_codes: Vec::new(),
        }
    }

    /// The catalogue version and sources every answer from this snapshot cites.
    pub fn knowledge_version(&self) -> &KnowledgeVersion {
        &self.version
    }

    /// OTC monograph ingredient names that join no catalogue ingredient: the engine
    /// can name them but has no product of them.
    pub fn unmapped_monograph_ingredients(&self) -> &[String] {
        &self.monograph.unmapped
    }

    /// Rule targets of `data/rules/` that match no catalogue ingredient (`file: target`): the
    /// rule cannot apply to any product of this catalogue.
    pub fn unmapped_rule_targets(&self) -> &[String] {
        &self.rule_index.unmapped
    }

    /// The condition codes of the snapshot's vocabulary (`patient_conditions.csv`), sorted,
    /// unique: every clinical request checks its patient's codes against them.
    pub fn condition_codes(&self) -> &[String] {
        &self.condition_codes
    }

    /// Number of products in the snapshot.
    pub fn medicine_count(&self) -> usize {
        self.medicines.len()
    }

    /// Whether interaction knowledge is loaded; when it is not, basket checks fail.
    pub fn has_interaction_knowledge(&self) -> bool {
        !self.interactions.is_empty()
    }

    /// The product with this id, if the snapshot has it.
    pub fn medicine(&self, id: &MedicineId) -> Option<&Medicine> {
        self.medicine_index(id)
            .and_then(|i| self.medicines.get(i as usize))
    }

    pub(crate) fn medicine_index(&self, id: &MedicineId) -> Option<u32> {
        self.medicine_by_id.find(&self.medicines, id)
    }

    /// Current medicines cannot be checked without interaction knowledge: an error, not a pass.
    pub(crate) fn ensure_interactions_for(
        &self,
        patient: &crate::Patient,
    ) -> Result<(), RecommendationError> {
        if patient.current_medicines.is_empty() || self.has_interaction_knowledge() {
            Ok(())
        } else {
            Err(RecommendationError::InteractionKnowledgeUnavailable)
        }
    }

    pub(crate) fn ensure_loaded(&self) -> Result<(), RecommendationError> {
        if self.medicines.is_empty() {
            Err(RecommendationError::CatalogueNotLoaded)
        } else {
            Ok(())
        }
    }
}

fn resolve_all<'a>(
    index: &IngredientIndex,
    keys: impl Iterator<Item = &'a str>,
    entity: &'static str,
    id: &str,
) -> Result<Vec<IngId>, RecommendationError> {
    keys.map(|key| {
        index
            .resolve(key)
            .ok_or_else(|| RecommendationError::InvalidKnowledge {
                entity,
                id: id.to_string(),
                reason: format!("unknown ingredient '{key}'"),
            })
    })
    .collect()
}

/// Groups products by their set of active ingredients (strength, form and route do not matter:
/// a treatment is "what the patient takes", its products are the packs a pharmacy can hand out).
fn group_treatments(
    medicines: &[Medicine],
    medicine_ingredients: &IngredientLists,
) -> (Vec<Treatment>, Vec<TreatmentId>) {
    let mut by_set: HashMap<Vec<IngId>, TreatmentId> = HashMap::new();
    let mut treatments: Vec<Treatment> = Vec::new();
    let mut of_medicine = Vec::with_capacity(medicines.len());
    for ((index, medicine), ids) in (0u32..).zip(medicines).zip(medicine_ingredients.iter()) {
        let mut set = ids.to_vec();
        set.sort_unstable();
        set.dedup();
        let next = u32::try_from(treatments.len()).unwrap_or(u32::MAX);
        let id = *by_set.entry(set.clone()).or_insert(next);
        if id == next {
            treatments.push(Treatment {
                ingredients: set,
                products: Vec::new(),
                has_otc: false,
                routes_otc: 0,
                routes_any: 0,
            });
        }
        let treatment = &mut treatments[id as usize];
        treatment.products.push(index);
        let otc = medicine.status == MarketingStatus::Otc;
        let routes = routes::route_bits_of_product(&medicine.route);
        treatment.has_otc |= otc;
        treatment.routes_any |= routes;
        if otc {
            treatment.routes_otc |= routes;
        }
        of_medicine.push(id);
    }
    for treatment in &mut treatments {
        treatment.products.sort_by(|&a, &b| {
            let (ma, mb) = (&medicines[a as usize], &medicines[b as usize]);
            (
                ma.status != MarketingStatus::Otc,
                !ma.reference_listed_drug,
                &ma.id,
            )
                .cmp(&(
                    mb.status != MarketingStatus::Otc,
                    !mb.reference_listed_drug,
                    &mb.id,
                ))
        });
    }
    (treatments, of_medicine)
}

impl KnowledgeSnapshot {
    /// The products of `treatment` that pass `keep`, best first: with a stock, in-stock and then
    /// cheaper products first; otherwise (and among equals) the treatment's own order.
    pub(crate) fn ordered_products(
        &self,
        treatment: TreatmentId,
        stock: Option<&crate::PharmacyStock>,
        keep: impl Fn(&Medicine) -> bool,
    ) -> Vec<u32> {
        let Some(treatment) = self.treatments.get(treatment as usize) else {
            return Vec::new();
        };
        let mut products: Vec<u32> = treatment
            .products
            .iter()
            .copied()
            .filter(|&p| keep(&self.medicines[p as usize]))
            .collect();
        if let Some(stock) = stock {
            // Stable sort: the treatment's order stays the tie-break.
            products.sort_by(|&a, &b| {
                let key = |p: u32| {
                    let line = stock.get(&self.medicines[p as usize].id);
                    (
                        !line.is_some_and(crate::StockLine::in_stock),
                        line.map(crate::StockLine::price_key),
                    )
                };
                key(a).cmp(&key(b))
            });
        }
        products
    }

    pub(crate) fn summary(
        &self,
        product: u32,
        stock: Option<&crate::PharmacyStock>,
    ) -> crate::MedicineSummary {
        let medicine = &self.medicines[product as usize];
        crate::MedicineSummary::new(medicine, stock.and_then(|s| s.get(&medicine.id)))
    }
}
