use actix_web::body::to_bytes;
use serde_json::Value;

use super::*;

async fn rendered(error: &ApiError) -> (StatusCode, Option<String>, Value) {
    let response = error.render("req-1");
    let status = response.status();
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = to_bytes(response.into_body()).await.unwrap();
    (status, retry_after, serde_json::from_slice(&body).unwrap())
}

#[actix_web::test]
async fn authentication_error_is_401_envelope_with_request_id() {
    let (status, _, body) = rendered(&ApiError::Unauthenticated).await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["success"], false);
    assert_eq!(body["error"]["code"], "unauthenticated");
    assert_eq!(body["error"]["request_id"], "req-1");
}

#[actix_web::test]
async fn authorization_error_is_403_envelope() {
    let (status, _, body) = rendered(&ApiError::Forbidden).await;

    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "forbidden");
}

#[actix_web::test]
async fn rate_limited_error_is_429_with_retry_after_rounded_up() {
    let error = ApiError::RateLimited {
        retry_after: Duration::from_millis(1500),
    };

    let (status, retry_after, body) = rendered(&error).await;

    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after.as_deref(), Some("2"));
    assert_eq!(body["error"]["code"], "rate_limited");
}

#[actix_web::test]
async fn internal_error_body_is_opaque() {
    let error = ApiError::from(DomainError::internal(
        "SELECT * FROM medicines failed at /src/db.rs:12",
    ));

    let (status, _, body) = rendered(&error).await;

    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body["error"]["code"], "internal_error");
    assert_eq!(body["error"]["message"], "internal error");
    assert!(body["error"].get("details").is_none());
    assert!(!body.to_string().contains("SELECT"));
}

#[actix_web::test]
async fn unavailable_database_is_503_without_cause() {
    let error = ApiError::from(DomainError::unavailable(
        "database",
        "connection refused to db.internal:5432",
    ));

    let (status, _, body) = rendered(&error).await;

    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "dependency_unavailable");
    assert!(!body.to_string().contains("db.internal"));
}

#[test]
fn domain_errors_map_to_specific_codes() {
    let cases = [
        (
            DomainError::not_found(pharmarec_domain::Entity::Medicine, &"OB-1"),
            ErrorCode::MedicineNotFound,
        ),
        (
            DomainError::not_found(pharmarec_domain::Entity::Pharmacy, &"x"),
            ErrorCode::PharmacyNotFound,
        ),
        (
            DomainError::not_found(pharmarec_domain::Entity::Record, &"x"),
            ErrorCode::ResourceNotFound,
        ),
        (
            DomainError::invalid("page", "must be at least 1"),
            ErrorCode::ValidationFailed,
        ),
        (
            DomainError::KnowledgeUnavailable("not imported".into()),
            ErrorCode::KnowledgeUnavailable,
        ),
    ];

    for (domain, expected) in cases {
        assert_eq!(ApiError::from(domain).code(), expected);
    }
}

/// The kind a port reports is the code a client gets; the wire names are the ones clients already
/// branch on.
#[test]
fn each_conflict_kind_keeps_its_wire_code() {
    let cases = [
        (ConflictKind::StaleVersion, "stale_version"),
        (ConflictKind::InsufficientStock, "insufficient_stock"),
        (ConflictKind::LastAdmin, "last_admin"),
        (ConflictKind::Duplicate, "conflict"),
        (ConflictKind::Referenced, "conflict"),
        (ConflictKind::ManagedByImport, "conflict"),
        (ConflictKind::ConcurrentWrite, "conflict"),
    ];

    for (kind, wire) in cases {
        let error = ApiError::from(DomainError::conflict(
            kind,
            pharmarec_domain::Entity::Stock,
            "x",
        ));
        assert_eq!(error.code().as_str(), wire, "{kind}");
        assert_eq!(error.code().status(), StatusCode::CONFLICT);
    }
}

#[test]
fn nested_validation_errors_get_dotted_paths() {
    use validator::Validate;

    #[derive(Validate)]
    struct Price {
        #[validate(length(min = 3, message = "too short"))]
        currency: String,
    }
    #[derive(Validate)]
    struct Line {
        #[validate(nested)]
        price: Price,
    }

    let errors = Line {
        price: Price {
            currency: "E".into(),
        },
    }
    .validate()
    .unwrap_err();

    let ApiError::Validation(fields) = ApiError::from(errors) else {
        panic!("expected a validation error");
    };
    assert_eq!(
        fields,
        [FieldError {
            field: "price.currency".into(),
            reason: "too short".into()
        }]
    );
}

#[test]
fn engine_errors_map_to_stable_codes() {
    let cases = [
        (
            RecommendationError::CatalogueNotLoaded,
            ErrorCode::KnowledgeUnavailable,
        ),
        (
            RecommendationError::InteractionKnowledgeUnavailable,
            ErrorCode::KnowledgeUnavailable,
        ),
        (
            RecommendationError::MedicineNotFound("SYN-1".parse().unwrap()),
            ErrorCode::MedicineNotFound,
        ),
        (
            RecommendationError::InvalidRequest {
                field: "query",
                reason: "give symptom text or condition codes",
            },
            ErrorCode::ValidationFailed,
        ),
        (
            RecommendationError::InvalidKnowledge {
                entity: "medicine",
                id: "SYN-1".into(),
                reason: "unknown ingredient".into(),
            },
            ErrorCode::InternalError,
        ),
    ];

    for (engine, code) in cases {
        assert_eq!(ApiError::from(engine.clone()).code(), code, "{engine}");
    }
}

#[actix_web::test]
async fn missing_knowledge_body_is_opaque_503() {
    let error = ApiError::from(RecommendationError::InteractionKnowledgeUnavailable);

    let (status, _, body) = rendered(&error).await;

    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["error"]["code"], "knowledge_unavailable");
    assert!(!body.to_string().contains("interaction knowledge"));
}
