//! [`PharmacyRepository`] for [`Database`].

use async_trait::async_trait;
use chrono::{SubsecRound, Utc};
use diesel::prelude::*;
use pharmarec_domain::ports::PharmacyRepository;
use pharmarec_domain::{DomainError, NewPharmacy, Page, PageRequest, Pharmacy, PharmacyId};

use crate::Database;
use crate::connection::DbConnection;
use crate::error::TxError;
use crate::rows::PharmacyRow;
use crate::schema::pharmacies;

/// One pharmacy by id, or `NotFound`.
pub(crate) fn find(conn: &mut DbConnection, id: PharmacyId) -> Result<Pharmacy, TxError> {
    pharmacies::table
        .find(id.to_string())
        .select(PharmacyRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| TxError::from(DomainError::not_found("pharmacy", &id)))?
        .try_into()
}

/// The current UTC time at microsecond precision, which both backends store exactly.
pub(crate) fn now() -> chrono::NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

#[async_trait]
impl PharmacyRepository for Database {
    async fn create(&self, pharmacy: NewPharmacy) -> Result<Pharmacy, DomainError> {
        self.run(move |conn| {
            let row = PharmacyRow {
                id: PharmacyId::new().to_string(),
                name: pharmacy.name,
                address: pharmacy.address,
                created_at: now(),
            };
            diesel::insert_into(pharmacies::table)
                .values(&row)
                .execute(conn)?;
            row.try_into()
        })
        .await
    }

    async fn get(&self, id: PharmacyId) -> Result<Pharmacy, DomainError> {
        self.run(move |conn| find(conn, id)).await
    }

    async fn list(&self, page: PageRequest) -> Result<Page<Pharmacy>, DomainError> {
        self.run(move |conn| {
            let offset = i64::try_from(page.offset())
                .map_err(|_| DomainError::invalid("page", "too large"))?;
            let total: i64 = pharmacies::table.count().get_result(conn)?;
            let items = pharmacies::table
                .select(PharmacyRow::as_select())
                .order((pharmacies::name, pharmacies::id))
                .limit(i64::from(page.per_page()))
                .offset(offset)
                .load(conn)?
                .into_iter()
                .map(Pharmacy::try_from)
                .collect::<Result<_, _>>()?;
            Ok(Page {
                items,
                request: page,
                total_items: u64::try_from(total).unwrap_or_default(),
            })
        })
        .await
    }
}
