//! The catalogue port in memory.

use async_trait::async_trait;
use pharmarec_domain::ports::{MedicineQuery, MedicineRepository, MedicineSort};
use pharmarec_domain::{
    AuditContext, ConflictKind, DomainError, Entity, Ingredient, Medicine, MedicineId,
    MedicineOrigin, NewMedicine, Page, PageRequest,
};

use super::{Contexts, Medicines, StockLines, page_of};

/// [`MedicineRepository`] in memory.
#[derive(Debug, Default)]
pub struct FakeCatalogue {
    /// The medicines.
    pub medicines: Medicines,
    /// The ingredients a medicine may name.
    pub ingredients: Vec<Ingredient>,
    /// The indication conditions.
    pub conditions: Vec<String>,
    /// The stock lines, which keep a medicine from being deleted.
    pub stock_lines: StockLines,
    /// The audit context of every write, in order.
    pub contexts: Contexts,
}

#[async_trait]
impl MedicineRepository for FakeCatalogue {
    async fn get(&self, id: &MedicineId) -> Result<Medicine, DomainError> {
        let medicines = self.medicines.lock().unwrap();
        medicines
            .get(id)
            .cloned()
            .ok_or_else(|| DomainError::not_found(Entity::Medicine, id))
    }

    async fn search(&self, query: &MedicineQuery) -> Result<Page<Medicine>, DomainError> {
        let medicines = self.medicines.lock().unwrap();
        let text = query.text.as_deref().map(str::to_lowercase);
        let mut found: Vec<Medicine> = medicines
            .values()
            .filter(|m| {
                text.as_deref().is_none_or(|t| {
                    m.brand_name.to_lowercase().contains(t)
                        || m.ingredient_keys().any(|k| k.as_str().contains(t))
                })
            })
            .filter(|m| query.status.is_none_or(|s| m.status == s))
            .filter(|m| query.dose_form.as_deref().is_none_or(|f| m.dose_form == f))
            .cloned()
            .collect();
        match query.sort {
            MedicineSort::Name => found.sort_by(|a, b| a.brand_name.cmp(&b.brand_name)),
            MedicineSort::NameDesc => found.sort_by(|a, b| b.brand_name.cmp(&a.brand_name)),
            MedicineSort::Id => found.sort_by(|a, b| a.id.cmp(&b.id)),
        }
        Ok(page_of(&found, query.page))
    }

    async fn ingredients(
        &self,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Ingredient>, DomainError> {
        let found: Vec<Ingredient> = self
            .ingredients
            .iter()
            .filter(|i| text.is_none_or(|t| i.key.as_str().contains(t)))
            .cloned()
            .collect();
        Ok(page_of(&found, page))
    }

    async fn conditions(
        &self,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<String>, DomainError> {
        let found: Vec<String> = self
            .conditions
            .iter()
            .filter(|c| text.is_none_or(|t| c.contains(t)))
            .cloned()
            .collect();
        Ok(page_of(&found, page))
    }

    async fn create(
        &self,
        medicine: NewMedicine,
        ctx: &AuditContext,
    ) -> Result<Medicine, DomainError> {
        self.contexts.record(ctx);
        self.check_ingredients(&medicine)?;
        let created = medicine.into_medicine(MedicineId::new_local());
        let mut medicines = self.medicines.lock().unwrap();
        medicines.insert(created.id.clone(), created.clone());
        Ok(created)
    }

    async fn update(
        &self,
        id: &MedicineId,
        medicine: NewMedicine,
        ctx: &AuditContext,
    ) -> Result<Medicine, DomainError> {
        self.contexts.record(ctx);
        self.check_ingredients(&medicine)?;
        let mut medicines = self.medicines.lock().unwrap();
        let slot = medicines
            .get_mut(id)
            .ok_or_else(|| DomainError::not_found(Entity::Medicine, id))?;
        ensure_local(slot)?;
        *slot = medicine.into_medicine(id.clone());
        Ok(slot.clone())
    }

    async fn delete(&self, id: &MedicineId, ctx: &AuditContext) -> Result<(), DomainError> {
        self.contexts.record(ctx);
        let mut medicines = self.medicines.lock().unwrap();
        let medicine = medicines
            .get(id)
            .ok_or_else(|| DomainError::not_found(Entity::Medicine, id))?;
        ensure_local(medicine)?;
        let stock_lines = self.stock_lines.lock().unwrap();
        if stock_lines.keys().any(|(_, stocked)| stocked == id) {
            return Err(DomainError::conflict(
                ConflictKind::Referenced,
                Entity::Medicine,
                "a pharmacy still stocks it; remove its stock lines first",
            ));
        }
        medicines.remove(id);
        Ok(())
    }
}

/// The database's rule: imported products change only through the import.
fn ensure_local(medicine: &Medicine) -> Result<(), DomainError> {
    match medicine.origin {
        MedicineOrigin::Local => Ok(()),
        MedicineOrigin::Imported { .. } => Err(DomainError::conflict(
            ConflictKind::ManagedByImport,
            Entity::Medicine,
            "imported products are maintained by the catalogue import; create a local product instead",
        )),
    }
}

impl FakeCatalogue {
    /// The database's rule: every ingredient must be known, else `NotFound` naming the first unknown.
    fn check_ingredients(&self, medicine: &NewMedicine) -> Result<(), DomainError> {
        match medicine
            .ingredients
            .iter()
            .find(|k| !self.ingredients.iter().any(|i| &i.key == *k))
        {
            Some(missing) => Err(DomainError::not_found(Entity::Ingredient, missing)),
            None => Ok(()),
        }
    }
}
