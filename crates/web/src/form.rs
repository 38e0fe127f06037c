//! Form fields and query parameters as ordered name/value pairs, so repeated names (basket items,
//! current medicines) keep every value.

use actix_web::dev::Payload;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;

use crate::error::WebError;

/// Decoded `application/x-www-form-urlencoded` pairs.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormData(Vec<(String, String)>);

impl FormData {
    fn parse(bytes: &[u8]) -> Self {
        Self(
            form_urlencoded::parse(bytes)
                .map(|(name, value)| (name.into_owned(), value.into_owned()))
                .collect(),
        )
    }

    /// The first non-blank value of `name`, trimmed.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    /// Every non-blank value of `name`, trimmed, in order.
    pub(crate) fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The first non-blank value of `name`, refused with a clear message beyond `max` characters.
    pub(crate) fn bounded(
        &self,
        name: &str,
        label: &str,
        max: usize,
    ) -> Result<Option<&str>, WebError> {
        match self.get(name) {
            Some(value) if value.chars().count() > max => Err(WebError::Invalid(format!(
                "{label} must be at most {max} characters"
            ))),
            value => Ok(value),
        }
    }

    /// The `page` parameter of a paged list: 1 when absent.
    pub(crate) fn page(&self) -> Result<u32, WebError> {
        Ok(self.number::<u32>("page", "Page")?.unwrap_or(1).max(1))
    }

    /// Whether a checkbox named `name` was ticked.
    pub(crate) fn checked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// `name` as a number, `None` when blank; a clear message when it is not one.
    pub(crate) fn number<T: std::str::FromStr>(
        &self,
        name: &str,
        label: &str,
    ) -> Result<Option<T>, WebError> {
        self.get(name)
            .map(|value| {
                value
                    .parse()
                    .map_err(|_| WebError::Invalid(format!("{label} must be a whole number")))
            })
            .transpose()
    }

    /// A comma-separated field as its entries.
    pub(crate) fn list(&self, name: &str) -> Vec<String> {
        self.all(name)
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The query string's pairs, for the `GET` pages' filters and paging.
#[derive(Debug, Clone, Default)]
pub(crate) struct Query(pub(crate) FormData);

impl FromRequest for Query {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Self(FormData::parse(req.query_string().as_bytes()))))
    }
}

impl FromRequest for FormData {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // `Bytes` honours the app's body limit (PayloadConfig).
        let body = Bytes::from_request(req, payload);
        Box::pin(async move { Ok(Self::parse(&body.await?)) })
    }
}
