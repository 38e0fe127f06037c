//! Clauses of the catalogue port.

use pharmarec_domain::{ConflictKind, Entity, MedicineId};

use super::stock::update;
use super::{Subject, assert_conflict, assert_not_found, ctx};

/// A medicine naming an unknown ingredient is refused as that ingredient not found; a stocked
/// medicine cannot be deleted.
pub async fn catalogue(s: &Subject) {
    let c = ctx();
    let catalogue = &s.catalogue;
    let unknown = s.new_medicine(vec!["contract-unobtainium".parse().unwrap()]);
    assert_not_found(s, catalogue.create(unknown, &c).await, Entity::Ingredient);

    let medicine = s.medicine().await;
    assert!(medicine.id.is_local(), "{}: {}", s.name, medicine.id);
    assert_eq!(catalogue.get(&medicine.id).await.unwrap(), medicine);
    let unknown_id: MedicineId = "LOC-contract-unknown".parse().unwrap();
    assert_not_found(s, catalogue.get(&unknown_id).await, Entity::Medicine);
    let replacement = s.new_medicine(vec![s.known_ingredient.clone()]);
    let replaced = catalogue.update(&unknown_id, replacement, &c).await;
    assert_not_found(s, replaced, Entity::Medicine);
    assert_not_found(s, catalogue.delete(&unknown_id, &c).await, Entity::Medicine);

    let pharmacy = s.pharmacy().await.id;
    let put = s.stock.put(pharmacy, &medicine.id, update(1, 0), &c).await;
    put.unwrap();
    let refused = catalogue.delete(&medicine.id, &c).await;
    assert_conflict(s, refused, ConflictKind::Referenced, Entity::Medicine);
    assert_eq!(catalogue.get(&medicine.id).await.unwrap(), medicine);

    let unstocked = s.medicine().await;
    catalogue.delete(&unstocked.id, &c).await.unwrap();
    assert_not_found(s, catalogue.get(&unstocked.id).await, Entity::Medicine);
}
