//! The response cache's stored form: gzip. Cached answers are JSON of ~15 KB that compresses several
//! times over, so the same byte budget (in process or in Redis) holds several times the answers.
//! A client that accepts gzip gets the stored bytes as they are; any other is sent them inflated.

use std::io::{Read, Write};

use actix_web::HttpRequest;
use actix_web::http::header::{AcceptEncoding, Encoding, Header};
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

/// The encodings actix's `Compress` negotiates with the `compress-gzip` feature, in its order: the
/// same negotiation tells whether `Compress` would have chosen gzip for this client.
const NEGOTIATED: [Encoding; 3] = [Encoding::identity(), Encoding::gzip(), Encoding::deflate()];

/// Level 1, as actix's `Compress` uses: every miss of a cached route pays it, and higher levels
/// gained little on these answers (see docs/PERFORMANCE.md, "Server memory").
const LEVEL: Compression = Compression::fast();

/// Largest inflated size trusted from a stored entry's trailer as a capacity hint; a larger claim
/// (a corrupt entry) only starts the buffer smaller.
const MAX_SIZE_HINT: usize = 16 * 1024 * 1024;

/// `json` compressed for storage, sized to fit (the byte budget counts its length, and a grown
/// `Vec` can hold twice that).
pub(super) fn compress(json: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(json.len() / 4), LEVEL);
    encoder.write_all(json)?;
    let mut stored = encoder.finish()?;
    stored.shrink_to_fit();
    Ok(stored)
}

/// A stored entry inflated back to the answer; `None` when it is not a whole gzip stream.
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
