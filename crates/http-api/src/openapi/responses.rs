//! Responses every operation of a kind shares, added to the document once instead of written on each
//! handler: `401` on the operations that need a token, `415` on those that take a JSON body.

use utoipa::Modify;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, Response, ResponseBuilder};

/// An error response whose body is the error envelope.
fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorEnvelope")))
                .build(),
        )
        .build()
}

/// Every operation of the document.
fn operations(openapi: &mut OpenApi) -> impl Iterator<Item = &mut Operation> {
    openapi.paths.paths.values_mut().flat_map(|path| {
        [
            &mut path.get,
            &mut path.post,
            &mut path.put,
            &mut path.delete,
            &mut path.patch,
        ]
        .into_iter()
        .flatten()
    })
}

/// Adds `response` under `status` to the operations `applies` selects that do not list it already.
fn add_to(
    openapi: &mut OpenApi,
    status: &str,
    response: &Response,
    applies: impl Fn(&Operation) -> bool,
) {
    for operation in operations(openapi).filter(|operation| applies(operation)) {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| response.clone().into());
    }
}

/// Documents `401` on every operation that declares the bearer scheme: each answers it when the
/// token is missing, malformed or expired, or its account was disabled.
pub(super) struct SecuredOperations;

impl Modify for SecuredOperations {
    fn modify(&self, openapi: &mut OpenApi) {
        let unauthenticated = error_response(
            "`unauthenticated`, `invalid_token`, `token_expired` or `account_disabled`",
        );
        add_to(openapi, "401", &unauthenticated, |operation| {
            operation
                .security
                .as_ref()
                .is_some_and(|requirements| !requirements.is_empty())
        });
    }
}

/// Documents `415 unsupported_content_type` on every operation that takes a JSON body: each of them
/// refuses a body of another type.
pub(super) struct JsonBodies;

impl Modify for JsonBodies {
    fn modify(&self, openapi: &mut OpenApi) {
        let unsupported =
            error_response("`unsupported_content_type`: the body is not `application/json`");
        add_to(openapi, "415", &unsupported, |operation| {
            operation.request_body.is_some()
        });
    }
}

/// Declares the `bearer` security scheme the protected operations refer to.
pub(super) struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("HS256 access token from `POST /api/v1/auth/login`"))
                    .build(),
            ),
        );
    }
}
