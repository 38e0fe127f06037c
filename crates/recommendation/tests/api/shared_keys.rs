//! The snapshot keeps one allocation per distinct ingredient key, however many rows name it
//! (issue 14: 23 096 products and 28 764 interaction rows each parsed their own copy).

use super::{catalogue, dataset};

#[test]
fn products_naming_one_ingredient_share_its_key() {
    let knowledge = dataset::shipped_knowledge().unwrap();
    let named = |id: &pharmarec_domain::MedicineId| {
        let product = catalogue().medicine(id).unwrap();
        let part = product
            .ingredients
            .iter()
            .find(|part| part.ingredient.as_str() == "acetaminophen")
            .unwrap();
        part.ingredient.as_str()
    };
    let ids: Vec<_> = knowledge
        .medicines
        .iter()
        .filter(|m| m.ingredient_keys().any(|k| k.as_str() == "acetaminophen"))
        .map(|m| m.id.clone())
        .collect();
    let [first, rest @ ..] = &ids[..] else {
        panic!("the catalogue lists acetaminophen products");
    };

    assert!(rest.len() > 10);
    assert!(rest.iter().all(|id| std::ptr::eq(named(id), named(first))));
}
