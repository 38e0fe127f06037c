//! CORS: only the configured origins may call the API from a browser.

use std::collections::HashSet;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_cors::{Cors, CorsMiddleware};
use actix_web::Error;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::Method;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use futures_util::future::{FutureExt, LocalBoxFuture};

use super::request_id::REQUEST_ID_HEADER;

/// How long a browser may cache a preflight answer, in seconds.
const PREFLIGHT_MAX_AGE_SECS: usize = 3600;

/// Builds the CORS middleware for an allow-list of exact origins (`https://pharmacy.example`).
pub(crate) fn cors(allowed_origins: &[String]) -> BrowserCors {
    BrowserCors(allowed_origins_cors(allowed_origins))
}

/// actix-cors configured for the allow-list.
///
/// # Implementation Notes
/// Origins are compared in a closure rather than with `Cors::allowed_origin`, which panics on a
/// malformed origin or `*`; a bad configuration entry then simply matches nothing.
fn allowed_origins_cors(allowed_origins: &[String]) -> Cors {
    let allowed: HashSet<Vec<u8>> = allowed_origins
        .iter()
        .map(|origin| origin.trim_end_matches('/').as_bytes().to_vec())
        .collect();
    Cors::default()
        .allowed_origin_fn(move |origin, _| allowed.contains(origin.as_bytes()))
        .allowed_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allowed_headers([
            header::ACCEPT,
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            REQUEST_ID_HEADER,
        ])
        .expose_headers([
            REQUEST_ID_HEADER,
            header::LOCATION,
            header::RETRY_AFTER,
            header::WWW_AUTHENTICATE,
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
            HeaderName::from_static("x-cache"),
        ])
        .max_age(PREFLIGHT_MAX_AGE_SECS)
}

/// [`Cors`] for requests that carry an `Origin` header (the browser's cross-origin requests and
/// preflights); other requests get only `Vary: Origin`, so a shared cache keeps their answer apart.
///
/// # Implementation Notes
/// actix-cors adds its 156-byte `Access-Control-Expose-Headers` and a three-name `Vary` to every
/// response, though without `Origin` no browser reads them: most clients (servers, apps, EHRs)
/// paid for them on every answer (issue 14).
pub(crate) struct BrowserCors(Cors);

impl<S, B> Transform<S, ServiceRequest> for BrowserCors
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = BrowserCorsService<S>;
    type InitError = ();
    type Future = LocalBoxFuture<'static, Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        let direct = Rc::new(service);
        let cors = self.0.new_transform(Shared(Rc::clone(&direct)));
        async move {
            Ok(BrowserCorsService {
                cors: cors.await?,
                direct,
            })
        }
        .boxed_local()
    }
}

/// The service behind [`BrowserCors`]: the same inner service, reached through CORS or directly.
pub(crate) struct BrowserCorsService<S> {
    cors: CorsMiddleware<Shared<S>>,
    direct: Rc<S>,
}

impl<S, B> Service<ServiceRequest> for BrowserCorsService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(direct);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if req.headers().contains_key(header::ORIGIN) {
            return self.cors.call(req);
        }
        let answer = self.direct.call(req);
        async move {
            let mut response = answer.await?;
            response
                .headers_mut()
                .append(header::VARY, HeaderValue::from_static("Origin"));
            Ok(response.map_into_left_body())
        }
        .boxed_local()
    }
}

/// The inner service shared by both paths of [`BrowserCorsService`].
pub(crate) struct Shared<S>(Rc<S>);

impl<S> Service<ServiceRequest> for Shared<S>
where
    S: Service<ServiceRequest>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&self, req: ServiceRequest) -> Self::Future {
        self.0.call(req)
    }
}
