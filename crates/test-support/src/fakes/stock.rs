//! The pharmacy and stock ports in memory.

use async_trait::async_trait;
use pharmarec_domain::ports::{PharmacyRepository, StockRepository};
use pharmarec_domain::{
    AuditContext, ConflictKind, DomainError, Entity, MedicineId, NewPharmacy, Page, PageRequest,
    Pharmacy, PharmacyId, StockAdjustment, StockLevel, StockUpdate,
};

use super::{Contexts, FakeCatalogue, Medicines, Pharmacies, StockLines, epoch, page_of};

/// [`PharmacyRepository`] in memory.
#[derive(Debug, Default)]
pub struct FakePharmacies {
    /// The pharmacies.
    pub pharmacies: Pharmacies,
    /// The audit context of every write, in order.
    pub contexts: Contexts,
}

#[async_trait]
impl PharmacyRepository for FakePharmacies {
    async fn create(
        &self,
        pharmacy: NewPharmacy,
        ctx: &AuditContext,
    ) -> Result<Pharmacy, DomainError> {
        self.contexts.record(ctx);
        let created = Pharmacy {
            id: PharmacyId::new(),
            name: pharmacy.name,
            address: pharmacy.address,
            created_at: epoch(),
        };
        let mut pharmacies = self.pharmacies.lock().unwrap();
        pharmacies.insert(created.id, created.clone());
        Ok(created)
    }

    async fn get(&self, id: PharmacyId) -> Result<Pharmacy, DomainError> {
        let pharmacies = self.pharmacies.lock().unwrap();
        pharmacies
            .get(&id)
            .cloned()
            .ok_or_else(|| DomainError::not_found(Entity::Pharmacy, &id))
    }

    async fn list(&self, page: PageRequest) -> Result<Page<Pharmacy>, DomainError> {
        let mut all: Vec<Pharmacy> = self.pharmacies.lock().unwrap().values().cloned().collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(page_of(&all, page))
    }
}

/// [`StockRepository`] in memory, over the maps of the pharmacy and catalogue fakes it was made with.
#[derive(Debug)]
pub struct FakeStock {
    /// The stock lines (shared with the catalogue fake).
    pub lines: StockLines,
    /// The audit context of every write, in order.
    pub contexts: Contexts,
    pharmacies: Pharmacies,
    medicines: Medicines,
}

impl FakeStock {
    /// Stock over the pharmacies of `pharmacies` and the medicines and lines of `catalogue`.
    pub fn new(pharmacies: &FakePharmacies, catalogue: &FakeCatalogue) -> Self {
        Self {
            lines: catalogue.stock_lines.clone(),
            contexts: Contexts::default(),
            pharmacies: pharmacies.pharmacies.clone(),
            medicines: catalogue.medicines.clone(),
        }
    }

    /// The database's rule: `NotFound` for an unknown pharmacy or medicine.
    fn check_exists(&self, pharmacy: PharmacyId, medicine: &MedicineId) -> Result<(), DomainError> {
        if !self.pharmacies.lock().unwrap().contains_key(&pharmacy) {
            return Err(DomainError::not_found(Entity::Pharmacy, &pharmacy));
        }
        if !self.medicines.lock().unwrap().contains_key(medicine) {
            return Err(DomainError::not_found(Entity::Medicine, medicine));
        }
        Ok(())
    }
}

#[async_trait]
impl StockRepository for FakeStock {
    async fn list(
        &self,
        pharmacy: PharmacyId,
        page: PageRequest,
    ) -> Result<Page<StockLevel>, DomainError> {
        Ok(page_of(&self.all_for(pharmacy).await?, page))
    }

    async fn list_low(
        &self,
        pharmacy: PharmacyId,
        page: PageRequest,
    ) -> Result<Page<StockLevel>, DomainError> {
        let mut low = self.all_for(pharmacy).await?;
        low.retain(StockLevel::is_low);
        Ok(page_of(&low, page))
    }

    async fn all_for(&self, pharmacy: PharmacyId) -> Result<Vec<StockLevel>, DomainError> {
        if !self.pharmacies.lock().unwrap().contains_key(&pharmacy) {
            return Err(DomainError::not_found(Entity::Pharmacy, &pharmacy));
        }
        let lines = self.lines.lock().unwrap();
        Ok(lines
            .values()
            .filter(|l| l.pharmacy_id == pharmacy)
            .cloned()
            .collect())
    }

    async fn put(
        &self,
        pharmacy: PharmacyId,
        medicine: &MedicineId,
        update: StockUpdate,
        ctx: &AuditContext,
    ) -> Result<StockLevel, DomainError> {
        self.contexts.record(ctx);
        self.check_exists(pharmacy, medicine)?;
        let mut lines = self.lines.lock().unwrap();
        let current = lines
            .get(&(pharmacy, medicine.clone()))
            .map_or(0, |l| l.version);
        if current != update.expected_version {
            return Err(DomainError::conflict(
                ConflictKind::StaleVersion,
                Entity::Stock,
                "stale version",
            ));
        }
        let level = StockLevel {
            pharmacy_id: pharmacy,
            medicine_id: medicine.clone(),
            quantity: update.quantity,
            price: update.price,
            version: current + 1,
            updated_at: epoch(),
            low_stock_threshold: update.low_stock_threshold,
        };
        lines.insert((pharmacy, medicine.clone()), level.clone());
        Ok(level)
    }

    async fn adjust(
        &self,
        pharmacy: PharmacyId,
        medicine: &MedicineId,
        adjustment: StockAdjustment,
        ctx: &AuditContext,
    ) -> Result<StockLevel, DomainError> {
        self.contexts.record(ctx);
        let mut lines = self.lines.lock().unwrap();
        let Some(line) = lines.get_mut(&(pharmacy, medicine.clone())) else {
            self.check_exists(pharmacy, medicine)?;
            return Err(DomainError::not_found(
                Entity::Stock,
                &format!("{pharmacy}/{medicine}"),
            ));
        };
        line.quantity = adjustment.apply_to(line.quantity)?;
        line.version += 1;
        Ok(line.clone())
    }
}
