//! Patient safety rules: who must not take what, and what a pharmacist should be warned about.
//!
//! Every alert traces to a data row (its source is cited) or is a labelled structural rule:
//! * allergy to an ingredient (any name, salt-free names too) excludes it; allergy to a class, or
//!   to a member of a class, excludes every member of that FDA EPC class (class cross-sensitivity,
//!   a structural rule over the data's classes); an allergy word of `allergy_words.csv` (`sulfa`)
//!   excludes or warns as its row says; a salt / ester / hydrate key counts as its parent
//!   substance (salt/ester-form rule, `catalogue::names::SALT_WORDS`). "Class not checked" is said
//!   only for a class or class-word allergy and an ingredient with no FDA class that is not an OTC
//!   monograph ingredient (an OTC monograph ingredient is a named, regulated substance; the class
//!   words' tables list what they cover);
//! * with current medicines, every candidate or current ingredient that no interaction source
//!   covers gets a "not covered" warning: a missing interaction is not evidence of safety;
//! * an interaction with a current medicine at or above the exclusion severity excludes; below it,
//!   down to the warning severity, it warns;
//! * taking an ingredient the patient already takes is excluded (therapeutic duplication);
//! * pregnancy category X (GNU Health) excludes a pregnant patient, D and C warn;
//! * the cited rule tables (age, pregnancy by stage, breast-feeding, drug–condition, withdrawn)
//!   are applied by `rules`, on this one path for recommendations, substitutes and baskets;
//! * a fact the sources hold nothing on for an ingredient (pregnancy, breast-feeding, a child's
//!   age, conditions) is returned in `not_checked`, never passed silently;
//! * OTC label lines that name one of the patient's facts are warnings; the rest of the label is
//!   returned once, ungraded, in `label` (`labels`).

mod alerts;
mod fold;
mod labels;
mod member;
mod resolve;
mod rules;

use std::borrow::Cow;

use foldhash::HashMap;

use pharmarec_domain::{IngredientKey, Severity};

use crate::model::{Alert, AlertKind, NotChecked};
use crate::snapshot::{ClassId, IngId, KnowledgeSnapshot, Trigger};
use crate::{MedicineRef, Patient};
use rules::{Facts, RuleOutcome};

pub(crate) use alerts::{CLASS_SOURCE, interaction_message};
pub(crate) use fold::contains_ignore_case;
pub(crate) use resolve::resolve_ref;

/// Interaction severities that exclude a medicine and that merely warn.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Thresholds {
    pub(crate) exclude_from: Severity,
    pub(crate) warn_from: Severity,
}

/// Why an ingredient is off-limits for the patient's allergies.
#[derive(Debug, Clone, Copy)]
pub(crate) enum AllergyCause {
    /// Named directly.
    Ingredient,
    /// Covered by an `exclude` row of `allergy_words.csv` (`sulfa` → sulfonamide antibacterials).
    Word(u32),
    /// Member of a class the patient is allergic to, or shares a class with a named allergen.
    Class {
        class: ClassId,
        allergen: Option<IngId>,
    },
}

/// A patient resolved against one snapshot, ready to assess many candidates quickly.
#[derive(Debug)]
pub(crate) struct PatientContext<'c> {
    catalogue: &'c KnowledgeSnapshot,
    allergies: HashMap<IngId, AllergyCause>,
    /// Ingredients an allergy word warns about (possible cross-sensitivity), with the word's row.
    allergy_warnings: HashMap<IngId, u32>,
    /// Ingredients the patient takes, with the reference they came from.
    pub(crate) current: Vec<(IngId, String)>,
    pregnant: bool,
    breast_feeding: bool,
    /// The facts the rule tables test.
    facts: Facts,
    /// Lower-case words that make a label line about this patient (condition phrases, current
    /// medicines, allergies), sorted, unique.
    triggers: Vec<Cow<'c, Trigger>>,
    /// Allergy and medicine entries that matched nothing: they could not be checked.
    pub(crate) unrecognised: Vec<String>,
    /// Class and class-word allergies as given (for "class not checked" notes).
    class_allergies: Vec<String>,
    /// Facts not checked for the whole answer (weight; unmatched conditions).
    pub(crate) not_checked: Vec<NotChecked>,
    /// Current-medicine ingredients no interaction source covers, sorted by key, unique.
    current_not_covered: Vec<IngId>,
}

/// The verdict on one candidate set of ingredients.
#[derive(Debug, Default)]
pub(crate) struct Assessment {
    /// The most severe reason to exclude, if any.
    pub(crate) exclusion: Option<Alert>,
    /// The other reasons to exclude, most severe first.
    pub(crate) more_exclusions: Vec<Alert>,
    /// Alerts triggered by this patient's facts, most severe first.
    pub(crate) warnings: Vec<Alert>,
    /// Label lines not triggered by this patient's facts (shown once, compactly).
    pub(crate) label: Vec<Alert>,
    /// Patient facts that could not be checked for these ingredients.
    pub(crate) not_checked: Vec<NotChecked>,
    /// Interaction rows with current medicines below the warning severity: not shown.
    pub(crate) suppressed: usize,
    /// Only the reasons to exclude were assessed (see [`Scope`]): `warnings`, `label` and
    /// `not_checked` are empty.
    pub(crate) exclusions_only: bool,
}

/// How much of an assessment to build: texts are written only for what the caller returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The reasons to exclude only: an excluded result shows its reason alone, so its warnings,
    /// label and notes are never written.
    Exclusions,
    /// A treatment shown: everything, with the untriggered label lines (`label`).
    Treatment,
    /// A basket ingredient: the patient-fact alerts and what was not checked; no untriggered
    /// label lines, and no "not covered" notes (the basket lists coverage in `not_covered`).
    Basket,
    /// A product's label lines: every section, those about this patient graded as warnings.
    Label,
}

impl<'c> PatientContext<'c> {
    pub(crate) fn new(catalogue: &'c KnowledgeSnapshot, patient: &Patient) -> Self {
        Self::with_current(catalogue, patient, &patient.current_medicines)
    }

    /// The patient with `current_medicines` in place of theirs (a basket checks the patient's
    /// current medicines as items instead).
    pub(crate) fn with_current(
        catalogue: &'c KnowledgeSnapshot,
        patient: &Patient,
        current_medicines: &[MedicineRef],
    ) -> Self {
        let resolved = resolve::Resolved::new(catalogue, patient);
        let mut unrecognised = resolved.unrecognised;
        let mut current = Vec::new();
        for reference in current_medicines {
            match resolve_ref(catalogue, reference) {
                Some(ids) => current.extend(
                    ids.into_iter()
                        .map(|id| (id, reference.label().to_string())),
                ),
                None => unrecognised.push(format!("current medicine: {}", reference.label())),
            }
        }
        let ingredients = &catalogue.ingredients;
        let mut current_not_covered: Vec<IngId> = current
            .iter()
            .map(|(id, _)| *id)
            .filter(|&id| !catalogue.interactions.covers(id))
            .collect();
        current_not_covered.sort_by(|&a, &b| ingredients.key(a).cmp(ingredients.key(b)));
        current_not_covered.dedup();
        let mut triggers = resolved.triggers;
        for (id, label) in &current {
            let words = [
                ingredients.key(*id).as_str().to_string(),
                label.to_lowercase(),
            ];
            triggers.extend(words.into_iter().filter_map(Trigger::new).map(Cow::Owned));
        }
        triggers.sort_unstable_by(|a, b| a.text.cmp(&b.text));
        triggers.dedup_by(|a, b| a.text == b.text);
        Self {
            catalogue,
            allergies: resolved.allergies,
            allergy_warnings: resolved.allergy_warnings,
            class_allergies: resolved.class_allergies,
            not_checked: resolved.not_checked,
            facts: Facts::new(
                patient.age_in_months(),
                patient.pregnancy_weeks(),
                patient.breast_feeding,
                resolved.conditions,
            ),
            triggers,
            current_not_covered,
            current,
            pregnant: patient.is_pregnant(),
            breast_feeding: patient.breast_feeding,
            unrecognised,
        }
    }

    /// Assesses a set of ingredients (one treatment) for this patient; the rules that concern a
    /// product's form and strength are left to [`Self::product_rules`].
    ///
    /// An excluded treatment gets only its reasons to exclude ([`Assessment::exclusions_only`]).
    pub(crate) fn assess(&self, ingredients: &[IngId], thresholds: Thresholds) -> Assessment {
        let excluded = self.assess_with(ingredients, thresholds, Scope::Exclusions, Vec::new());
        if excluded.exclusion.is_some() {
            return excluded;
        }
        self.assess_with(ingredients, thresholds, Scope::Treatment, Vec::new())
    }

    /// [`Self::assess`], building as much as `scope` asks for; what could not be checked is added
    /// to `not_checked` (a basket passes the list of its earlier ingredients along).
    fn assess_with(
        &self,
        ingredients: &[IngId],
        thresholds: Thresholds,
        scope: Scope,
        not_checked: Vec<NotChecked>,
    ) -> Assessment {
        let mut assessment = Assessment {
            exclusions_only: scope == Scope::Exclusions,
            not_checked,
            ..Assessment::default()
        };
        let mut exclusions = Vec::new();
        if scope != Scope::Exclusions {
            labels::label_warnings(
                self.catalogue,
                ingredients,
                &self.triggers,
                self.pregnant || self.breast_feeding,
                match scope {
                    Scope::Treatment => labels::Untriggered::ExceptPregnancy,
                    Scope::Label => labels::Untriggered::All,
                    Scope::Exclusions | Scope::Basket => labels::Untriggered::Skip,
                },
                &mut assessment,
            );
        }
        let labelled_pregnancy = assessment
            .warnings
            .iter()
            .any(|w| w.kind == AlertKind::LabelPregnancyOrBreastFeeding);
        let names = &self.catalogue.ingredients;
        for &ingredient in ingredients {
            if let Some(alert) = self.allergy_alert(ingredient) {
                exclusions.push(alert);
            }
            for (current, label) in &self.current {
                if names.same_substance(*current, ingredient) {
                    exclusions.push(alerts::duplicate_with_current(self.key(ingredient), label));
                    continue;
                }
                let interactions = &self.catalogue.interactions;
                for (index, row) in interactions.between(ingredient, *current) {
                    // A text is written only for an alert this assessment returns.
                    let alert = || {
                        alerts::interaction_with_current(row, &interactions.message(index), label)
                    };
                    if row.severity >= thresholds.exclude_from {
                        exclusions.push(alert());
                    } else if row.severity < thresholds.warn_from {
                        assessment.suppressed += 1;
                    } else if !assessment.exclusions_only {
                        assessment.warnings.push(alert());
                    }
                }
            }
            let mut outcome = RuleOutcome {
                age_covered: self.catalogue.rule_index.has_age_info(ingredient),
                exclusions_only: assessment.exclusions_only,
                ..RuleOutcome::default()
            };
            let key = self.key(ingredient);
            rules::evaluate(
                self.catalogue,
                &self.facts,
                rules::Subject::ingredient(key),
                self.catalogue.rule_index.of_ingredient(ingredient),
                None,
                &mut outcome,
            );
            self.finish(
                key.as_str(),
                Some(ingredient),
                outcome,
                labelled_pregnancy,
                &mut assessment,
                &mut exclusions,
            );
            if scope != Scope::Exclusions {
                self.allergy_word_warning(ingredient, &mut assessment);
            }
            if scope == Scope::Treatment {
                self.not_covered_notes(ingredient, &mut assessment);
            }
        }
        if scope == Scope::Treatment {
            // The current medicines no source covers: warned once, here unless warned as a
            // candidate ingredient by `notes`.
            for &id in &self.current_not_covered {
                if !ingredients.contains(&id) {
                    assessment
                        .warnings
                        .push(alerts::interactions_not_covered(self.key(id)));
                }
            }
        }
        // Most severe first; `None` (ungraded text) after graded alerts; then kind, ingredients
        // and text, so the reason shown never depends on the order of the patient's medicines.
        exclusions.sort_by(alert_order);
        assessment.warnings.sort_by(alert_order);
        assessment.not_checked.sort();
        let mut exclusions = exclusions.into_iter();
        assessment.exclusion = exclusions.next();
        assessment.more_exclusions = exclusions.collect();
        assessment
    }

    /// What could not be checked for `ingredient`: class allergies (no class in the data) and
    /// interactions (no source covers it).
    fn not_covered_notes(&self, ingredient: IngId, assessment: &mut Assessment) {
        let names = &self.catalogue.ingredients;
        if !self.class_allergies.is_empty()
            && names.substance_classes(ingredient).is_empty()
            && self
                .catalogue
                .monograph
                .categories_of(ingredient)
                .is_empty()
        {
            assessment.warnings.push(alerts::no_class_for_allergy_check(
                self.key(ingredient),
                &self.class_allergies,
            ));
        }
        if !self.current.is_empty() && !self.catalogue.interactions.covers(ingredient) {
            let key = self.key(ingredient);
            assessment
                .warnings
                .push(alerts::interactions_not_covered(key));
        }
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
            AllergyCause::Word(row) => labels::allergy_word(
                self.catalogue,
                self.key(ingredient),
                row,
                AlertKind::Allergy,
            ),
            AllergyCause::Class { class, allergen } => alerts::allergy(
                self.key(ingredient),
                Some(names.class_name(class)),
                allergen.map(|a| self.key(a)),
            ),
        })
    }

    /// The cross-sensitivity warning of an allergy word (`warn` rows), if any.
    fn allergy_word_warning(&self, ingredient: IngId, assessment: &mut Assessment) {
        if self.allergies.contains_key(&ingredient) {
            return;
        }
        if let Some(&row) = self.allergy_warnings.get(&ingredient) {
            assessment.warnings.push(labels::allergy_word(
                self.catalogue,
                self.key(ingredient),
                row,
                AlertKind::Allergy,
            ));
        }
    }

    fn allergy_alert_direct(&self, ingredient: IngId) -> Option<Alert> {
        self.allergies.get(&ingredient)?;
        self.allergy_alert(ingredient)
    }

    fn key(&self, id: IngId) -> &IngredientKey {
        self.catalogue.ingredients.key(id)
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
