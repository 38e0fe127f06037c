//! `substitutes`: generic equivalents first, then therapeutic alternatives, each with why it qualifies.
//!
//! * Generic equivalent: same set of active ingredients, same strength, dose form and route, and a
//!   shared FDA therapeutic-equivalence code rated `A*` (exact code equality: `AB1` only with `AB1`).
//! * Therapeutic alternative: another set of active ingredients sharing an FDA pharmacologic class
//!   (EPC) or an indication with the medicine; same-class first, then more shared indications, same
//!   route, OTC, then product id.
//!
//! Both are filtered for the patient. With a pharmacy stock, only products on hand are offered,
//! cheapest first among equals.

use std::collections::BTreeSet;

use pharmarec_domain::{KnowledgeVersion, MarketingStatus, Medicine, MedicineId, Severity, TeCode};
use serde::Serialize;

use crate::model::{Alert, DISCLAIMER, Excluded, MedicineSummary, NotChecked, merge_not_checked};
use crate::safety::{PatientContext, Thresholds};
use crate::snapshot::{KnowledgeSnapshot, TreatmentId};
use crate::{Patient, PharmacyStock, RecommendationError, StockLine};

/// Options of [`KnowledgeSnapshot::substitutes`].
#[derive(Debug, Clone, Copy)]
pub struct SubstituteOptions<'a> {
    /// Maximum number of generic equivalents and, separately, of therapeutic alternatives.
    pub limit: usize,
    /// Only OTC alternatives (default `false`: a substitution may be dispensed on prescription).
    pub otc_only: bool,
    /// A pharmacy's stock: only products on hand are offered, cheapest first among equals.
    pub stock: Option<&'a PharmacyStock>,
    /// Interaction severity with a current medicine that excludes (default [`Severity::Major`]).
    pub exclude_interactions_from: Severity,
    /// Interaction severity that warns (default [`Severity::Moderate`]).
    pub warn_interactions_from: Severity,
}

impl Default for SubstituteOptions<'_> {
    fn default() -> Self {
        Self {
            limit: 10,
            otc_only: false,
            stock: None,
            exclude_interactions_from: Severity::Major,
            warn_interactions_from: Severity::Moderate,
        }
    }
}

/// Whether a substitute is the same medicine from another maker or a different one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubstituteKind {
    /// FDA-rated therapeutic equivalent (generic substitution).
    GenericEquivalent,
    /// Different active ingredients for the same purpose: needs the prescriber's or pharmacist's call.
    TherapeuticAlternative,
}

/// One substitute product with why it qualifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Substitute {
    /// The product.
    pub medicine: MedicineSummary,
    /// Generic or alternative.
    pub kind: SubstituteKind,
    /// Why it qualifies, one fact per line, from the data.
    pub why: Vec<String>,
    /// What the pharmacist should check for this patient.
    pub warnings: Vec<Alert>,
    /// The rest of the product's OTC label (lines not about this patient's facts).
    pub label: Vec<Alert>,
    /// Patient facts that could not be checked for this substitute, and why.
    pub not_checked: Vec<NotChecked>,
}

/// The answer to a substitution request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Substitutes {
    /// The medicine to replace.
    pub medicine: MedicineSummary,
    /// FDA-rated equivalents, best first.
    pub generics: Vec<Substitute>,
    /// Therapeutic alternatives, best first.
    pub alternatives: Vec<Substitute>,
    /// Candidates this patient must not take, with the reason.
    pub excluded: Vec<Excluded>,
    /// Allergies, conditions and current medicines that matched nothing: not checked.
    pub unrecognised_patient_entries: Vec<String>,
    /// Patient facts that could not be checked, over the whole answer.
    pub not_checked: Vec<NotChecked>,
    /// Interaction rows with current medicines below `warn_interactions_from`, summed over the
    /// ingredient sets offered (generics share one): dropped from warnings, not absent.
    pub suppressed_interactions: usize,
    /// The knowledge this answer was computed from.
    pub knowledge: KnowledgeVersion,
    /// [`DISCLAIMER`].
    pub disclaimer: &'static str,
}

impl KnowledgeSnapshot {
    /// Finds generic equivalents and therapeutic alternatives of `medicine` for `patient`.
    ///
    /// # Errors
    /// [`RecommendationError::CatalogueNotLoaded`] on an empty snapshot;
    /// [`RecommendationError::MedicineNotFound`] when `medicine` is not in it;
    /// [`RecommendationError::InteractionKnowledgeUnavailable`] when the patient has current
    /// medicines and the snapshot holds no interaction knowledge (never a silent pass).
    pub fn substitutes(
        &self,
        medicine: &MedicineId,
        patient: &Patient,
        options: &SubstituteOptions<'_>,
    ) -> Result<Substitutes, RecommendationError> {
        self.ensure_loaded()?;
        self.ensure_interactions_for(patient)?;
        let index = self
            .medicine_index(medicine)
            .ok_or_else(|| RecommendationError::MedicineNotFound(medicine.clone()))?;
        let original = &self.medicines[index as usize];
        let treatment = self.medicine_treatment[index as usize];
        let context = PatientContext::new(self, patient);
        let thresholds = Thresholds {
            exclude_from: options.exclude_interactions_from,
            warn_from: options.warn_interactions_from,
        };
        let mut excluded = Vec::new();
        let (generics, suppressed_in_generics) = self.generics(
            original,
            index,
            treatment,
            &context,
            thresholds,
            options,
            &mut excluded,
        );
        let (alternatives, suppressed_in_alternatives) = self.alternatives(
            original,
            treatment,
            &context,
            thresholds,
            options,
            &mut excluded,
        );
        excluded.truncate(options.limit);
        let mut not_checked = context.not_checked.clone();
        for entry in generics
            .iter()
            .chain(&alternatives)
            .flat_map(|s| s.not_checked.iter())
        {
            merge_not_checked(&mut not_checked, entry.clone());
        }
        not_checked.sort();
        Ok(Substitutes {
            not_checked,
            medicine: self.summary(index, options.stock),
            generics,
            alternatives,
            excluded,
            suppressed_interactions: suppressed_in_generics + suppressed_in_alternatives,
            unrecognised_patient_entries: context.unrecognised,
            knowledge: self.version.clone(),
            disclaimer: DISCLAIMER,
        })
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "private helper sharing one request's state"
    )]
    fn generics(
        &self,
        original: &Medicine,
        index: u32,
        treatment: TreatmentId,
        context: &PatientContext<'_>,
        thresholds: Thresholds,
        options: &SubstituteOptions<'_>,
        excluded: &mut Vec<Excluded>,
    ) -> (Vec<Substitute>, usize) {
        let codes: BTreeSet<&TeCode> = original
            .te_codes
            .iter()
            .filter(|c| c.is_equivalent_rating())
            .collect();
        if codes.is_empty() {
            return (Vec::new(), 0);
        }
        let products = self.ordered_products(treatment, options.stock, |m| {
            m.id != original.id
                && m.strength
                    .trim()
                    .eq_ignore_ascii_case(original.strength.trim())
                && m.dose_form == original.dose_form
                && m.route == original.route
                && m.te_codes.iter().any(|c| codes.contains(c))
                && options.stock.is_none_or(|s| s.in_stock(&m.id))
        });
        let ingredients = self.medicine_ingredients.get(index).unwrap_or_default();
        let assessment = context.assess(ingredients, thresholds);
        // The product itself must fit the patient (age limits by form and strength).
        let (products, unfit): (Vec<u32>, Vec<u32>) = products.into_iter().partition(|&p| {
            context
                .product_rules(ingredients, &self.product_traits[p as usize])
                .0
                .is_none()
        });
        excluded.extend(unfit.into_iter().take(options.limit).filter_map(|p| {
            let reason = context
                .product_rules(ingredients, &self.product_traits[p as usize])
                .0?;
            Some(Excluded {
                medicine: self.summary(p, options.stock),
                reason,
            })
        }));
        if let Some(reason) = &assessment.exclusion {
            excluded.extend(products.iter().take(options.limit).map(|&p| Excluded {
                medicine: self.summary(p, options.stock),
                reason: reason.clone(),
            }));
        }
        if assessment.exclusion.is_some() || products.is_empty() {
            return (Vec::new(), 0);
        }
        let generics = products
            .iter()
            .take(options.limit)
            .map(|&p| {
                let m = &self.medicines[p as usize];
                let shared: Vec<&str> = m
                    .te_codes
                    .iter()
                    .filter(|c| codes.contains(c))
                    .map(TeCode::as_str)
                    .collect();
                Substitute {
                    medicine: self.summary(p, options.stock),
                    kind: SubstituteKind::GenericEquivalent,
                    why: vec![
                        "same active ingredients, strength, dose form and route (FDA Orange Book)"
                            .to_string(),
                        format!(
                            "FDA therapeutic-equivalence code {} on both products",
                            shared.join(", ")
                        ),
                    ],
                    warnings: assessment.warnings.clone(),
                    label: assessment.label.clone(),
                    not_checked: assessment.not_checked.clone(),
                }
            })
            .collect();
        (generics, assessment.suppressed) // one ingredient set: its rows count once
    }

    fn alternatives(
        &self,
        original: &Medicine,
        treatment: TreatmentId,
        context: &PatientContext<'_>,
        thresholds: Thresholds,
        options: &SubstituteOptions<'_>,
        excluded: &mut Vec<Excluded>,
    ) -> (Vec<Substitute>, usize) {
        let own = &self.treatments[treatment as usize].ingredients;
        let mut found: foldhash::HashMap<TreatmentId, Qualifies> = Default::default();
        for &ingredient in own {
            for &class in self.ingredients.classes(ingredient) {
                for &member in self.ingredients.members(class) {
                    for &t in &self.treatments_by_ingredient[member as usize] {
                        found.entry(t).or_default().classes.insert(class);
                    }
                }
            }
            for &condition in &self.conditions.by_ingredient[ingredient as usize] {
                for link in &self.conditions.links[condition as usize] {
                    for &t in &self.treatments_by_ingredient[link.ingredient as usize] {
                        found.entry(t).or_default().conditions.insert(condition);
                    }
                }
            }
        }
        found.remove(&treatment);
        let mut ranked: Vec<(TreatmentId, Qualifies, u32)> = found
            .into_iter()
            .filter_map(|(t, q)| {
                let products = self.ordered_products(t, options.stock, |m| {
                    (!options.otc_only || m.status == MarketingStatus::Otc)
                        && options.stock.is_none_or(|s| s.in_stock(&m.id))
                });
                // Prefer a product with the original's route within the treatment.
                let best = products
                    .iter()
                    .copied()
                    .find(|&p| self.medicines[p as usize].route == original.route)
                    .or_else(|| products.first().copied())?;
                Some((t, q, best))
            })
            .collect();
        ranked.sort_by(|(_, qa, pa), (_, qb, pb)| {
            let (ma, mb) = (&self.medicines[*pa as usize], &self.medicines[*pb as usize]);
            let price = |m: &Medicine| {
                options
                    .stock
                    .and_then(|s| s.get(&m.id))
                    .map(StockLine::price_key)
            };
            qa.classes
                .is_empty()
                .cmp(&qb.classes.is_empty())
                .then_with(|| qb.conditions.len().cmp(&qa.conditions.len()))
                .then_with(|| (mb.route == original.route).cmp(&(ma.route == original.route)))
                .then_with(|| {
                    (mb.status == MarketingStatus::Otc).cmp(&(ma.status == MarketingStatus::Otc))
                })
                .then_with(|| price(ma).cmp(&price(mb)))
                .then_with(|| ma.id.cmp(&mb.id))
        });
        let (mut out, mut suppressed) = (Vec::new(), 0);
        for (t, qualifies, product) in ranked {
            if out.len() >= options.limit {
                break;
            }
            let ingredients = &self.treatments[t as usize].ingredients;
            let mut assessment = context.assess(ingredients, thresholds);
            // The product itself must fit the patient (age limits by form and strength).
            let (exclusion, mut warnings) =
                context.product_rules(ingredients, &self.product_traits[product as usize]);
            if let Some(reason) = assessment.exclusion.take().or(exclusion) {
                excluded.push(Excluded {
                    medicine: self.summary(product, options.stock),
                    reason,
                });
                continue;
            }
            assessment.warnings.append(&mut warnings);
            suppressed += assessment.suppressed;
            out.push(Substitute {
                medicine: self.summary(product, options.stock),
                kind: SubstituteKind::TherapeuticAlternative,
                why: qualifies.explain(self),
                warnings: assessment.warnings,
                label: assessment.label,
                not_checked: assessment.not_checked,
            });
        }
        (out, suppressed)
    }
}

/// What an alternative shares with the original.
#[derive(Debug, Default)]
struct Qualifies {
    classes: BTreeSet<u32>,
    conditions: BTreeSet<u32>,
}

impl Qualifies {
    fn explain(&self, catalogue: &KnowledgeSnapshot) -> Vec<String> {
        let mut why = Vec::new();
        if !self.classes.is_empty() {
            let names: Vec<&str> = self
                .classes
                .iter()
                .map(|&c| catalogue.ingredients.class_name(c))
                .collect();
            why.push(format!(
                "same FDA pharmacologic class: {} (DrugCentral 2016)",
                names.join(", ")
            ));
        }
        if !self.conditions.is_empty() {
            let names: Vec<&str> = self
                .conditions
                .iter()
                .take(5)
                .filter_map(|&c| {
                    catalogue
                        .conditions
                        .names
                        .get(c as usize)
                        .map(String::as_str)
                })
                .collect();
            let more = self.conditions.len().saturating_sub(names.len());
            let suffix = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            why.push(format!(
                "shared indication: {}{suffix} (indications.csv)",
                names.join(", ")
            ));
        }
        why
    }
}
