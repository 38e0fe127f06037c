use actix_web::http::StatusCode;
use actix_web::test;
use pharmarec_http_api::app;

use crate::helpers::{Fakes, get};

#[actix_web::test]
async fn ingredients_are_searched_and_paged() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (body, status) = get(&app, "/api/v1/ingredients?q=ibu&per_page=5").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"][0]["key"], "ibuprofen");
    assert_eq!(body["data"][0]["epc_classes"][0], "Analgesic [EPC]");
    assert_eq!(body["meta"]["total_items"], 1);
    assert_eq!(body["meta"]["per_page"], 5);
}

#[actix_web::test]
async fn conditions_are_listed_as_objects() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (body, status) = get(&app, "/api/v1/conditions").await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"][0]["name"], "fever");
    assert_eq!(body["meta"]["total_items"], 2);
    assert_eq!(body["meta"]["total_pages"], 1);
}

#[actix_web::test]
async fn reference_lists_reject_bad_paging() {
    let fakes = Fakes::new();
    let app = test::init_service(app(fakes.state())).await;

    let (not_a_number, status_400) = get(&app, "/api/v1/conditions?page=two").await;
    let (out_of_range, status_422) = get(&app, "/api/v1/ingredients?per_page=0").await;

    assert_eq!(status_400, StatusCode::BAD_REQUEST);
    assert_eq!(not_a_number["error"]["code"], "invalid_query");
    assert_eq!(status_422, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(out_of_range["error"]["code"], "validation_failed");
}
