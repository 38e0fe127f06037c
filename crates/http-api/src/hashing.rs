//! SHA-256 as lower-case hex, for refresh-token hashes, cache keys and rate-limit keys.

use sha2::{Digest, Sha256};

use crate::json_writer::with_json;

/// Lower-case hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: impl AsRef<[u8]>) -> String {
    hex(&Sha256::digest(data.as_ref()))
}

/// Lower-case hex of `bytes`, written into one allocation.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// A SHA-256 digest fed field by field, so a key over several inputs needs no buffer of them all.
pub(crate) struct KeyDigest(Sha256);

impl KeyDigest {
    pub(crate) fn new() -> Self {
        Self(Sha256::new())
    }

    /// `bytes`, prefixed with their length so that fields cannot run into each other.
    pub(crate) fn field(&mut self, bytes: &[u8]) {
        self.0.update((bytes.len() as u64).to_be_bytes());
        self.0.update(bytes);
    }

    /// `parts` joined by `separator`, as one length-prefixed field.
    pub(crate) fn fields_joined(&mut self, parts: &[&str], separator: u8) {
        let len = parts.iter().map(|p| p.len()).sum::<usize>() + parts.len().saturating_sub(1);
        self.0.update((len as u64).to_be_bytes());
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                self.0.update([separator]);
            }
            self.0.update(part.as_bytes());
        }
    }

    /// `value` serialised as JSON, without a length prefix: only the last field may be written so.
    pub(crate) fn json(&mut self, value: &serde_json::Value) {
        // A `Value` always serialises.
        let _ = with_json(value, |json| self.0.update(json));
    }

    pub(crate) fn finish(self) -> [u8; 32] {
        self.0.finalize().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vector() {
        assert_eq!(
            super::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn fields_are_delimited_and_joined_parts_equal_one_field() {
        let key = |fields: &[&[u8]]| {
            let mut digest = KeyDigest::new();
            for field in fields {
                digest.field(field);
            }
            digest.finish()
        };
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));

        let mut joined = KeyDigest::new();
        joined.fields_joined(&["a=1", "b=2"], b'&');
        assert_eq!(joined.finish(), key(&[b"a=1&b=2"]));
    }
}
