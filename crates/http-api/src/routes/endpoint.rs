//! One path and its methods: `HEAD` answered like `GET`, any other method a `405` naming the allowed
//! ones in `Allow` (RFC 9110 §15.5.6); and what each method does to the response cache, declared
//! with the route it applies to.
//!
//! actix-web gives a resource without its own default service the app's default, which answers `404
//! route_not_found`; every route is therefore registered through [`Endpoint`], which sets one.

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::middleware::from_fn;
use actix_web::{FromRequest, Handler, Responder, Route, guard, web};

use crate::error::ApiError;
use crate::middleware::{cache_responses, invalidate_after_write};

/// A resource under construction, remembering which methods it answers.
pub(crate) struct Endpoint {
    path: String,
    routes: Vec<Route>,
    allow: Vec<&'static str>,
}

impl Endpoint {
    /// A path with no methods yet.
    pub(crate) fn new(path: &str) -> Self {
        Self {
            path: path.to_owned(),
            routes: Vec::new(),
            allow: Vec::new(),
        }
    }

    /// `GET`, and `HEAD` with the same headers and no body (actix drops a `HEAD` response's body).
    pub(crate) fn get<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let route = web::route().guard(guard::Any(guard::Get()).or(guard::Head()));
        self.routes.push(route.to(handler));
        self.allow.extend(["GET", "HEAD"]);
        self
    }

    /// `POST`.
    pub(crate) fn post<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.routes.push(web::post().to(handler));
        self.allow.push("POST");
        self
    }

    /// `PUT`.
    pub(crate) fn put<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.routes.push(web::put().to(handler));
        self.allow.push("PUT");
        self
    }

    /// `DELETE`.
    pub(crate) fn delete<F, Args>(mut self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.routes.push(web::delete().to(handler));
        self.allow.push("DELETE");
        self
    }

    /// The method added last is a hot read answered from the response cache.
    pub(crate) fn cached(self) -> Self {
        self.wrap_last(|route| route.wrap(from_fn(cache_responses)))
    }

    /// The method added last writes what cached answers may show: its successful answers drop
    /// every cached response.
    pub(crate) fn invalidates_cache(self) -> Self {
        self.wrap_last(|route| route.wrap(from_fn(invalidate_after_write)))
    }

    #[expect(
        clippy::expect_used,
        reason = "a declaration before any method is a bug in the route table, which every test builds"
    )]
    fn wrap_last(mut self, wrap: impl FnOnce(Route) -> Route) -> Self {
        let last = self
            .routes
            .pop()
            .expect("a method before its cache declaration");
        self.routes.push(wrap(last));
        self
    }
}

impl HttpServiceFactory for Endpoint {
    fn register(self, config: &mut AppService) {
        let allow = self.allow.join(", ");
        self.routes
            .into_iter()
            .fold(web::resource(self.path), |resource, route| resource.route(route))
            .default_service(web::to(move || {
                let allow = allow.clone();
                async move { Err::<actix_web::HttpResponse, _>(ApiError::MethodNotAllowed { allow }) }
            }))
            .register(config);
    }
}
