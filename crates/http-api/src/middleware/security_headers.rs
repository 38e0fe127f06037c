//! Eight security headers on every response; the content security policy is relaxed for `/docs`, and
//! the pharmacist console under [`CONSOLE_PREFIX`] gets its own (same-origin files only, no inline code).

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// A JSON API loads nothing, so its policy forbids everything.
const API_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Swagger UI runs its own scripts and inline styles from this origin and fetches the OpenAPI document.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Path prefix of the pharmacist console (`pharmarec-web`): HTML pages, not the JSON envelope.
pub(crate) const CONSOLE_PREFIX: &str = "/console";

/// The console loads its stylesheet and scripts from its own origin and posts its forms there;
/// nothing inline (htmx is configured not to inject styles), nothing from another host.
const CONSOLE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
     base-uri 'none'";

/// Which content security policy a path gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Policy {
    Api,
    Docs,
    Console,
}

impl Policy {
    pub(crate) fn for_path(path: &str) -> Self {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/docs") {
            Self::Docs
        } else if under(CONSOLE_PREFIX) {
            Self::Console
        } else {
            Self::Api
        }
    }
}

/// The seven headers every response gets, as ready values.
///
/// Consts, so `HeaderValue::from_static` checks each value's bytes at compile time: called at run time
/// it walked all ~250 bytes of these values on every response (about 2,000 instructions per request
/// under callgrind).
const FIXED_HEADERS: [(HeaderName, HeaderValue); 7] = [
    (
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000; includeSubDomains"),
    ),
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    (
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ),
    (
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    ),
    (
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    ),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    ),
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    ),
];

const API_CSP_VALUE: HeaderValue = HeaderValue::from_static(API_CSP);
const DOCS_CSP_VALUE: HeaderValue = HeaderValue::from_static(DOCS_CSP);
const CONSOLE_CSP_VALUE: HeaderValue = HeaderValue::from_static(CONSOLE_CSP);

/// Middleware: sets the security headers, overriding whatever an inner layer set.
pub(crate) async fn security_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let policy = Policy::for_path(req.path());
    let mut response = next.call(req).await?;
    apply(response.headers_mut(), policy);
    Ok(response)
}

/// Sets the eight headers, with the content security policy of `policy`.
pub(crate) fn apply(headers: &mut HeaderMap, policy: Policy) {
    for (name, value) in FIXED_HEADERS {
        headers.insert(name, value);
    }
    let csp = match policy {
        Policy::Api => API_CSP_VALUE,
        Policy::Docs => DOCS_CSP_VALUE,
        Policy::Console => CONSOLE_CSP_VALUE,
    };
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_and_docs_policies_cover_their_paths_only() {
        for (path, policy) in [
            ("/console", Policy::Console),
            ("/console/basket", Policy::Console),
            ("/consoles", Policy::Api),
            ("/docs/", Policy::Docs),
            ("/api/v1/medicines", Policy::Api),
            ("/", Policy::Api),
        ] {
            assert_eq!(Policy::for_path(path), policy, "{path}");
        }
        assert!(!CONSOLE_CSP.contains("unsafe"));
    }

    #[test]
    fn every_response_gets_the_eight_headers_over_inner_values() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );

        apply(&mut headers, Policy::Docs);

        assert_eq!(headers.len(), 8);
        assert_eq!(headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
        assert_eq!(
            headers.get(header::CONTENT_SECURITY_POLICY).unwrap(),
            DOCS_CSP
        );
        assert_eq!(
            headers.get("permissions-policy").unwrap(),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
        );
    }
}
