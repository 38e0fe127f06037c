//! JSON written by sonic-rs into a per-thread buffer that keeps its capacity between answers.
//!
//! # Implementation Notes
//! `sonic_rs::to_vec` grows a new vector as it writes: a distinct recommendation answer took about
//! seven reallocations, each copying what was written so far, and the cache key wrote the request
//! body through serde_json's byte-by-byte escaping (callgrind, issue 14). Here each thread writes
//! into one buffer, and the caller copies the result out once (an answer) or digests it in place
//! (a cache key). The bytes are sonic-rs's, which `envelope`'s tests hold equal to serde_json's.

use std::cell::RefCell;

use serde::Serialize;

/// A buffer grown past this by one large answer is released after it, not kept per thread.
const KEEP_AT_MOST: usize = 256 * 1024;

thread_local! {
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// `value` written as JSON and handed to `read`, which copies or digests it.
pub(crate) fn with_json<T: Serialize + ?Sized, R>(
    value: &T,
    read: impl FnOnce(&[u8]) -> R,
) -> Result<R, sonic_rs::Error> {
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            let written = sonic_rs::to_writer(&mut *buffer, value).map(|()| read(&buffer));
            if buffer.capacity() > KEEP_AT_MOST {
                *buffer = Vec::new();
            }
            written
        }
        // Only when `read` itself writes JSON: the outer call holds the buffer.
        Err(_) => sonic_rs::to_vec(value).map(|bytes| read(&bytes)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capacity() -> usize {
        BUFFER.with(|cell| cell.borrow().capacity())
    }

    #[test]
    fn writes_what_sonic_rs_writes_and_reuses_the_buffer() {
        let value = serde_json::json!({"b": [1, 2.5, "é\n"], "a": null});

        let first = with_json(&value, <[u8]>::to_vec).unwrap();
        let kept = capacity();
        let second = with_json(&value, <[u8]>::to_vec).unwrap();

        assert_eq!(first, sonic_rs::to_vec(&value).unwrap());
        assert_eq!(second, first);
        assert!(kept >= first.len());
        assert_eq!(capacity(), kept);
    }

    #[test]
    fn a_nested_call_writes_into_its_own_buffer() {
        let outer = with_json(&"outer", |outer| {
            let inner = with_json(&"inner", <[u8]>::to_vec).unwrap();
            [outer, &inner[..]].concat()
        })
        .unwrap();

        assert_eq!(outer, b"\"outer\"\"inner\"");
    }

    #[test]
    fn a_buffer_grown_past_the_limit_is_released() {
        let large = "x".repeat(KEEP_AT_MOST);

        let written = with_json(&large, <[u8]>::len).unwrap();

        assert_eq!(written, KEEP_AT_MOST + 2);
        assert_eq!(capacity(), 0);
    }
}
