use std::sync::Arc;

use pharmarec_recommendation::{
    BasketOptions, KnowledgeHandle, KnowledgeSnapshot, MedicineRef, Patient, RecommendOptions,
    RecommendationError, SymptomQuery,
};

use crate::dataset;

#[test]
fn an_unloaded_handle_refuses_checks_until_a_snapshot_is_swapped_in() {
    let handle = KnowledgeHandle::unloaded();
    let items = [MedicineRef::ingredient("ibuprofen")];
    let before =
        handle
            .current()
            .check_basket(&items, &Patient::default(), &BasketOptions::default());
    assert_eq!(
        before.unwrap_err(),
        RecommendationError::InteractionKnowledgeUnavailable
    );
    let recommend = handle.current().recommend(
        &SymptomQuery::text("fever"),
        &Patient::default(),
        &RecommendOptions::default(),
    );
    assert_eq!(
        recommend.unwrap_err(),
        RecommendationError::CatalogueNotLoaded
    );

    let held = handle.current();
    handle.replace(Arc::new(dataset::shipped_catalogue().unwrap()));
    assert!(
        handle
            .current()
            .check_basket(&items, &Patient::default(), &BasketOptions::default())
            .is_ok()
    );
    // A request that took the old snapshot keeps it until it finishes.
    assert!(!held.has_interaction_knowledge());
}

#[test]
fn a_snapshot_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<KnowledgeSnapshot>();
    assert_send_sync::<KnowledgeHandle>();
}
