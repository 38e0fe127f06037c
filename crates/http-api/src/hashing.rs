//! SHA-256 as lower-case hex, for refresh-token hashes, cache keys and rate-limit keys.

use sha2::{Digest, Sha256};

/// Lower-case hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: impl AsRef<[u8]>) -> String {
    Sha256::digest(data.as_ref())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_vector() {
        assert_eq!(
            super::sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
