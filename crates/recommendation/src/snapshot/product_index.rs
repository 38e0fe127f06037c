//! Per-product lookups kept flat: a product by its id, and a product's ingredient ids.
//!
//! # Implementation Notes
//! Both were per-product allocations: a map from a copy of every id, and one small vector per
//! product (23 096 of each for the shipped catalogue, ~2.4 MiB of the server's heap at ready,
//! issue 14). Ids are now found by binary search over the products' own ids, and the ingredient
//! lists share one buffer.

use pharmarec_domain::{Medicine, MedicineId};

use super::names::IngId;

/// Product indices in id order, for binary search by id.
#[derive(Debug, Default)]
pub(crate) struct IdOrder(Vec<u32>);

impl IdOrder {
    pub(crate) fn build(medicines: &[Medicine]) -> Self {
        let mut order: Vec<u32> = (0u32..).take(medicines.len()).collect();
        order.sort_unstable_by(|&a, &b| medicines[a as usize].id.cmp(&medicines[b as usize].id));
        Self(order)
    }

    /// The index of the product `id` in `medicines` (the slice this order was built from).
    pub(crate) fn find(&self, medicines: &[Medicine], id: &MedicineId) -> Option<u32> {
        let position = self
            .0
            .binary_search_by(|&i| {
                medicines
                    .get(i as usize)
                    .map_or(std::cmp::Ordering::Greater, |m| m.id.cmp(id))
            })
            .ok()?;
        self.0.get(position).copied()
    }
}

/// One ingredient-id list per product, in one buffer.
#[derive(Debug, Default)]
pub(crate) struct IngredientLists {
    ids: Vec<IngId>,
    /// Per product, where its list ends in `ids`.
    ends: Vec<u32>,
}

impl IngredientLists {
    /// Product `product`'s ingredient ids, in label order.
    pub(crate) fn get(&self, product: u32) -> Option<&[IngId]> {
        let end = *self.ends.get(product as usize)? as usize;
        let start = match product.checked_sub(1) {
            Some(previous) => *self.ends.get(previous as usize)? as usize,
            None => 0,
        };
        self.ids.get(start..end)
    }

    /// Every product's list, in product order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[IngId]> {
        (0u32..)
            .take(self.ends.len())
            .map(|product| self.get(product).unwrap_or_default())
    }
}

impl FromIterator<Vec<IngId>> for IngredientLists {
    fn from_iter<I: IntoIterator<Item = Vec<IngId>>>(lists: I) -> Self {
        let mut flat = Self::default();
        for list in lists {
            flat.ids.extend(list);
            flat.ends
                .push(u32::try_from(flat.ids.len()).unwrap_or(u32::MAX));
        }
        flat.ids.shrink_to_fit();
        flat.ends.shrink_to_fit();
        flat
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(id: &str) -> Medicine {
        Medicine {
            id: id.parse().unwrap(),
            brand_name: String::new(),
            ingredients: Vec::new(),
            strength: String::new(),
            dose_form: String::new(),
            route: String::new(),
            status: pharmarec_domain::MarketingStatus::Otc,
            te_codes: Vec::new(),
            applicant: None,
            application: None,
            approval_date: None,
            reference_listed_drug: false,
            origin: pharmarec_domain::MedicineOrigin::Local,
        }
    }

    #[test]
    fn ids_are_found_in_any_catalogue_order_and_unknown_ids_are_none() {
        let medicines = vec![product("N3"), product("N1"), product("N2")];
        let order = IdOrder::build(&medicines);
        let find = |id: &str| order.find(&medicines, &id.parse().unwrap());

        assert_eq!(find("N1"), Some(1));
        assert_eq!(find("N2"), Some(2));
        assert_eq!(find("N3"), Some(0));
        assert_eq!(find("N4"), None);
    }

    #[test]
    fn lists_come_back_as_given_and_out_of_range_is_none() {
        let lists: IngredientLists = vec![vec![3, 1], vec![], vec![7]].into_iter().collect();

        assert_eq!(lists.get(0), Some(&[3, 1][..]));
        assert_eq!(lists.get(1), Some(&[][..]));
        assert_eq!(lists.get(2), Some(&[7][..]));
        assert_eq!(lists.get(3), None);
        assert_eq!(lists.iter().collect::<Vec<_>>(), [&[3, 1][..], &[], &[7]]);
    }
}
