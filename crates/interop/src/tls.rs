//! TLS for calls to an EHR's FHIR server: rustls with the `ring` provider, Mozilla's roots
//! (`webpki-roots`) plus, optionally, the CA certificates of one PEM bundle (an EHR's private CA,
//! or a test's throwaway CA). Certificate and host-name verification are always on.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};

use crate::error::InteropError;

/// The client configuration: public roots, plus every certificate of `extra_ca_file`.
///
/// # Errors
/// [`InteropError::CaBundle`] when the file is unreadable, holds no certificate, or a certificate is not a
/// valid trust anchor.
pub(crate) fn client_config(extra_ca_file: Option<&Path>) -> Result<ClientConfig, InteropError> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = extra_ca_file {
        let bad = |reason: String| InteropError::CaBundle {
            path: path.to_path_buf(),
            reason,
        };
        let certificates = CertificateDer::pem_file_iter(path)
            .map_err(|e| bad(e.to_string()))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad(e.to_string()))?;
        if certificates.is_empty() {
            return Err(bad("no PEM certificate in the file".into()));
        }
        for certificate in certificates {
            roots.add(certificate).map_err(|e| bad(e.to_string()))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_without_certificates_is_refused() {
        let dir = std::env::temp_dir().join(format!("pharmarec-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        assert!(matches!(
            client_config(Some(&empty)),
            Err(InteropError::CaBundle { .. })
        ));
        assert!(client_config(Some(&dir.join("missing.pem"))).is_err());
        assert!(client_config(None).is_ok());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
