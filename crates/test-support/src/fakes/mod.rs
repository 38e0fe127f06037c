//! In-memory fakes of the domain ports for the HTTP layer's tests, held to the same contract as the
//! database by [`crate::contract`].
//!
//! The catalogue, pharmacy and stock fakes share their maps the way the database shares its tables,
//! so a stock write sees unknown pharmacies and medicines and a delete sees stocked medicines.

mod accounts;

pub use accounts::{FakeAudit, FakeCache, FakeLimiter, FakeRefreshTokens, FakeUsers};

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::NaiveDateTime;
use pharmarec_domain::ports::{
    HealthProbe, MedicineCatalogue, MedicineQuery, MedicineSort, PharmacyRepository, PoolStats,
    StockRepository,
};
use pharmarec_domain::{
    AuditContext, ConflictKind, DomainError, Entity, Ingredient, IngredientKey, MarketingStatus,
    Medicine, MedicineId, MedicineOrigin, NewMedicine, NewPharmacy, Page, PageRequest, Pharmacy,
    PharmacyId, StockAdjustment, StockLevel, StockUpdate,
};

/// The fixed timestamp of everything the fakes create.
pub fn epoch() -> NaiveDateTime {
    chrono::DateTime::from_timestamp(1_700_000_000, 0)
        .unwrap()
        .naive_utc()
}

/// One page of `items`.
pub(crate) fn page_of<T: Clone>(items: &[T], request: PageRequest) -> Page<T> {
    let offset = usize::try_from(request.offset()).unwrap();
    Page {
        items: items
            .iter()
            .skip(offset)
            .take(request.per_page() as usize)
            .cloned()
            .collect(),
        request,
        total_items: items.len() as u64,
    }
}

fn key(text: &str) -> IngredientKey {
    text.parse().unwrap()
}

/// A synthetic ingredient named `name`.
pub fn ingredient(name: &str) -> Ingredient {
    Ingredient {
        key: key(name),
        inn_name: Some(name.to_owned()),
        us_name: Some(name.to_owned()),
        epc_classes: vec!["Analgesic [EPC]".to_owned()],
        moa_classes: vec![],
        rxcui: vec!["161".to_owned()],
        has_otc_product: true,
    }
}

/// A synthetic imported-looking medicine of one ingredient.
pub fn medicine(id: &str, brand: &str, ingredient: &str, status: MarketingStatus) -> Medicine {
    NewMedicine {
        brand_name: brand.to_owned(),
        ingredients: vec![key(ingredient)],
        strength: "500MG".to_owned(),
        dose_form: "tablet".to_owned(),
        route: "oral".to_owned(),
        status,
        applicant: None,
    }
    .into_medicine(id.parse().unwrap())
}

/// Medicines by id, shared by the catalogue and stock fakes.
pub type Medicines = Arc<Mutex<BTreeMap<MedicineId, Medicine>>>;
/// Stock lines by pharmacy and medicine, shared by the catalogue and stock fakes.
pub type StockLines = Arc<Mutex<BTreeMap<(PharmacyId, MedicineId), StockLevel>>>;
/// Pharmacies by id, shared by the pharmacy and stock fakes.
pub type Pharmacies = Arc<Mutex<BTreeMap<PharmacyId, Pharmacy>>>;

/// [`MedicineCatalogue`] in memory.
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

/// The audit contexts a fake's writes received, so tests can check what reached the port.
#[derive(Debug, Default)]
pub struct Contexts(Mutex<Vec<AuditContext>>);

impl Contexts {
    /// Remembers the context of one write.
    pub fn record(&self, ctx: &AuditContext) {
        self.0.lock().unwrap().push(ctx.clone());
    }

    /// The context of the last write.
    pub fn last(&self) -> AuditContext {
        self.0.lock().unwrap().last().cloned().unwrap()
    }
}

#[async_trait]
impl MedicineCatalogue for FakeCatalogue {
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
    /// The database's rule: every ingredient must be known, else `Invalid` naming the first unknown.
    fn check_ingredients(&self, medicine: &NewMedicine) -> Result<(), DomainError> {
        match medicine
            .ingredients
            .iter()
            .find(|k| !self.ingredients.iter().any(|i| &i.key == *k))
        {
            Some(missing) => Err(DomainError::invalid(
                "ingredients",
                format!("unknown ingredient '{missing}'"),
            )),
            None => Ok(()),
        }
    }
}

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

/// A [`HealthProbe`] switched up and down by the test.
#[derive(Debug)]
pub struct FakeProbe {
    /// Name shown in health output.
    pub name: &'static str,
    /// Whether `ping` answers.
    pub up: AtomicBool,
    /// Pool figures to report.
    pub stats: Option<PoolStats>,
}

impl FakeProbe {
    /// An up probe.
    pub fn new(name: &'static str, stats: Option<PoolStats>) -> Self {
        Self {
            name,
            up: AtomicBool::new(true),
            stats,
        }
    }

    /// Switches the probe up or down.
    pub fn set_up(&self, up: bool) {
        self.up.store(up, Ordering::SeqCst);
    }
}

#[async_trait]
impl HealthProbe for FakeProbe {
    fn name(&self) -> &'static str {
        self.name
    }

    async fn ping(&self) -> Result<(), DomainError> {
        if self.up.load(Ordering::SeqCst) {
            Ok(())
        } else {
            Err(DomainError::unavailable(self.name, "connection refused"))
        }
    }

    fn pool_stats(&self) -> Option<PoolStats> {
        self.stats
    }
}
