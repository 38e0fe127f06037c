//! Patient safety rules: who must not take what, and what a pharmacist should be warned about.
//!
//! Every alert traces to a data row (its source is cited) or is a labelled structural rule:
//! * allergy to an ingredient excludes it; allergy to a class, or to a member of a class, excludes
//!   every member of that FDA EPC class (class cross-sensitivity, a structural rule over the data's
//!   classes);
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

use crate::catalogue::{Catalogue, ClassId, IngId};
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
}

/// The verdict on one candidate set of ingredients.
#[derive(Debug, Default)]
pub(crate) struct Assessment {
    /// The most severe reason to exclude, if any.
    pub(crate) exclusion: Option<Alert>,
    pub(crate) warnings: Vec<Alert>,
}

impl<'c> PatientContext<'c> {
    pub(crate) fn new(catalogue: &'c Catalogue, patient: &Patient) -> Self {
        let ingredients = &catalogue.ingredients;
        let mut allergies = HashMap::new();
        let mut unrecognised = Vec::new();
        for allergy in &patient.allergies {
            if let Some(id) = ingredients.resolve(allergy) {
                for &class in ingredients.classes(id) {
                    for &member in ingredients.members(class) {
                        allergies.entry(member).or_insert(AllergyCause::Class {
                            class,
                            allergen: Some(id),
                        });
                    }
                }
                allergies.insert(id, AllergyCause::Ingredient);
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
        Self {
            catalogue,
            allergies,
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
            for (current, label) in &self.current {
                if *current == ingredient {
                    exclusions.push(alerts::duplicate_with_current(self.key(ingredient), label));
                    continue;
                }
                for row in self.catalogue.interactions.between(ingredient, *current) {
                    let alert = alerts::interaction_with_current(row, label);
                    if row.severity >= thresholds.exclude_from {
                        exclusions.push(alert);
                    } else if row.severity >= thresholds.warn_from {
                        assessment.warnings.push(alert);
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
        // Most severe first; `None` (ungraded text) after graded alerts; stable for equal ones.
        exclusions.sort_by_key(|a| std::cmp::Reverse(a.severity));
        assessment
            .warnings
            .sort_by_key(|a| std::cmp::Reverse(a.severity));
        assessment.exclusion = exclusions.into_iter().next();
        assessment
    }

    /// The allergy alert for `ingredient`, if the patient is allergic to it or to its class.
    pub(crate) fn allergy_alert(&self, ingredient: IngId) -> Option<Alert> {
        let names = &self.catalogue.ingredients;
        let cause = *self.allergies.get(&ingredient)?;
        Some(match cause {
            AllergyCause::Ingredient => alerts::allergy(self.key(ingredient), None, None),
            AllergyCause::Class { class, allergen } => alerts::allergy(
                self.key(ingredient),
                Some(names.class_name(class)),
                allergen.map(|a| self.key(a)),
            ),
        })
    }

    fn key(&self, id: IngId) -> &IngredientKey {
        self.catalogue.ingredients.key(id)
    }

    fn keys(&self, ids: &[IngId]) -> Vec<IngredientKey> {
        ids.iter().map(|&id| self.key(id).clone()).collect()
    }
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
