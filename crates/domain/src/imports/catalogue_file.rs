//! A pharmacy's own product list (`docs/IMPORTING.md`, "Pharmacy catalogue"): one product per row,
//! its ingredients joined to the shipped knowledge by name, optional price and stock for one pharmacy.

use std::collections::HashMap;
use std::io::Read;

use validator::Validate;

use super::FileErrors;
use super::table::{self, Cells};
use crate::{MAX_STOCK_QUANTITY, MarketingStatus, MedicineId, Money, PharmacyId};

const REQUIRED: [&str; 7] = [
    "product_code",
    "name",
    "ingredients",
    "strengths",
    "dose_form",
    "route",
    "status",
];
const OPTIONAL: [&str; 3] = ["quantity", "price_minor", "currency"];
/// Longest product code: the id `LOC-<code>` must fit a 64-character medicine id.
const MAX_CODE_LEN: usize = 60;

/// One product of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueRow {
    /// 1-based line in the file.
    pub line: u64,
    /// The stored product id, `LOC-<product_code>`: the same code always names the same product.
    pub id: MedicineId,
    /// Trade name.
    pub name: String,
    /// Ingredient names as written (lower case), resolved to ingredient keys by the repository.
    pub ingredients: Vec<String>,
    /// Strength label, one `;`-separated part per ingredient.
    pub strength: String,
    /// Dose form.
    pub dose_form: String,
    /// Route.
    pub route: String,
    /// OTC or prescription.
    pub status: MarketingStatus,
    /// Quantity and price at the import's pharmacy, when the row gives them.
    pub stock: Option<StockLine>,
}

/// A row's stock: units on hand and unit price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockLine {
    /// Units on hand.
    pub quantity: i64,
    /// Unit price.
    pub price: Money,
}

/// A validated catalogue file and the pharmacy its stock columns belong to.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueFile {
    /// The products, in file order.
    pub rows: Vec<CatalogueRow>,
    /// Where the price and stock columns go; required when any row has them.
    pub pharmacy: Option<PharmacyId>,
}

/// Parses and validates a whole catalogue file for `pharmacy`.
///
/// # Errors
/// [`FileErrors`] listing every bad row: a missing or malformed cell, a repeated product code, or
/// stock columns without a pharmacy.
pub fn parse_catalogue(
    reader: impl Read,
    pharmacy: Option<PharmacyId>,
) -> Result<CatalogueFile, FileErrors> {
    let (rows, mut errors) = table::read(reader, &REQUIRED, &OPTIONAL, row)?;
    let mut first_line: HashMap<MedicineId, u64> = HashMap::new();
    for (line, product) in &rows {
        if let Some(first) = first_line.insert(product.id.clone(), *line) {
            errors.push(
                *line,
                format!("product code repeats the one on line {first}"),
            );
        }
        if product.stock.is_some() && pharmacy.is_none() {
            errors.push(
                *line,
                "quantity and price need a pharmacy: pass --pharmacy (CLI) or pharmacy_id (API)",
            );
        }
    }
    let rows = rows
        .into_iter()
        .map(|(line, product)| CatalogueRow { line, ..product })
        .collect();
    errors.or(CatalogueFile { rows, pharmacy })
}

fn row(cells: &Cells<'_>) -> Result<CatalogueRow, String> {
    let code = cells.required("product_code")?;
    if code.len() > MAX_CODE_LEN
        || !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(format!(
            "product_code must be 1-{MAX_CODE_LEN} ASCII letters, digits, '-' or '_'"
        ));
    }
    let id: MedicineId = format!("{}{code}", MedicineId::LOCAL_PREFIX)
        .parse()
        .map_err(|e: crate::DomainError| e.to_string())?;
    let ingredients: Vec<String> = split(cells.required("ingredients")?);
    let strengths = split(cells.required("strengths")?);
    if ingredients.len() > 20 {
        return Err("at most 20 ingredients".to_string());
    }
    if strengths.len() != ingredients.len() {
        return Err(format!(
            "{} ingredients but {} strengths; give one strength per ingredient, ';'-separated",
            ingredients.len(),
            strengths.len()
        ));
    }
    let status = cells.required("status")?;
    let status: MarketingStatus = status
        .to_ascii_lowercase()
        .parse()
        .map_err(|_| format!("status must be otc or rx, not '{status}'"))?;
    Ok(CatalogueRow {
        line: 0,
        id,
        name: table::bounded("name", cells.required("name")?, 200)?,
        ingredients: ingredients.iter().map(|i| i.to_lowercase()).collect(),
        strength: table::bounded("strengths", &strengths.join(";"), 200)?,
        dose_form: table::bounded("dose_form", cells.required("dose_form")?, 100)?.to_lowercase(),
        route: table::bounded("route", cells.required("route")?, 100)?.to_lowercase(),
        status,
        stock: stock(cells)?,
    })
}

/// `;`-separated parts, trimmed, empty parts dropped.
fn split(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The stock columns: all three or none.
fn stock(cells: &Cells<'_>) -> Result<Option<StockLine>, String> {
    let given = [
        cells.get("quantity"),
        cells.get("price_minor"),
        cells.get("currency"),
    ];
    let [Some(quantity), Some(price), Some(currency)] = given else {
        return if given.iter().all(Option::is_none) {
            Ok(None)
        } else {
            Err("quantity, price_minor and currency go together: give all three or none".into())
        };
    };
    let quantity: i64 = quantity
        .parse()
        .ok()
        .filter(|q| (0..=MAX_STOCK_QUANTITY).contains(q))
        .ok_or_else(|| format!("quantity must be a whole number from 0 to {MAX_STOCK_QUANTITY}"))?;
    let price = Money {
        minor: price
            .parse()
            .map_err(|_| "price_minor must be a whole number of minor units (cents)".to_string())?,
        currency: currency.to_string(),
    };
    price.validate().map_err(|errors| {
        errors
            .field_errors()
            .into_iter()
            .map(|(field, list)| {
                let why = list
                    .first()
                    .and_then(|e| e.message.clone())
                    .unwrap_or_default();
                format!(
                    "{} {why}",
                    if field == "minor" {
                        "price_minor"
                    } else {
                        "currency"
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    Ok(Some(StockLine { quantity, price }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "product_code,name,ingredients,strengths,dose_form,route,status,quantity,price_minor,currency\n";

    fn parse(body: &str, pharmacy: Option<PharmacyId>) -> Result<CatalogueFile, FileErrors> {
        parse_catalogue(format!("{HEADER}{body}").as_bytes(), pharmacy)
    }

    #[test]
    fn a_good_row_becomes_a_local_product_with_stock() {
        let pharmacy = Some(PharmacyId::new());
        let file = parse(
            "SYN-0001,Synthetic Ibuprofen,Ibuprofen,200MG,Tablet,Oral,OTC,12,499,EUR\n",
            pharmacy,
        )
        .unwrap();
        let row = &file.rows[0];
        assert_eq!(
            (row.line, row.id.as_str(), row.ingredients.as_slice()),
            (2, "LOC-SYN-0001", ["ibuprofen".to_string()].as_slice())
        );
        assert_eq!(
            (row.dose_form.as_str(), row.status),
            ("tablet", MarketingStatus::Otc)
        );
        assert_eq!(row.stock.as_ref().unwrap().price.minor, 499);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let errors = parse(
            "A1,X,ibuprofen,200MG,tablet,oral,otc,,,\n\
             A2,X,ibuprofen;famotidine,200MG,tablet,oral,otc,,,\n\
             A3,X,ibuprofen,200MG,tablet,oral,maybe,,,\n\
             A1,X,ibuprofen,200MG,tablet,oral,otc,,,\n\
             A5,X,ibuprofen,200MG,tablet,oral,otc,1,,\n",
            None,
        )
        .unwrap_err();
        let lines: Vec<u64> = errors.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5, 6]);
        assert!(errors.errors[3].reason.contains("give all three or none"));
        assert!(
            errors
                .to_string()
                .contains("line 3: 2 ingredients but 1 strengths")
        );
        assert!(errors.to_string().contains("repeats the one on line 2"));
    }

    #[test]
    fn stock_without_a_pharmacy_is_refused() {
        let errors = parse("A1,X,ibuprofen,200MG,tablet,oral,otc,1,100,EUR\n", None).unwrap_err();
        assert!(errors.errors[0].reason.contains("need a pharmacy"));
    }

    #[test]
    fn an_unknown_column_refuses_the_file() {
        let errors = parse_catalogue("product_code,nmae\nA,B\n".as_bytes(), None).unwrap_err();
        assert!(errors.to_string().contains("unknown column 'nmae'"));
    }

    #[test]
    fn a_nul_character_is_refused_and_never_echoed() {
        let errors = parse("A1,X\0,ibuprofen,200MG,tablet,oral,otc,,,\n", None).unwrap_err();
        assert_eq!(errors.errors[0].line, 2);
        let errors = parse_catalogue("product_code,na\0me\nA,B\n".as_bytes(), None).unwrap_err();
        assert!(!errors.to_string().contains('\0'), "{errors}");
    }
}
