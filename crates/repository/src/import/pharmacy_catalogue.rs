//! A pharmacy's own product list: local products joined to the knowledge by ingredient, plus the
//! pharmacy's stock lines, written in one transaction.
//!
//! Products are local (`LOC-<product_code>`), so the shipped-knowledge import never touches them;
//! they are created and replaced the way `POST /api/v1/medicines` does, and never deleted by an
//! import (a later file without a product leaves it, and its stock, alone). Only what differs is
//! written; an identical file writes nothing and keeps the catalogue version.

use std::collections::HashMap;

use diesel::prelude::*;
use pharmarec_domain::imports::{CatalogueFile, CatalogueImportReport, CatalogueRow, FileErrors};
use pharmarec_domain::ports::ChangeCounts;
use pharmarec_domain::{
    AuditAction, AuditContext, ConflictKind, DomainError, Entity, IngredientKey, Medicine,
    NewMedicine, PharmacyId,
};

use super::Progress;
use super::resolve::Resolver;
use crate::audit::{self, snapshot::PharmacyCatalogueImportV1};
use crate::connection::DbConnection;
use crate::error::TxError;
use crate::read::{self, Scope};
use crate::rows::{self, StockRow};
use crate::schema::{medicine_ingredients, medicines, pharmacies, stock_levels};
use crate::tx::{self, MAX_BINDS};

/// Imports `file` in one transaction; see the module doc.
pub(crate) fn import(
    conn: &mut DbConnection,
    file: &CatalogueFile,
    progress: &Progress,
    ctx: &AuditContext,
) -> Result<CatalogueImportReport, TxError> {
    conn.transaction(|conn| {
        tx::lock_for_write(conn)?;
        if let Some(pharmacy) = file.pharmacy {
            let found: i64 = pharmacies::table
                .filter(pharmacies::id.eq(pharmacy.to_string()))
                .count()
                .get_result(conn)?;
            if found == 0 {
                return Err(DomainError::not_found(Entity::Pharmacy, &pharmacy).into());
            }
        }
        let products = products(file, &Resolver::load(conn)?)?;
        let ids: Vec<String> = products.iter().map(|m| m.id.to_string()).collect();
        let mut stored: HashMap<String, Medicine> = HashMap::new();
        for chunk in ids.chunks(MAX_BINDS) {
            for medicine in read::medicines(conn, Scope::Ids(chunk))? {
                stored.insert(medicine.id.to_string(), medicine);
            }
        }
        let mut report = CatalogueImportReport::default();
        progress.stage("products", products.len());
        for product in &products {
            write_product(
                conn,
                product,
                stored.get(product.id.as_str()),
                &mut report.products,
            )?;
            progress.advance(1);
        }
        if let Some(pharmacy) = file.pharmacy {
            report.stock = write_stock(conn, pharmacy, &file.rows)?;
        }
        report.catalogue_version = if report.products.changed() {
            // The engine snapshot holds products, not stock: only product changes rebuild it.
            tx::bump_version(conn)?
        } else {
            tx::catalogue_version(conn)?
        };
        if report.products.changed() || report.stock.changed() {
            // Like the shipped import: the catalogue version is the entity; the pharmacy goes along.
            let after = audit::snapshot(&PharmacyCatalogueImportV1::new(file.pharmacy, &report))?;
            audit::record(
                conn,
                ctx,
                AuditAction::PharmacyCatalogueImport,
                &report.catalogue_version.to_string(),
                None,
                Some(after),
            )?;
        }
        Ok(report)
    })
}

/// The rows as products, refusing every line that names an ingredient PharmaRec does not know.
fn products(file: &CatalogueFile, resolver: &Resolver) -> Result<Vec<Medicine>, TxError> {
    let mut errors = FileErrors::default();
    let mut out = Vec::with_capacity(file.rows.len());
    for row in &file.rows {
        let mut keys: Vec<IngredientKey> = Vec::with_capacity(row.ingredients.len());
        for name in &row.ingredients {
            match resolver.resolve(name) {
                Some(key) => keys.push(key),
                None => errors.push(
                    row.line,
                    format!("unknown ingredient '{name}' (not an ingredient key or synonym)"),
                ),
            }
        }
        if keys.len() != row.ingredients.len() {
            continue;
        }
        // The file parser already bounded every field as `NewMedicine` requires.
        let new = NewMedicine {
            brand_name: row.name.clone(),
            ingredients: keys,
            strength: row.strength.clone(),
            dose_form: row.dose_form.clone(),
            route: row.route.clone(),
            status: row.status,
            applicant: None,
        };
        out.push(new.into_medicine(row.id.clone()));
    }
    errors.or(out).map_err(|e| DomainError::from(e).into())
}

/// Inserts, replaces or leaves one product, counting what it did.
fn write_product(
    conn: &mut DbConnection,
    product: &Medicine,
    stored: Option<&Medicine>,
    counts: &mut ChangeCounts,
) -> Result<(), TxError> {
    let (row, parts) = rows::medicine_rows(product)?;
    match stored {
        Some(old) if old == product => {
            counts.unchanged += 1;
            return Ok(());
        }
        Some(old) if old.origin != product.origin => {
            return Err(DomainError::conflict(
                ConflictKind::ManagedByImport,
                Entity::Medicine,
                format!(
                    "{} is an imported product; choose another product code",
                    old.id
                ),
            )
            .into());
        }
        Some(_) => {
            diesel::delete(
                medicine_ingredients::table.filter(medicine_ingredients::medicine_id.eq(&row.id)),
            )
            .execute(conn)?;
            diesel::update(medicines::table.find(&row.id))
                .set(&row)
                .execute(conn)?;
            counts.updated += 1;
        }
        None => {
            diesel::insert_into(medicines::table)
                .values(&row)
                .execute(conn)?;
            counts.inserted += 1;
        }
    }
    tx::insert_rows!(conn, medicine_ingredients::table, &parts)?;
    Ok(())
}

/// Writes the rows' quantity and price as `pharmacy`'s stock lines, bumping a changed line's
/// version as a `PUT` would.
fn write_stock(
    conn: &mut DbConnection,
    pharmacy: PharmacyId,
    file_rows: &[CatalogueRow],
) -> Result<ChangeCounts, TxError> {
    let pharmacy_id = pharmacy.to_string();
    let mut stored: HashMap<String, StockRow> = HashMap::new();
    let ids: Vec<String> = file_rows.iter().map(|r| r.id.to_string()).collect();
    for chunk in ids.chunks(MAX_BINDS) {
        let lines: Vec<StockRow> = stock_levels::table
            .filter(stock_levels::pharmacy_id.eq(&pharmacy_id))
            .filter(stock_levels::medicine_id.eq_any(chunk))
            .select(StockRow::as_select())
            .load(conn)?;
        stored.extend(lines.into_iter().map(|l| (l.medicine_id.clone(), l)));
    }
    let mut counts = ChangeCounts::default();
    for row in file_rows {
        let Some(stock) = &row.stock else { continue };
        let medicine_id = row.id.to_string();
        let old = stored.get(&medicine_id);
        let same = old.is_some_and(|l| {
            (l.quantity, l.price_minor, l.currency.as_str())
                == (
                    stock.quantity,
                    stock.price.minor,
                    stock.price.currency.as_str(),
                )
        });
        if same {
            counts.unchanged += 1;
            continue;
        }
        let line = StockRow {
            pharmacy_id: pharmacy_id.clone(),
            medicine_id,
            quantity: stock.quantity,
            price_minor: stock.price.minor,
            currency: stock.price.currency.clone(),
            version: old.map_or(1, |l| l.version + 1),
            updated_at: tx::now(),
            // Used whole only for a new line; an existing line's update below sets quantity and price
            // and leaves its alert threshold, which is the pharmacist's.
            low_stock_threshold: None,
            low_stock_alerted_at: None,
        };
        if old.is_some() {
            diesel::update(stock_levels::table.find((&line.pharmacy_id, &line.medicine_id)))
                .set((
                    stock_levels::quantity.eq(line.quantity),
                    stock_levels::price_minor.eq(line.price_minor),
                    stock_levels::currency.eq(&line.currency),
                    stock_levels::version.eq(line.version),
                    stock_levels::updated_at.eq(line.updated_at),
                ))
                .execute(conn)?;
            counts.updated += 1;
        } else {
            diesel::insert_into(stock_levels::table)
                .values(&line)
                .execute(conn)?;
            counts.inserted += 1;
        }
    }
    Ok(counts)
}
