//! [`StockRepository`] for [`Database`]: optimistic `put` and atomic `adjust`.

use async_trait::async_trait;
use diesel::dsl::exists;
use diesel::prelude::*;
use pharmarec_domain::ports::StockRepository;
use pharmarec_domain::{
    DomainError, MedicineId, Page, PageRequest, PharmacyId, StockAdjustment, StockLevel,
    StockUpdate,
};

use crate::connection::DbConnection;
use crate::error::TxError;
use crate::pharmacy::{find as find_pharmacy, now};
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
        Err(DomainError::not_found("medicine", medicine).into())
    }
}

fn stale() -> TxError {
    DomainError::conflict("stock", "stale version").into()
}

fn put(
    conn: &mut DbConnection,
    pharmacy: PharmacyId,
    medicine: &MedicineId,
    update: &StockUpdate,
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
            updated_at: now(),
        };
        match read_line(conn, &p, &m)? {
            None if update.expected_version == 0 => {
                // A concurrent create of the same line fails on the primary key: a conflict too.
                diesel::insert_into(stock_levels::table)
                    .values(&written)
                    .execute(conn)?;
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
                        ))
                        .execute(conn)?;
                if changed == 0 {
                    return Err(stale());
                }
            }
            _ => return Err(stale()),
        }
        written.try_into()
    })
}

fn adjust(
    conn: &mut DbConnection,
    pharmacy: PharmacyId,
    medicine: &MedicineId,
    delta: i64,
) -> Result<StockLevel, TxError> {
    conn.transaction(|conn| {
        let (p, m) = (pharmacy.to_string(), medicine.to_string());
        // One UPDATE does read, check and write, so concurrent adjusts cannot lose an update; it is
        // also the transaction's first statement, which takes SQLite's write lock before any read.
        let changed = diesel::update(line(&p, &m).filter(stock_levels::quantity.ge(-delta)))
            .set((
                stock_levels::quantity.eq(stock_levels::quantity + delta),
                stock_levels::version.eq(stock_levels::version + 1),
                stock_levels::updated_at.eq(now()),
            ))
            .execute(conn)?;
        let current = read_line(conn, &p, &m)?;
        match (changed, current) {
            (1, Some(row)) => row.try_into(),
            (_, Some(row)) => Err(DomainError::conflict(
                "stock",
                format!(
                    "adjusting {} by {delta} would leave negative stock",
                    row.quantity
                ),
            )
            .into()),
            (_, None) => {
                check_exists(conn, pharmacy, medicine)?;
                Err(DomainError::not_found("stock line", &format!("{pharmacy}/{medicine}")).into())
            }
        }
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
        let offset =
            i64::try_from(page.offset()).map_err(|_| DomainError::invalid("page", "too large"))?;
        total = stock_levels::table
            .filter(of_pharmacy)
            .count()
            .get_result(conn)?;
        query = query.limit(i64::from(page.per_page())).offset(offset);
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
                total_items: u64::try_from(total).unwrap_or_default(),
            })
        })
        .await
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
    ) -> Result<StockLevel, DomainError> {
        let medicine = medicine.clone();
        self.run(move |conn| put(conn, pharmacy, &medicine, &update))
            .await
    }

    async fn adjust(
        &self,
        pharmacy: PharmacyId,
        medicine: &MedicineId,
        adjustment: StockAdjustment,
    ) -> Result<StockLevel, DomainError> {
        let medicine = medicine.clone();
        self.run(move |conn| adjust(conn, pharmacy, &medicine, adjustment.delta))
            .await
    }
}
