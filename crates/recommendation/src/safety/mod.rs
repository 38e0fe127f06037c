//! Patient safety rules: who must not take what, and what a pharmacist should be warned about.
//!
//! Every alert traces to a data row (its source is cited) or is a labelled structural rule:
//! * allergy to an ingredient excludes it; allergy to a class, or to a member of a class, excludes
//!   every member of that FDA EPC class (class cross-sensitivity, a structural rule over the data's
//!   classes); a salt / ester / hydrate key counts as its parent substance and inherits its classes
//!   (salt/ester-form rule, `catalogue::names::SALT_WORDS`); with allergies, an ingredient with no
//!   class in the data gets a "not covered" warning (cross-sensitivity could not be checked);
//! * with current medicines, every candidate or current ingredient that no interaction source
//!   covers gets a "not covered" warning: a missing interaction is not evidence of safety;
//! * an interaction with a current medicine at or above the exclusion severity excludes; below it,
//!   down to the warning severity, it warns;
//! * taking an ingredient the patient already takes is excluded (therapeutic duplication);
//! * pregnancy category X (GNU Health) excludes a pregnant patient, D and C warn; a missing or
//!   unclassified category is reported as not covered, never as safe;
//! * OTC label "Do not use" / "Ask a doctor" texts are attached verbatim, the pregnancy section when
//!   the patient is pregnant or breast-feeding. Age limits inside them are not parsed.

mod alerts;

use std::collections::HashMap;

use pharmarec_domain::{IngredientKey, Severity};

use crate::catalogue::{Catalogue, ClassId, IngId, MonographMember};
use crate::model::{Alert, AlertKind};
use crate::{MedicineRef, Patient};

pub(crate) use alerts::{interaction_message, pregnancy as pregnancy_alert};

/// Interaction severities that exclude a medicine and that merely warn.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Thresholds {
    pub(crate) exclude_from: Severity,
    pub(crate) warn_from: Severity,
}

/// Why an ingredient is off-limits for the patient's allergies.
#[derive(Debug, Clone, Copy)]
enum AllergyCause {
    /// Named directly.
    Ingredient,
    /// Member of a class the patient is allergic to, or shares a class with a named allergen.
    Class {
        class: ClassId,
        allergen: Option<IngId>,
    },
}

/// A patient resolved against one snapshot, ready to assess many candidates quickly.
#[derive(Debug)]
pub(crate) struct PatientContext<'c> {
    catalogue: &'c Catalogue,
    allergies: HashMap<IngId, AllergyCause>,
    /// Ingredients the patient takes, with the reference they came from.
    pub(crate) current: Vec<(IngId, String)>,
    pregnant: bool,
    breast_feeding: bool,
    /// Allergy and medicine entries that matched nothing: they could not be checked.
    pub(crate) unrecognised: Vec<String>,
    /// Allergies as given, when at least one resolved (for "class not checked" warnings).
    allergy_labels: Vec<String>,
    /// Current-medicine ingredients no interaction source covers.
    current_not_covered: Vec<IngredientKey>,
    /// Interaction rows below the warning severity dropped from the results shown so far.
    suppressed_shown: std::cell::Cell<usize>,
}

/// The verdict on one candidate set of ingredients.
#[derive(Debug, Default)]
pub(crate) struct Assessment {
    /// The most severe reason to exclude, if any.
    pub(crate) exclusion: Option<Alert>,
    pub(crate) warnings: Vec<Alert>,
    /// Interaction rows with current medicines below the warning severity: not shown.
    pub(crate) suppressed: usize,
}

impl<'c> PatientContext<'c> {
    pub(crate) fn new(catalogue: &'c Catalogue, patient: &Patient) -> Self {
        let ingredients = &catalogue.ingredients;
        let mut allergies = HashMap::new();
        let mut unrecognised = Vec::new();
        for allergy in &patient.allergies {
            if let Some(named) = ingredients.resolve(allergy) {
                // The salt/ester-form rule: an allergy to a salt form is one to its substance.
                let id = ingredients.moiety(named);
                let classes = ingredients.classes(named).iter();
                for &class in classes.chain(ingredients.classes(id)) {
                    for &member in ingredients.members(class) {
                        allergies.entry(member).or_insert(AllergyCause::Class {
                            class,
                            allergen: Some(id),
                        });
                    }
                }
                allergies.insert(id, AllergyCause::Ingredient);
                allergies.insert(named, AllergyCause::Ingredient);
            } else if let Some(class) = ingredients.resolve_class(allergy) {
                for &member in ingredients.members(class) {
                    allergies.entry(member).or_insert(AllergyCause::Class {
                        class,
                        allergen: None,
                    });
                }
            } else {
                unrecognised.push(format!("allergy: {allergy}"));
            }
        }
        let mut current = Vec::new();
        for reference in &patient.current_medicines {
            match resolve_ref(catalogue, reference) {
                Some(ids) => current.extend(
                    ids.into_iter()
                        .map(|id| (id, reference.label().to_string())),
                ),
                None => unrecognised.push(format!("current medicine: {}", reference.label())),
            }
        }
        let mut current_not_covered: Vec<IngredientKey> = current
            .iter()
            .filter(|(id, _)| !catalogue.interactions.covers(*id))
            .map(|(id, _)| ingredients.key(*id).clone())
            .collect();
        current_not_covered.sort();
        current_not_covered.dedup();
        let allergy_labels = if allergies.is_empty() {
            Vec::new()
        } else {
            patient.allergies.clone()
        };
        Self {
            catalogue,
            allergies,
            allergy_labels,
            current_not_covered,
            suppressed_shown: std::cell::Cell::new(0),
            current,
            pregnant: patient.pregnant,
            breast_feeding: patient.breast_feeding,
            unrecognised,
        }
    }

    /// Assesses a set of ingredients (one treatment or one product) for this patient.
    pub(crate) fn assess(&self, ingredients: &[IngId], thresholds: Thresholds) -> Assessment {
        let mut assessment = Assessment::default();
        let mut exclusions = Vec::new();
        for &ingredient in ingredients {
            if let Some(alert) = self.allergy_alert(ingredient) {
                exclusions.push(alert);
            }
            let names = &self.catalogue.ingredients;
            if !self.allergy_labels.is_empty() && names.substance_classes(ingredient).is_empty() {
                assessment.warnings.push(alerts::no_class_for_allergy_check(
                    self.key(ingredient),
                    &self.allergy_labels,
                ));
            }
            if !self.current.is_empty() && !self.catalogue.interactions.covers(ingredient) {
                let key = self.key(ingredient);
                assessment
                    .warnings
                    .push(alerts::interactions_not_covered(key));
            }
            for (current, label) in &self.current {
                if names.same_substance(*current, ingredient) {
                    exclusions.push(alerts::duplicate_with_current(self.key(ingredient), label));
                    continue;
                }
                for row in self.catalogue.interactions.between(ingredient, *current) {
                    let alert = alerts::interaction_with_current(row, label);
                    if row.severity >= thresholds.exclude_from {
                        exclusions.push(alert);
                    } else if row.severity >= thresholds.warn_from {
                        assessment.warnings.push(alert);
                    } else {
                        assessment.suppressed += 1;
                    }
                }
            }
            if self.pregnant {
                match alerts::pregnancy(self.catalogue, ingredient) {
                    alert if alert.kind == AlertKind::Contraindication => exclusions.push(alert),
                    alert => assessment.warnings.push(alert),
                }
            }
        }
        for key in &self.current_not_covered {
            if !assessment.warnings.iter().any(|w| {
                w.ingredients == [key.clone()]
                    && w.kind == AlertKind::NotCovered
                    && w.message.contains("interaction")
            }) {
                assessment
                    .warnings
                    .push(alerts::interactions_not_covered(key));
            }
        }
        alerts::label_warnings(
            self.catalogue,
            ingredients,
            self.pregnant || self.breast_feeding,
            &mut assessment.warnings,
        );
        if self.breast_feeding
            && !assessment
                .warnings
                .iter()
                .any(|w| w.kind == AlertKind::LabelPregnancyOrBreastFeeding)
        {
            assessment
                .warnings
                .push(alerts::breast_feeding_not_covered(self.keys(ingredients)));
        }
        // Most severe first; `None` (ungraded text) after graded alerts; then kind, ingredients
        // and text, so the reason shown never depends on the order of the patient's medicines.
        exclusions.sort_by(alert_order);
        assessment.warnings.sort_by(alert_order);
        assessment.exclusion = exclusions.into_iter().next();
        assessment
    }

    /// Assesses an OTC monograph ingredient offered at ingredient level (no product of it in the
    /// catalogue). One with no catalogue ingredient can be checked against the rule tables only:
    /// every other check is reported as not done.
    pub(crate) fn assess_member(
        &self,
        member: &MonographMember,
        thresholds: Thresholds,
    ) -> Assessment {
        match member.ingredient {
            Some(id) => self.assess(&[id], thresholds),
            None => Assessment {
                warnings: vec![alerts::not_in_catalogue(&member.base_name)],
                ..Assessment::default()
            },
        }
    }

    /// Records that the result assessed as `assessment` is shown (counts its suppressed rows).
    pub(crate) fn shown(&self, assessment: &Assessment) {
        self.suppressed_shown
            .set(self.suppressed_shown.get() + assessment.suppressed);
    }

    /// Interaction rows below the warning severity dropped from the results shown.
    pub(crate) fn suppressed_interactions(&self) -> usize {
        self.suppressed_shown.get()
    }

    /// The allergy alert for `ingredient`, if the patient is allergic to it or to its class.
    pub(crate) fn allergy_alert(&self, ingredient: IngId) -> Option<Alert> {
        let names = &self.catalogue.ingredients;
        let moiety = names.moiety(ingredient);
        let Some(&cause) = self.allergies.get(&ingredient) else {
            // Salt/ester-form rule: the alert for the parent substance, said of this form.
            let parent = self.allergy_alert_direct(moiety)?;
            return Some(alerts::salt_form(
                self.key(ingredient),
                self.key(moiety),
                parent,
            ));
        };
        Some(match cause {
            AllergyCause::Ingredient => alerts::allergy(self.key(ingredient), None, None),
            AllergyCause::Class { class, allergen } => alerts::allergy(
                self.key(ingredient),
                Some(names.class_name(class)),
                allergen.map(|a| self.key(a)),
            ),
        })
    }

    fn allergy_alert_direct(&self, ingredient: IngId) -> Option<Alert> {
        self.allergies.get(&ingredient)?;
        self.allergy_alert(ingredient)
    }

    fn key(&self, id: IngId) -> &IngredientKey {
        self.catalogue.ingredients.key(id)
    }

    fn keys(&self, ids: &[IngId]) -> Vec<IngredientKey> {
        ids.iter().map(|&id| self.key(id).clone()).collect()
    }
}

/// Most severe first, then kind, ingredients and message: a total, input-order-free order.
fn alert_order(a: &Alert, b: &Alert) -> std::cmp::Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| a.kind.cmp(&b.kind))
        .then_with(|| a.ingredients.cmp(&b.ingredients))
        .then_with(|| a.message.cmp(&b.message))
}

/// The ingredient ids a reference names: a product's ingredients, or one ingredient.
pub(crate) fn resolve_ref(catalogue: &Catalogue, reference: &MedicineRef) -> Option<Vec<IngId>> {
    match reference {
        MedicineRef::MedicineId(id) => catalogue
            .medicine_index(id)
            .and_then(|i| catalogue.medicine_ingredients.get(i as usize).cloned()),
        MedicineRef::Ingredient(name) => catalogue.ingredients.resolve(name).map(|id| vec![id]),
    }
}
