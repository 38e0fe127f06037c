//! In-memory fakes of the domain ports for the HTTP layer's tests, held to the same contract as the
//! database by [`crate::contract`].
//!
//! The catalogue, pharmacy and stock fakes share their maps the way the database shares its tables,
//! so a stock write sees unknown pharmacies and medicines and a delete sees stocked medicines.

mod accounts;
mod catalogue;
mod stock;

pub use accounts::{FakeAudit, FakeCache, FakeLimiter, FakeRefreshTokens, FakeUsers};
pub use catalogue::FakeCatalogue;
pub use stock::{FakePharmacies, FakeStock};

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use chrono::NaiveDateTime;
use pharmarec_domain::ports::{HealthProbe, PoolStats};
use pharmarec_domain::{
    AuditContext, DomainError, Ingredient, IngredientKey, MarketingStatus, Medicine, MedicineId,
    NewMedicine, Page, PageRequest, Pharmacy, PharmacyId, StockLevel,
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
