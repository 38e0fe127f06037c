//! Builds the actix-web `App`: state, extractor configs, middleware and routes.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, Error, web};
use tracing_actix_web::TracingLogger;

use crate::middleware::{
    InFlight, RequestIdRootSpan, catch_panic, cors, envelope_errors, rate_limit, record_metrics,
    reject_invalid_input, security_headers,
};
use crate::state::AppState;
use crate::{extract, routes};

/// Builds the whole application around `state`, for `HttpServer::new` and for in-process tests.
///
/// # Implementation Notes
/// The last `.wrap()` is the outermost layer, so the middleware below reads bottom-up; the order and
/// the reasons for it are in the `middleware` module docs.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = Error,
        InitError = (),
    >,
> {
    let config = state.config.clone();
    App::new()
        .app_data(web::Data::new(state))
        // One per app, which `HttpServer` builds per worker: no lock is shared across workers.
        .app_data(web::Data::new(InFlight::default()))
        .configure(|cfg| extract::configure(cfg, config.max_body_bytes))
        .configure(routes::configure)
        .default_service(web::to(routes::not_found))
        .wrap(from_fn(catch_panic))
        .wrap(from_fn(reject_invalid_input))
        .wrap(from_fn(rate_limit))
        .wrap(cors(&config.cors_allowed_origins))
        .wrap(from_fn(envelope_errors))
        .wrap(from_fn(record_metrics))
        .wrap(from_fn(security_headers))
        .wrap(Compress::default())
        .wrap(TracingLogger::<RequestIdRootSpan>::new())
}
