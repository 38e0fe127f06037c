//! Paging parameters shared by every list endpoint.

use pharmarec_domain::PageRequest;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;

/// `?page=&per_page=` for lists without other filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct PagingQuery {
    /// 1-based page number (default 1, at most 2147483647).
    #[param(minimum = 1, maximum = 2_147_483_647)]
    pub(crate) page: Option<u32>,
    /// Page size (default 20, at most 100).
    #[param(minimum = 1, maximum = 100)]
    pub(crate) per_page: Option<u32>,
}

/// Builds a domain page request; out-of-range values become `422 validation_failed`.
///
/// Non-numbers never get here: the query extractor rejects them with `400 invalid_query`.
pub(crate) fn page_request(
    page: Option<u32>,
    per_page: Option<u32>,
) -> Result<PageRequest, ApiError> {
    Ok(PageRequest::new(
        page.unwrap_or(1),
        per_page.unwrap_or(PageRequest::DEFAULT_PER_PAGE),
    )?)
}

impl PagingQuery {
    /// The domain page request.
    pub(crate) fn to_page_request(&self) -> Result<PageRequest, ApiError> {
        page_request(self.page, self.per_page)
    }
}
