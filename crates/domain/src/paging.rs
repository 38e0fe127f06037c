//! Pagination: a validated page request and a page of results.

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A 1-based page number and a page size within [`PageRequest::MAX_PER_PAGE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    page: u32,
    per_page: u32,
}

impl PageRequest {
    /// Default page size.
    pub const DEFAULT_PER_PAGE: u32 = 20;
    /// Largest page size a client may ask for.
    pub const MAX_PER_PAGE: u32 = 100;
    /// Largest page number: 2^31 − 1, the bound of an OpenAPI `int32`, which clients generate from.
    pub const MAX_PAGE: u32 = 2_147_483_647;

    /// Checks the bounds.
    ///
    /// # Errors
    /// [`DomainError::Invalid`] for page 0 or a size outside 1..=100.
    pub fn new(page: u32, per_page: u32) -> Result<Self, DomainError> {
        if page == 0 || page > Self::MAX_PAGE {
            return Err(DomainError::invalid(
                "page",
                format!("must be between 1 and {}", Self::MAX_PAGE),
            ));
        }
        if per_page == 0 || per_page > Self::MAX_PER_PAGE {
            return Err(DomainError::invalid(
                "per_page",
                format!("must be between 1 and {}", Self::MAX_PER_PAGE),
            ));
        }
        Ok(Self { page, per_page })
    }

    /// 1-based page number.
    pub fn page(&self) -> u32 {
        self.page
    }

    /// Page size.
    pub fn per_page(&self) -> u32 {
        self.per_page
    }

    /// Rows to skip.
    pub fn offset(&self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: Self::DEFAULT_PER_PAGE,
        }
    }
}

/// One page of items with the total count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// Items on this page.
    pub items: Vec<T>,
    /// The request that produced it.
    pub request: PageRequest,
    /// Items across all pages.
    pub total_items: u64,
}

impl<T> Page<T> {
    /// Number of pages (0 when there are no items).
    pub fn total_pages(&self) -> u64 {
        self.total_items
            .div_ceil(u64::from(self.request.per_page()))
    }

    /// Maps the items, keeping the paging facts.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            request: self.request,
            total_items: self.total_items,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_bounds_are_enforced() {
        assert!(PageRequest::new(0, 10).is_err());
        assert!(PageRequest::new(1, 0).is_err());
        assert!(PageRequest::new(1, 101).is_err());
        assert_eq!(PageRequest::new(3, 20).unwrap().offset(), 40);
    }

    #[test]
    fn total_pages_rounds_up() {
        let page = Page::<u8> {
            items: vec![],
            request: PageRequest::new(1, 20).unwrap(),
            total_items: 41,
        };
        assert_eq!(page.total_pages(), 3);
        let empty = Page::<u8> {
            items: vec![],
            request: PageRequest::default(),
            total_items: 0,
        };
        assert_eq!(empty.total_pages(), 0);
    }
}
