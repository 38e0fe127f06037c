//! [`MedicineRepository`] for [`Database`]: reads delegate to `search`; every write bumps the
//! catalogue version and records its audit event in its own transaction.

use std::collections::HashSet;

use async_trait::async_trait;
use diesel::dsl::exists;
use diesel::prelude::*;
use pharmarec_domain::ports::{MedicineQuery, MedicineRepository};
use pharmarec_domain::{
    AuditAction, AuditContext, DomainError, Entity, Ingredient, IngredientKey, Medicine,
    MedicineId, MedicineOrigin, NewMedicine, Page, PageRequest,
};

use crate::audit::snapshot::MedicineV1;
use crate::audit::{self, snapshot};
use crate::connection::DbConnection;
use crate::error::TxError;
use crate::read::{self, Scope};
use crate::schema::{ingredients, medicine_ingredients, medicines, stock_levels};
use crate::{Database, rows, search, tx};

/// One medicine by id, or `NotFound`.
fn find(conn: &mut DbConnection, id: &MedicineId) -> Result<Medicine, TxError> {
    read::medicines(conn, Scope::Ids(&[id.to_string()]))?
        .pop()
        .ok_or_else(|| DomainError::not_found(pharmarec_domain::Entity::Medicine, id).into())
}

/// Refuses ingredient keys the catalogue does not know, naming the first unknown one.
fn check_ingredients(conn: &mut DbConnection, keys: &[IngredientKey]) -> Result<(), TxError> {
    let wanted: Vec<&str> = keys.iter().map(IngredientKey::as_str).collect();
    let known: HashSet<String> = ingredients::table
        .filter(ingredients::ingredient_key.eq_any(&wanted))
        .select(ingredients::ingredient_key)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    match wanted.iter().find(|k| !known.contains(**k)) {
        Some(unknown) => Err(DomainError::not_found(Entity::Ingredient, unknown).into()),
        None => Ok(()),
    }
}

/// Writes a medicine's ingredient rows, replacing any it had.
fn write_parts(conn: &mut DbConnection, medicine: &Medicine) -> Result<rows::MedicineRow, TxError> {
    let (row, parts) = rows::medicine_rows(medicine)?;
    diesel::delete(
        medicine_ingredients::table.filter(medicine_ingredients::medicine_id.eq(&row.id)),
    )
    .execute(conn)?;
    tx::insert_rows!(conn, medicine_ingredients::table, &parts)?;
    Ok(row)
}

fn create(
    conn: &mut DbConnection,
    medicine: NewMedicine,
    ctx: &AuditContext,
) -> Result<Medicine, TxError> {
    conn.transaction(|conn| {
        tx::bump_version(conn)?;
        check_ingredients(conn, &medicine.ingredients)?;
        let created = medicine.into_medicine(MedicineId::new_local());
        let (row, _) = rows::medicine_rows(&created)?;
        diesel::insert_into(medicines::table)
            .values(&row)
            .execute(conn)?;
        write_parts(conn, &created)?;
        let after = snapshot(&MedicineV1::from(&created))?;
        audit::record(
            conn,
            ctx,
            AuditAction::MedicineCreate,
            &row.id,
            None,
            Some(after),
        )?;
        Ok(created)
    })
}

/// Replaces the facts a [`NewMedicine`] carries. Id, origin, TE codes, application, approval date
/// and RLD flag stay.
fn update(
    conn: &mut DbConnection,
    id: MedicineId,
    medicine: NewMedicine,
    ctx: &AuditContext,
) -> Result<Medicine, TxError> {
    conn.transaction(|conn| {
        tx::bump_version(conn)?;
        let old = find(conn, &id)?;
        ensure_local(&old)?;
        let before = snapshot(&MedicineV1::from(&old))?;
        check_ingredients(conn, &medicine.ingredients)?;
        let updated = Medicine {
            origin: old.origin,
            te_codes: old.te_codes,
            application: old.application,
            approval_date: old.approval_date,
            reference_listed_drug: old.reference_listed_drug,
            ..medicine.into_medicine(id)
        };
        let row = write_parts(conn, &updated)?;
        diesel::update(medicines::table.find(&row.id))
            .set(&row)
            .execute(conn)?;
        let after = snapshot(&MedicineV1::from(&updated))?;
        audit::record(
            conn,
            ctx,
            AuditAction::MedicineUpdate,
            &row.id,
            Some(before),
            Some(after),
        )?;
        Ok(updated)
    })
}

/// Imported products belong to the import: an edit would be undone by the next import (and could turn a
/// prescription product into an OTC one for every caller), so only local products change by hand.
fn ensure_local(medicine: &Medicine) -> Result<(), TxError> {
    match medicine.origin {
        MedicineOrigin::Local => Ok(()),
        MedicineOrigin::Imported { .. } => Err(DomainError::conflict(
            pharmarec_domain::ConflictKind::ManagedByImport,
            pharmarec_domain::Entity::Medicine,
            "imported products are maintained by the catalogue import; create a local product instead",
        )
        .into()),
    }
}

fn delete(conn: &mut DbConnection, id: &MedicineId, ctx: &AuditContext) -> Result<(), TxError> {
    conn.transaction(|conn| {
        tx::bump_version(conn)?;
        let old = find(conn, id)?;
        ensure_local(&old)?;
        let key = id.to_string();
        let stocked: bool = diesel::select(exists(
            stock_levels::table.filter(stock_levels::medicine_id.eq(&key)),
        ))
        .get_result(conn)?;
        if stocked {
            return Err(DomainError::conflict(
                pharmarec_domain::ConflictKind::Referenced,
                pharmarec_domain::Entity::Medicine,
                "a pharmacy still stocks it; remove its stock lines first",
            )
            .into());
        }
        diesel::delete(
            medicine_ingredients::table.filter(medicine_ingredients::medicine_id.eq(&key)),
        )
        .execute(conn)?;
        diesel::delete(medicines::table.find(&key)).execute(conn)?;
        let before = snapshot(&MedicineV1::from(&old))?;
        audit::record(
            conn,
            ctx,
            AuditAction::MedicineDelete,
            &key,
            Some(before),
            None,
        )?;
        Ok(())
    })
}

#[async_trait]
impl MedicineRepository for Database {
    async fn get(&self, id: &MedicineId) -> Result<Medicine, DomainError> {
        let id = id.clone();
        self.run(move |conn| find(conn, &id)).await
    }

    #[tracing::instrument(skip_all)]
    async fn search(&self, query: &MedicineQuery) -> Result<Page<Medicine>, DomainError> {
        let query = query.clone();
        self.run(move |conn| search::medicines(conn, &query)).await
    }

    async fn ingredients(
        &self,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Ingredient>, DomainError> {
        let text = text.map(str::to_string);
        self.run(move |conn| search::ingredients(conn, text.as_deref(), page))
            .await
    }

    async fn conditions(
        &self,
        text: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<String>, DomainError> {
        let text = text.map(str::to_string);
        self.run(move |conn| search::conditions(conn, text.as_deref(), page))
            .await
    }

    async fn create(
        &self,
        medicine: NewMedicine,
        ctx: &AuditContext,
    ) -> Result<Medicine, DomainError> {
        let ctx = ctx.clone();
        self.run(move |conn| create(conn, medicine, &ctx)).await
    }

    async fn update(
        &self,
        id: &MedicineId,
        medicine: NewMedicine,
        ctx: &AuditContext,
    ) -> Result<Medicine, DomainError> {
        let (id, ctx) = (id.clone(), ctx.clone());
        self.run(move |conn| update(conn, id, medicine, &ctx)).await
    }

    async fn delete(&self, id: &MedicineId, ctx: &AuditContext) -> Result<(), DomainError> {
        let (id, ctx) = (id.clone(), ctx.clone());
        self.run(move |conn| delete(conn, &id, &ctx)).await
    }
}
