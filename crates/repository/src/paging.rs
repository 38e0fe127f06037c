//! Page requests as SQL `LIMIT`/`OFFSET`, and counts as page totals.

use pharmarec_domain::{DomainError, PageRequest};

/// `LIMIT` and `OFFSET` of a page request as SQL integers.
pub(crate) fn limits(page: PageRequest) -> Result<(i64, i64), DomainError> {
    let offset =
        i64::try_from(page.offset()).map_err(|_| DomainError::invalid("page", "too large"))?;
    Ok((i64::from(page.per_page()), offset))
}

/// A SQL `COUNT` as a page total.
pub(crate) fn total(count: i64) -> u64 {
    u64::try_from(count).unwrap_or_default()
}
