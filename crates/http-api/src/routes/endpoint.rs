//! One path and its methods: `HEAD` answered like `GET`, any other method a `405` naming the allowed
//! ones in `Allow` (RFC 9110 §15.5.6).
//!
//! actix-web gives a resource without its own default service the app's default, which answers `404
//! route_not_found`; every route is therefore registered through [`Endpoint`], which sets one.

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::{FromRequest, Handler, Resource, Responder, guard, web};

use crate::error::ApiError;

/// A resource under construction, remembering which methods it answers.
pub(crate) struct Endpoint {
    resource: Resource,
    allow: Vec<&'static str>,
}

impl Endpoint {
    /// A path with no methods yet.
    pub(crate) fn new(path: &str) -> Self {
        Self {
            resource: web::resource(path),
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
        self.resource = self.resource.route(
            web::route()
                .guard(guard::Any(guard::Get()).or(guard::Head()))
                .to(handler),
        );
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
        self.resource = self.resource.route(web::post().to(handler));
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
        self.resource = self.resource.route(web::put().to(handler));
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
        self.resource = self.resource.route(web::delete().to(handler));
        self.allow.push("DELETE");
        self
    }
}

impl HttpServiceFactory for Endpoint {
    fn register(self, config: &mut AppService) {
        let allow = self.allow.join(", ");
        self.resource
            .default_service(web::to(move || {
                let allow = allow.clone();
                async move { Err::<actix_web::HttpResponse, _>(ApiError::MethodNotAllowed { allow }) }
            }))
            .register(config);
    }
}
