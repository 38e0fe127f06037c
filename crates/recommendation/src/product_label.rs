//! A product's OTC label lines, for a product page: the same label evaluation as recommendations,
//! substitutes and baskets (`safety`), with every section returned.

use pharmarec_domain::MedicineId;

use crate::Patient;
use crate::model::Alert;
use crate::safety::PatientContext;
use crate::snapshot::KnowledgeSnapshot;

impl KnowledgeSnapshot {
    /// The verbatim OTC Drug Facts label lines ("Do not use", "Ask a doctor…", "If pregnant or
    /// breast-feeding") of every shipped label whose ingredients the product `id` contains, each
    /// citing its label; `None` when the snapshot has no such product.
    ///
    /// A line naming one of `patient`'s facts (a condition, a current medicine, an allergy; the
    /// pregnancy section when pregnant or breast-feeding) comes first as a `moderate` warning with
    /// its `patient_fact`; the rest follow ungraded, in label order. Pass `&Patient::default()`
    /// for an unknown patient: every line is then ungraded. An empty list means no shipped label
    /// covers the product, not that it has no warnings. A label's older-adult lines are age rules,
    /// returned by [`KnowledgeSnapshot::recommend`] and [`KnowledgeSnapshot::check_basket`] for a patient's age.
    pub fn label_lines(&self, id: &MedicineId, patient: &Patient) -> Option<Vec<Alert>> {
        let index = self.medicine_index(id)?;
        let ingredients = self.medicine_ingredients.get(index)?;
        Some(PatientContext::new(self, patient).label_lines(ingredients))
    }
}
