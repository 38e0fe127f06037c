//! [`StockRepository`] for [`Database`]: optimistic `put` and atomic `adjust`, both audited.

use async_trait::async_trait;
use diesel::dsl::exists;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use pharmarec_domain::ports::StockRepository;
use pharmarec_domain::{
    AuditAction, AuditContext, ConflictKind, DomainError, MedicineId, Page, PageRequest,
    PharmacyId, StockAdjustment, StockLevel, StockUpdate,
};

use crate::audit::snapshot::{StockAdjustedV1, StockLineV1, StockLineV2};
use crate::audit::{self, snapshot};
use crate::connection::DbConnection;
use crate::error::TxError;
use crate::paging::{self, limits};
use crate::pharmacy::find as find_pharmacy;
use crate::rows::StockRow;
use crate::schema::{medicines, stock_levels};
use crate::{Database, tx};

/// One stock line by its primary key.
type Line = diesel::dsl::Find<stock_levels::table, (String, String)>;

fn line(pharmacy: &str, medicine: &str) -> Line {
    stock_levels::table.find((pharmacy.to_string(), medicine.to_string()))
}

fn read_line(
    conn: &mut DbConnection,
    pharmacy: &str,
    medicine: &str,
) -> QueryResult<Option<StockRow>> {
    line(pharmacy, medicine)
        .select(StockRow::as_select())
        .first(conn)
        .optional()
}

/// `NotFound` for an unknown pharmacy or medicine.
fn check_exists(
    conn: &mut DbConnection,
    pharmacy: PharmacyId,
    medicine: &MedicineId,
) -> Result<(), TxError> {
    find_pharmacy(conn, pharmacy)?;
    let known: bool =
        diesel::select(exists(medicines::table.find(medicine.to_string()))).get_result(conn)?;
    if known {
        Ok(())
    } else {
        Err(DomainError::not_found(pharmarec_domain::Entity::Medicine, medicine).into())
    }
}

fn stale() -> TxError {
    DomainError::conflict(
        ConflictKind::StaleVersion,
        pharmarec_domain::Entity::Stock,
        "stale version",
    )
    .into()
}

/// The audit entity id of a stock line.
pub(crate) fn line_id(pharmacy: PharmacyId, medicine: &MedicineId) -> String {
    format!("{pharmacy}/{medicine}")
}

/// Creates or replaces a line if `update.expected_version` matches (0 for a new line) and records
/// `stock.put` (before, if the line existed, and after), in one transaction.
fn put(
    conn: &mut DbConnection,
    pharmacy: PharmacyId,
    medicine: &MedicineId,
    update: &StockUpdate,
    ctx: &AuditContext,
) -> Result<StockLevel, TxError> {
    conn.transaction(|conn| {
        tx::lock_for_write(conn)?;
        check_exists(conn, pharmacy, medicine)?;
        let (p, m) = (pharmacy.to_string(), medicine.to_string());
        let written = StockRow {
            pharmacy_id: p.clone(),
            medicine_id: m.clone(),
            quantity: update.quantity,
            price_minor: update.price.minor,
            currency: update.price.currency.clone(),
            version: update.expected_version + 1,
            updated_at: tx::now(),
            low_stock_threshold: update.low_stock_threshold,
            // A new line starts un-alerted; a replaced one keeps its state for the low-stock check.
            low_stock_alerted_at: None,
        };
        let current = read_line(conn, &p, &m)?;
        match &current {
            None if update.expected_version == 0 => {
                // A concurrent create of the same line fails on the primary key: the version this
                // writer expected (none) is no longer current.
                diesel::insert_into(stock_levels::table)
                    .values(&written)
                    .execute(conn)
                    .map_err(|error| match error {
                        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                            stale()
                        }
                        other => TxError::from(other),
                    })?;
            }
            Some(current) if current.version == update.expected_version => {
                // The version guard makes a concurrent PostgreSQL writer lose cleanly.
                let changed =
                    diesel::update(line(&p, &m).filter(stock_levels::version.eq(current.version)))
                        .set((
                            stock_levels::quantity.eq(written.quantity),
                            stock_levels::price_minor.eq(written.price_minor),
                            stock_levels::currency.eq(&written.currency),
                            stock_levels::version.eq(written.version),
                            stock_levels::updated_at.eq(written.updated_at),
                            stock_levels::low_stock_threshold.eq(written.low_stock_threshold),
                        ))
                        .execute(conn)?;
                if changed == 0 {
                    return Err(stale());
                }
            }
            _ => return Err(stale()),
        }
        let before = match current {
            Some(row) => Some(snapshot(&StockLineV2::from(&StockLevel::try_from(row)?))?),
            None => None,
        };
        let after = StockLevel::try_from(written)?;
        let id = line_id(pharmacy, medicine);
        let recorded = snapshot(&StockLineV2::from(&after))?;
        audit::record(
            conn,
            ctx,
            AuditAction::StockPut,
            &id,
            before,
            Some(recorded),
        )?;
        Ok(after)
    })
}

/// Adds `adjustment.delta` through the domain rule and records `stock.adjust` (before, and after
/// with the delta and reason), in one transaction.
fn adjust(
    conn: &mut DbConnection,
    pharmacy: PharmacyId,
    medicine: &MedicineId,
    adjustment: &StockAdjustment,
    ctx: &AuditContext,
) -> Result<StockLevel, TxError> {
    conn.transaction(|conn| {
        let (p, m) = (pharmacy.to_string(), medicine.to_string());
        // A no-op write of the line comes first: it takes SQLite's write lock and PostgreSQL's row
        // lock, so the line read next stays current until commit and concurrent adjusts queue up
        // instead of losing an update.
        diesel::update(line(&p, &m))
            .set(stock_levels::version.eq(stock_levels::version))
            .execute(conn)?;
        let Some(current) = read_line(conn, &p, &m)? else {
            check_exists(conn, pharmacy, medicine)?;
            return Err(DomainError::not_found(
                pharmarec_domain::Entity::Stock,
                &line_id(pharmacy, medicine),
            )
            .into());
        };
        let quantity = adjustment.apply_to(current.quantity)?;
        let written = StockRow {
            quantity,
            version: current.version + 1,
            updated_at: tx::now(),
            ..current.clone()
        };
        diesel::update(line(&p, &m))
            .set((
                stock_levels::quantity.eq(written.quantity),
                stock_levels::version.eq(written.version),
                stock_levels::updated_at.eq(written.updated_at),
            ))
            .execute(conn)?;
        let before = snapshot(&StockLineV1::from(&StockLevel::try_from(current)?))?;
        let after = StockLevel::try_from(written)?;
        let recorded = snapshot(&StockAdjustedV1::new(&after, adjustment))?;
        let id = line_id(pharmacy, medicine);
        audit::record(
            conn,
            ctx,
            AuditAction::StockAdjust,
            &id,
            Some(before),
            Some(recorded),
        )?;
        Ok(after)
    })
}

fn lines(
    conn: &mut DbConnection,
    pharmacy: PharmacyId,
    page: Option<PageRequest>,
) -> Result<(Vec<StockLevel>, i64), TxError> {
    find_pharmacy(conn, pharmacy)?;
    let of_pharmacy = stock_levels::pharmacy_id.eq(pharmacy.to_string());
    let mut query = stock_levels::table
        .filter(of_pharmacy.clone())
        .select(StockRow::as_select())
        .order(stock_levels::medicine_id)
        .into_boxed();
    let mut total = 0;
    if let Some(page) = page {
        let (limit, offset) = limits(page)?;
        total = stock_levels::table
            .filter(of_pharmacy)
            .count()
            .get_result(conn)?;
        query = query.limit(limit).offset(offset);
    }
    let rows = query
        .load(conn)?
        .into_iter()
        .map(StockLevel::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rows, total))
}

#[async_trait]
impl StockRepository for Database {
    async fn list(
        &self,
        pharmacy: PharmacyId,
        page: PageRequest,
    ) -> Result<Page<StockLevel>, DomainError> {
        self.run(move |conn| {
            let (items, total) = lines(conn, pharmacy, Some(page))?;
            Ok(Page {
                items,
                request: page,
                total_items: paging::total(total),
            })
        })
        .await
    }

    async fn list_low(
        &self,
        pharmacy: PharmacyId,
        page: PageRequest,
    ) -> Result<Page<StockLevel>, DomainError> {
        self.low_stock_lines(pharmacy, page).await
    }

    async fn all_for(&self, pharmacy: PharmacyId) -> Result<Vec<StockLevel>, DomainError> {
        self.run(move |conn| Ok(lines(conn, pharmacy, None)?.0))
            .await
    }

    async fn put(
        &self,
        pharmacy: PharmacyId,
        medicine: &MedicineId,
        update: StockUpdate,
        ctx: &AuditContext,
    ) -> Result<StockLevel, DomainError> {
        let (medicine, ctx) = (medicine.clone(), ctx.clone());
        self.run(move |conn| put(conn, pharmacy, &medicine, &update, &ctx))
            .await
    }

    async fn adjust(
        &self,
        pharmacy: PharmacyId,
        medicine: &MedicineId,
        adjustment: StockAdjustment,
        ctx: &AuditContext,
    ) -> Result<StockLevel, DomainError> {
        let (medicine, ctx) = (medicine.clone(), ctx.clone());
        self.run(move |conn| adjust(conn, pharmacy, &medicine, &adjustment, &ctx))
            .await
    }
}
