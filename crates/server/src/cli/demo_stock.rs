//! `pharmarec demo-stock`: a SYNTHETIC pharmacy stocking every OTC product, so the stock- and
//! price-aware features (ranking, "in stock only" substitutes) can be tried. The sources hold no stock
//! or price data: quantities and prices here are made up, derived from each product id so reruns agree,
//! and the pharmacy's name says so.

use std::io::Write;

use pharmarec_domain::ports::{
    MedicineQuery, MedicineRepository, PharmacyRepository, StockRepository,
};
use pharmarec_domain::{
    AuditContext, MarketingStatus, Money, NewPharmacy, PageRequest, PharmacyId, StockUpdate,
};
use pharmarec_repository::Database;

use crate::database;
use crate::settings::Settings;

/// Name of the pharmacy the command creates.
pub const DEMO_PHARMACY_NAME: &str = "Synthetic demo pharmacy (made-up stock and prices)";

/// Creates the demo pharmacy and stocks every OTC product; writes its id to `out`.
///
/// # Errors
/// A currency that is not three upper-case letters (checked before anything is written), or a database
/// failure; lines written before it stay (each is its own audited write) and a rerun starts a new
/// pharmacy.
pub async fn demo_stock(
    settings: &Settings,
    currency: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        anyhow::bail!("--currency must be three upper-case letters (ISO 4217), e.g. EUR");
    }
    let (pharmacy, stocked) = database::with_database(&settings.database, true, |db| {
        stock_demo_pharmacy(db, currency)
    })
    .await?;
    writeln!(
        out,
        "created {DEMO_PHARMACY_NAME} {pharmacy} with {stocked} synthetic stock lines"
    )?;
    Ok(())
}

/// Creates the demo pharmacy and its stock lines; returns its id and how many lines it got.
async fn stock_demo_pharmacy(db: Database, currency: &str) -> anyhow::Result<(PharmacyId, u32)> {
    let ctx = AuditContext::cli();
    let pharmacy = PharmacyRepository::create(
        &db,
        NewPharmacy {
            name: DEMO_PHARMACY_NAME.to_string(),
            address: None,
        },
        &ctx,
    )
    .await?;
    let mut stocked = 0_u32;
    let mut page = 1;
    loop {
        let query = MedicineQuery {
            status: Some(MarketingStatus::Otc),
            page: PageRequest::new(page, PageRequest::MAX_PER_PAGE)?,
            ..MedicineQuery::default()
        };
        let medicines = MedicineRepository::search(&db, &query).await?;
        for medicine in &medicines.items {
            let seed = fnv1a(medicine.id.as_str());
            let update = StockUpdate {
                quantity: i64::try_from(seed % 41)?,
                price: Money {
                    minor: 199 + i64::try_from(seed % 2800)?,
                    currency: currency.to_string(),
                },
                expected_version: 0,
                low_stock_threshold: None,
            };
            db.put(pharmacy.id, &medicine.id, update, &ctx).await?;
            stocked += 1;
        }
        if u64::from(page) >= medicines.total_pages() {
            break;
        }
        page += 1;
    }
    Ok((pharmacy.id, stocked))
}

/// A stable 64-bit hash (FNV-1a), so the same product gets the same made-up figures on every run.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_stable_per_product_and_differ_between_products() {
        assert_eq!(fnv1a("OB-A071192-001"), fnv1a("OB-A071192-001"));
        assert_ne!(fnv1a("OB-A071192-001"), fnv1a("OB-A209060-001"));
    }
}
