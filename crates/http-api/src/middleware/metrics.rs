//! Counts and times every request by method, route pattern and final status.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, web};

use super::route::RoutePattern;
use crate::state::AppState;

/// Middleware: records `pharmarec_http_requests_total` and `pharmarec_http_request_duration_seconds`.
///
/// The route label is the matched pattern (`/api/v1/medicines/{id}`), never the raw path, so ids in
/// paths cannot blow up the number of series.
pub(crate) async fn record_metrics(
    state: web::Data<AppState>,
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let route = RoutePattern::of(&req).as_str();
    let method = req.method().clone();
    let started = Instant::now();
    let result = next.call(req).await;
    let status = match &result {
        Ok(response) => response.status(),
        Err(error) => error.as_response_error().status_code(),
    };
    state
        .metrics
        .observe_http_request(method.as_str(), route, status.as_u16(), started.elapsed());
    result
}
