//! [`MaintenanceTasks`] for [`Database`] (expired refresh tokens, low-stock alerts) and the query
//! behind `GET /pharmacies/{id}/stock?low=true`.
//!
//! A line is low when `quantity <= low_stock_threshold`; `low_stock_alerted_at` records that its
//! alert was raised, so the next check raises nothing until the line has recovered and crossed again.

use async_trait::async_trait;
use diesel::dsl;
use diesel::prelude::*;
use pharmarec_domain::ports::{LowStockSweep, MaintenanceTasks};
use pharmarec_domain::{
    AuditAction, AuditContext, DomainError, Page, PageRequest, PharmacyId, StockLevel,
};

use crate::audit;
use crate::audit::snapshot::{StockLineV2, TokensRemovedV1};
use crate::connection::DbConnection;
use crate::error::TxError;
use crate::paging::{limits, total};
use crate::pharmacy::find as find_pharmacy;
use crate::rows::{StockRow, parse_stored};
use crate::schema::{refresh_tokens, stock_levels};
use crate::stock::line_id;
use crate::{Database, tx};

/// `quantity <= low_stock_threshold`: NULL (so never true) for a line without a threshold.
type IsLow = dsl::LtEq<dsl::Nullable<stock_levels::quantity>, stock_levels::low_stock_threshold>;

fn is_low() -> IsLow {
    stock_levels::quantity
        .nullable()
        .le(stock_levels::low_stock_threshold)
}

fn low_page(
    conn: &mut DbConnection,
    pharmacy: PharmacyId,
    page: PageRequest,
) -> Result<Page<StockLevel>, TxError> {
    find_pharmacy(conn, pharmacy)?;
    let (limit, offset) = limits(page)?;
    let of_pharmacy = stock_levels::pharmacy_id.eq(pharmacy.to_string());
    let count: i64 = stock_levels::table
        .filter(of_pharmacy.clone())
        .filter(is_low())
        .count()
        .get_result(conn)?;
    let items = stock_levels::table
        .filter(of_pharmacy)
        .filter(is_low())
        .order(stock_levels::medicine_id)
        .limit(limit)
        .offset(offset)
        .select(StockRow::as_select())
        .load(conn)?
        .into_iter()
        .map(StockLevel::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Page {
        items,
        request: page,
        total_items: total(count),
    })
}

/// Sets or clears one line's alert mark, only if it is still in the other state; `true` if it changed.
fn mark(conn: &mut DbConnection, row: &StockRow, raise: bool) -> QueryResult<bool> {
    let line = stock_levels::table.find((row.pharmacy_id.clone(), row.medicine_id.clone()));
    let changed = if raise {
        diesel::update(line.filter(stock_levels::low_stock_alerted_at.is_null()))
            .set(stock_levels::low_stock_alerted_at.eq(Some(tx::now())))
            .execute(conn)?
    } else {
        diesel::update(line.filter(stock_levels::low_stock_alerted_at.is_not_null()))
            .set(stock_levels::low_stock_alerted_at.eq(None::<chrono::NaiveDateTime>))
            .execute(conn)?
    };
    Ok(changed == 1)
}

/// Marks every row of `rows` (raising or clearing), auditing each one this call changed.
fn mark_all(
    conn: &mut DbConnection,
    ctx: &AuditContext,
    rows: Vec<StockRow>,
    raise: bool,
) -> Result<Vec<StockLevel>, TxError> {
    let action = if raise {
        AuditAction::StockLowAlert
    } else {
        AuditAction::StockLowCleared
    };
    let mut changed = Vec::new();
    for row in rows {
        if mark(conn, &row, raise)? {
            let level = StockLevel::try_from(row)?;
            let id = line_id(level.pharmacy_id, &level.medicine_id);
            audit::record(
                conn,
                ctx,
                action,
                &id,
                None,
                Some(audit::snapshot(&StockLineV2::from(&level))?),
            )?;
            changed.push(level);
        }
    }
    Ok(changed)
}

fn sweep(conn: &mut DbConnection, ctx: &AuditContext) -> Result<LowStockSweep, TxError> {
    conn.transaction(|conn| {
        tx::lock_for_write(conn)?;
        let crossed = stock_levels::table
            .filter(stock_levels::low_stock_alerted_at.is_null())
            .filter(is_low())
            .select(StockRow::as_select())
            .load(conn)?;
        let raised = mark_all(conn, ctx, crossed, true)?;
        let recovered = stock_levels::table
            .filter(stock_levels::low_stock_alerted_at.is_not_null())
            .filter(
                stock_levels::low_stock_threshold
                    .is_null()
                    .or(stock_levels::quantity
                        .nullable()
                        .gt(stock_levels::low_stock_threshold)),
            )
            .select(StockRow::as_select())
            .load(conn)?;
        let cleared = mark_all(conn, ctx, recovered, false)?;
        let low_lines = stock_levels::table
            .filter(is_low())
            .group_by(stock_levels::pharmacy_id)
            .select((stock_levels::pharmacy_id, dsl::count_star()))
            .load::<(String, i64)>(conn)?
            .into_iter()
            .map(|(pharmacy, count)| Ok((parse_stored("pharmacy_id", &pharmacy)?, total(count))))
            .collect::<Result<_, TxError>>()?;
        Ok(LowStockSweep {
            raised,
            cleared,
            low_lines,
        })
    })
}

fn remove_expired(conn: &mut DbConnection, ctx: &AuditContext) -> Result<u64, TxError> {
    conn.transaction(|conn| {
        let removed =
            diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(tx::now())))
                .execute(conn)?;
        if removed > 0 {
            // A count only: token hashes are credentials and never reach the audit trail.
            let after = audit::snapshot(&TokensRemovedV1 { removed })?;
            audit::record(
                conn,
                ctx,
                AuditAction::RefreshTokenCleanup,
                "refresh_token_cleanup",
                None,
                Some(after),
            )?;
        }
        Ok(u64::try_from(removed).unwrap_or_default())
    })
}

impl Database {
    /// A page of one pharmacy's lines at or below their low-stock threshold, by medicine id.
    ///
    /// # Errors
    /// `NotFound` for an unknown pharmacy.
    pub async fn low_stock_lines(
        &self,
        pharmacy: PharmacyId,
        page: PageRequest,
    ) -> Result<Page<StockLevel>, DomainError> {
        self.run(move |conn| low_page(conn, pharmacy, page)).await
    }
}

#[async_trait]
impl MaintenanceTasks for Database {
    #[tracing::instrument(skip_all)]
    async fn remove_expired_refresh_tokens(&self, ctx: &AuditContext) -> Result<u64, DomainError> {
        let ctx = ctx.clone();
        self.run(move |conn| remove_expired(conn, &ctx)).await
    }

    #[tracing::instrument(skip_all)]
    async fn sweep_low_stock(&self, ctx: &AuditContext) -> Result<LowStockSweep, DomainError> {
        let ctx = ctx.clone();
        self.run(move |conn| sweep(conn, &ctx)).await
    }
}
