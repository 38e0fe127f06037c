//! In-memory fakes of the domain ports, with just enough behaviour for the HTTP layer's tests.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use chrono::NaiveDateTime;
use pharmarec_domain::ports::{
    HealthProbe, MedicineCatalogue, MedicineQuery, MedicineSort, PharmacyRepository, PoolStats,
    StockRepository,
};
use pharmarec_domain::{
    AuditContext, DomainError, Ingredient, IngredientKey, MarketingStatus, Medicine, MedicineId,
    NewMedicine, NewPharmacy, Page, PageRequest, Pharmacy, PharmacyId, StockAdjustment, StockLevel,
    StockUpdate,
};

pub(crate) fn epoch() -> NaiveDateTime {
    chrono::DateTime::from_timestamp(1_700_000_000, 0)
        .unwrap()
        .naive_utc()
}

fn page_of<T: Clone>(items: &[T], request: PageRequest) -> Page<T> {
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

pub(crate) fn ingredient(name: &str) -> Ingredient {
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

pub(crate) fn medicine(
    id: &str,
    brand: &str,
    ingredient: &str,
    status: MarketingStatus,
) -> Medicine {
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

#[derive(Default)]
pub(crate) struct FakeCatalogue {
    pub(crate) medicines: Mutex<BTreeMap<MedicineId, Medicine>>,
    pub(crate) ingredients: Vec<Ingredient>,
    pub(crate) conditions: Vec<String>,
    /// Medicines some pharmacy stocks, which cannot be deleted.
    pub(crate) stocked: Mutex<Vec<MedicineId>>,
    /// The audit context of every write, in order.
    pub(crate) contexts: Contexts,
}

/// The audit contexts a fake's writes received, so tests can check what reached the port.
#[derive(Default)]
pub(crate) struct Contexts(Mutex<Vec<AuditContext>>);

impl Contexts {
    pub(crate) fn record(&self, ctx: &AuditContext) {
        self.0.lock().unwrap().push(ctx.clone());
    }

    pub(crate) fn last(&self) -> AuditContext {
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
            .ok_or_else(|| DomainError::not_found(pharmarec_domain::Entity::Medicine, id))
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
            .ok_or_else(|| DomainError::not_found(pharmarec_domain::Entity::Medicine, id))?;
        *slot = medicine.into_medicine(id.clone());
        Ok(slot.clone())
    }

    async fn delete(&self, id: &MedicineId, ctx: &AuditContext) -> Result<(), DomainError> {
        self.contexts.record(ctx);
        if self.stocked.lock().unwrap().contains(id) {
            return Err(DomainError::conflict(
                pharmarec_domain::Entity::Medicine,
                "a pharmacy stocks it",
            ));
        }
        let mut medicines = self.medicines.lock().unwrap();
        medicines
            .remove(id)
            .map(|_| ())
            .ok_or_else(|| DomainError::not_found(pharmarec_domain::Entity::Medicine, id))
    }
}

impl FakeCatalogue {
    fn check_ingredients(&self, medicine: &NewMedicine) -> Result<(), DomainError> {
        match medicine
            .ingredients
            .iter()
            .find(|k| !self.ingredients.iter().any(|i| &i.key == *k))
        {
            Some(missing) => Err(DomainError::not_found(
                pharmarec_domain::Entity::Ingredient,
                missing,
            )),
            None => Ok(()),
        }
    }
}

#[derive(Default)]
pub(crate) struct FakePharmacies {
    pub(crate) pharmacies: Mutex<BTreeMap<PharmacyId, Pharmacy>>,
    pub(crate) contexts: Contexts,
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
            .ok_or_else(|| DomainError::not_found(pharmarec_domain::Entity::Pharmacy, &id))
    }

    async fn list(&self, page: PageRequest) -> Result<Page<Pharmacy>, DomainError> {
        let mut all: Vec<Pharmacy> = self.pharmacies.lock().unwrap().values().cloned().collect();
        all.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(page_of(&all, page))
    }
}

#[derive(Default)]
pub(crate) struct FakeStock {
    pub(crate) lines: Mutex<BTreeMap<(PharmacyId, MedicineId), StockLevel>>,
    pub(crate) contexts: Contexts,
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
        let mut lines = self.lines.lock().unwrap();
        let current = lines
            .get(&(pharmacy, medicine.clone()))
            .map_or(0, |l| l.version);
        if current != update.expected_version {
            return Err(DomainError::conflict(
                pharmarec_domain::Entity::Stock,
                format!("version {} is not current", update.expected_version),
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
        let line = lines
            .get_mut(&(pharmacy, medicine.clone()))
            .ok_or_else(|| DomainError::not_found(pharmarec_domain::Entity::Stock, medicine))?;
        line.quantity = adjustment.apply_to(line.quantity)?;
        line.version += 1;
        Ok(line.clone())
    }
}

pub(crate) struct FakeProbe {
    pub(crate) name: &'static str,
    pub(crate) up: AtomicBool,
    pub(crate) stats: Option<PoolStats>,
}

impl FakeProbe {
    pub(crate) fn new(name: &'static str, stats: Option<PoolStats>) -> Self {
        Self {
            name,
            up: AtomicBool::new(true),
            stats,
        }
    }

    pub(crate) fn set_up(&self, up: bool) {
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
