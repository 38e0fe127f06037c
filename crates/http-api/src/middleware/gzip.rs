//! The response cache's stored form: gzip for answers of [`MIN_GZIP_SIZE`] and more. Those are JSON
//! of 2–37 KB that compresses 1.4–8×, so the same byte budget (in process or in Redis) holds several
//! times the answers. A client that accepts gzip gets the stored bytes as they are; any other is sent
//! them inflated. Smaller answers (one medicine, ~500 bytes) are stored as they are: gzip saved a
//! quarter of their bytes, and inflating them on every hit cost more than that is worth.

use std::cell::RefCell;
use std::io::Read;

use actix_web::HttpRequest;
use actix_web::http::header::{AcceptEncoding, Encoding, Header};
use flate2::bufread::GzDecoder;
use flate2::{Compress, Compression, FlushCompress, Status};

/// The encodings actix's `Compress` negotiates with the `compress-gzip` feature, in its order: the
/// same negotiation tells whether `Compress` would have chosen gzip for this client.
const NEGOTIATED: [Encoding; 3] = [Encoding::identity(), Encoding::gzip(), Encoding::deflate()];

/// Level 1, as actix's `Compress` uses: every miss of a cached route pays it, and higher levels
/// gained little on these answers (see docs/PERFORMANCE.md, "Server memory").
const LEVEL: Compression = Compression::fast();

/// Answers shorter than this are stored as they are.
const MIN_GZIP_SIZE: usize = 1024;

/// The two bytes every gzip stream starts with; a JSON answer never does.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// zlib's largest window (32 KiB), which the answers are larger than.
const WINDOW_BITS: u8 = 15;

thread_local! {
    /// One deflate state per thread, reset between answers: a new one allocates and clears some
    /// 300 KB of window and hash tables, on every miss of a cached route.
    static DEFLATE: RefCell<Compress> = RefCell::new(Compress::new_gzip(LEVEL, WINDOW_BITS));
}

/// Largest inflated size trusted from a stored entry's trailer as a capacity hint; a larger claim
/// (a corrupt entry) only starts the buffer smaller.
const MAX_SIZE_HINT: usize = 16 * 1024 * 1024;

/// `json` in its stored form, sized to fit (the byte budget counts its length, and a grown `Vec`
/// can hold twice that).
pub(super) fn to_stored(json: &[u8]) -> std::io::Result<Vec<u8>> {
    if json.len() < MIN_GZIP_SIZE {
        return Ok(json.to_vec());
    }
    DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        // Most answers compress more than twice over; the buffer doubles for one that does not.
        let mut stored = Vec::with_capacity(json.len() / 2);
        loop {
            let read = usize::try_from(deflate.total_in()).unwrap_or(usize::MAX);
            let rest = json.get(read..).unwrap_or_default();
            match deflate.compress_vec(rest, &mut stored, FlushCompress::Finish)? {
                Status::StreamEnd => break,
                // Not ended with room left: the stream is stuck, and more room would not help.
                _ if stored.len() < stored.capacity() => {
                    return Err(std::io::Error::other("gzip stream did not end"));
                }
                Status::Ok | Status::BufError => stored.reserve(stored.capacity()),
            }
        }
        stored.shrink_to_fit();
        Ok(stored)
    })
}

/// Whether a stored entry is gzip (else it is the answer as it was).
pub(super) fn is_gzip(stored: &[u8]) -> bool {
    stored.starts_with(&GZIP_MAGIC)
}

/// A gzip entry inflated back to the answer; `None` when it is not a whole gzip stream.
pub(super) fn decompress(stored: &[u8]) -> Option<Vec<u8>> {
    // The gzip trailer's last four bytes are the inflated size (mod 2^32): one allocation, no regrowth.
    let hint = stored
        .last_chunk::<4>()
        .map_or(0, |size| u32::from_le_bytes(*size) as usize);
    let mut json = Vec::with_capacity(hint.min(MAX_SIZE_HINT));
    GzDecoder::new(stored).read_to_end(&mut json).ok()?;
    Some(json)
}

/// Whether `Compress` would gzip the answer to `req`, so the stored bytes can be sent as they are.
pub(super) fn client_takes_gzip(req: &HttpRequest) -> bool {
    AcceptEncoding::parse(req)
        .ok()
        .and_then(|accepted| accepted.negotiate(NEGOTIATED.iter()))
        == Some(Encoding::gzip())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_through_the_stored_form_one_after_another() {
        let page = br#"{"data":[{"id":"OB-A000001-001","brand_name":"Tylenol"}]}"#.repeat(64);
        // Pseudo-random bytes do not compress: the output buffer has to grow.
        let mut state = 0x9e37_79b9_u32;
        let noise: Vec<u8> = (0..8192)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state.to_le_bytes()[0]
            })
            .collect();

        for json in [&page, &noise, &page] {
            let stored = to_stored(json).unwrap();
            assert!(is_gzip(&stored));
            assert_eq!(decompress(&stored).as_ref(), Some(json));
        }
        let short = br#"{"data":{"id":"OB-A000001-001"}}"#;
        assert_eq!(to_stored(short).unwrap(), short);
        assert_eq!(decompress(&to_stored(&page).unwrap()[..40]), None);
    }
}
