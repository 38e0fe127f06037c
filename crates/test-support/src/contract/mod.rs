//! The port contract: what every implementation of a write port answers, error kinds included.
//!
//! The repository's test suite runs each clause against the in-memory [`crate::fakes`] and against
//! `Database` on SQLite and PostgreSQL. A fake that answers differently from production (another
//! error kind, a missing existence check) fails here, not in a production incident.

mod accounts;
mod catalogue;
mod stock;

use std::fmt::Debug;
use std::sync::Arc;

pub use accounts::{pharmacies, users};
pub use catalogue::catalogue;
pub use stock::{adjustment, stock, update};

use pharmarec_domain::ports::{
    MedicineRepository, PharmacyRepository, StockRepository, UserRepository,
};
use pharmarec_domain::{
    AuditContext, ConflictKind, DomainError, Entity, IngredientKey, MarketingStatus, Medicine,
    NewMedicine, NewPharmacy, Pharmacy,
};

use crate::fakes::{FakeCatalogue, FakePharmacies, FakeStock, FakeUsers, ingredient};

/// One implementation of the write ports, with the facts the clauses need.
pub struct Subject {
    /// Shown in assertion messages: `fakes`, `sqlite`, `postgres`.
    pub name: &'static str,
    /// The catalogue.
    pub catalogue: Arc<dyn MedicineRepository>,
    /// The pharmacies.
    pub pharmacies: Arc<dyn PharmacyRepository>,
    /// The stock.
    pub stock: Arc<dyn StockRepository>,
    /// The users.
    pub users: Arc<dyn UserRepository>,
    /// An ingredient the catalogue knows (the database's comes from an import).
    pub known_ingredient: IngredientKey,
}

impl Debug for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subject").field("name", &self.name).finish()
    }
}

impl Subject {
    /// The in-memory fakes, knowing the ingredient `alpha`.
    pub fn fakes() -> Self {
        let catalogue = FakeCatalogue {
            ingredients: vec![ingredient("alpha")],
            ..FakeCatalogue::default()
        };
        let pharmacies = FakePharmacies::default();
        let stock = FakeStock::new(&pharmacies, &catalogue);
        Self {
            name: "fakes",
            catalogue: Arc::new(catalogue),
            pharmacies: Arc::new(pharmacies),
            stock: Arc::new(stock),
            users: Arc::new(FakeUsers::default()),
            known_ingredient: "alpha".parse().unwrap(),
        }
    }

    /// A new pharmacy.
    async fn pharmacy(&self) -> Pharmacy {
        let new = NewPharmacy {
            name: "Contract Pharmacy".into(),
            address: None,
        };
        self.pharmacies.create(new, &ctx()).await.unwrap()
    }

    /// A new local medicine of the known ingredient.
    async fn medicine(&self) -> Medicine {
        let new = self.new_medicine(vec![self.known_ingredient.clone()]);
        self.catalogue.create(new, &ctx()).await.unwrap()
    }

    fn new_medicine(&self, ingredients: Vec<IngredientKey>) -> NewMedicine {
        NewMedicine {
            brand_name: "Synthetic Contract Gel".into(),
            ingredients,
            strength: "1%".into(),
            dose_form: "gel".into(),
            route: "topical".into(),
            status: MarketingStatus::Otc,
            applicant: None,
        }
    }
}

/// The audit context of every write in the contract.
fn ctx() -> AuditContext {
    AuditContext {
        actor: None,
        request_id: "contract".into(),
        client_ip: None,
    }
}

/// Asserts a conflict of `kind` on `entity`.
#[track_caller]
fn assert_conflict<T: Debug>(
    subject: &Subject,
    result: Result<T, DomainError>,
    kind: ConflictKind,
    entity: Entity,
) {
    match result {
        Err(DomainError::Conflict {
            kind: got,
            entity: on,
            ..
        }) if got == kind && on == entity => {}
        other => panic!(
            "{}: expected a {kind} conflict on {entity}, got {other:?}",
            subject.name
        ),
    }
}

/// Asserts `NotFound` of `entity`, with an id.
#[track_caller]
fn assert_not_found<T: Debug>(subject: &Subject, result: Result<T, DomainError>, entity: Entity) {
    match result {
        Err(DomainError::NotFound { entity: got, id }) if got == entity && !id.is_empty() => {}
        other => panic!(
            "{}: expected {entity} not found, got {other:?}",
            subject.name
        ),
    }
}

/// Asserts `Invalid` on `field`.
#[track_caller]
fn assert_invalid<T: Debug>(subject: &Subject, result: Result<T, DomainError>, field: &str) {
    match result {
        Err(DomainError::Invalid { field: got, .. }) if got == field => {}
        other => panic!("{}: expected {field} invalid, got {other:?}", subject.name),
    }
}
