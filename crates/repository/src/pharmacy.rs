//! [`PharmacyRepository`] for [`Database`]; creating a pharmacy is audited.

use async_trait::async_trait;
use diesel::prelude::*;
use pharmarec_domain::ports::PharmacyRepository;
use pharmarec_domain::{
    AuditAction, AuditContext, DomainError, NewPharmacy, Page, PageRequest, Pharmacy, PharmacyId,
};

use crate::audit::snapshot::PharmacyV1;
use crate::audit::{self, snapshot};
use crate::connection::DbConnection;
use crate::error::TxError;
use crate::paging::{limits, total};
use crate::rows::PharmacyRow;
use crate::schema::pharmacies;
use crate::{Database, tx};

/// One pharmacy by id, or `NotFound`.
pub(crate) fn find(conn: &mut DbConnection, id: PharmacyId) -> Result<Pharmacy, TxError> {
    pharmacies::table
        .find(id.to_string())
        .select(PharmacyRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            TxError::from(DomainError::not_found(
                pharmarec_domain::Entity::Pharmacy,
                &id,
            ))
        })?
        .try_into()
}

fn create(
    conn: &mut DbConnection,
    pharmacy: NewPharmacy,
    ctx: &AuditContext,
) -> Result<Pharmacy, TxError> {
    conn.transaction(|conn| {
        let row = PharmacyRow {
            id: PharmacyId::new().to_string(),
            name: pharmacy.name,
            address: pharmacy.address,
            created_at: tx::now(),
        };
        diesel::insert_into(pharmacies::table)
            .values(&row)
            .execute(conn)?;
        let created = Pharmacy::try_from(row)?;
        let (id, after) = (
            created.id.to_string(),
            snapshot(&PharmacyV1::from(&created))?,
        );
        audit::record(
            conn,
            ctx,
            AuditAction::PharmacyCreate,
            &id,
            None,
            Some(after),
        )?;
        Ok(created)
    })
}

#[async_trait]
impl PharmacyRepository for Database {
    async fn create(
        &self,
        pharmacy: NewPharmacy,
        ctx: &AuditContext,
    ) -> Result<Pharmacy, DomainError> {
        let ctx = ctx.clone();
        self.run(move |conn| create(conn, pharmacy, &ctx)).await
    }

    async fn get(&self, id: PharmacyId) -> Result<Pharmacy, DomainError> {
        self.run(move |conn| find(conn, id)).await
    }

    async fn list(&self, page: PageRequest) -> Result<Page<Pharmacy>, DomainError> {
        self.run(move |conn| {
            let (limit, offset) = limits(page)?;
            let count: i64 = pharmacies::table.count().get_result(conn)?;
            let items = pharmacies::table
                .select(PharmacyRow::as_select())
                .order((pharmacies::name, pharmacies::id))
                .limit(limit)
                .offset(offset)
                .load(conn)?
                .into_iter()
                .map(Pharmacy::try_from)
                .collect::<Result<_, _>>()?;
            Ok(Page {
                items,
                request: page,
                total_items: total(count),
            })
        })
        .await
    }
}
