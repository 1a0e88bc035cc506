//! HTTPS: identity-mock's side of TLS (`--tls-cert`, `--tls-key`), through rustls with the ring
//! provider, the one ureq's rustls already uses, so the build holds one crypto provider.
//!
//! HTTP stays the default. With TLS on, each accepted connection does its handshake within
//! [`crate::Config::header_timeout`] and is then served exactly as a plain one (HTTP/1.1 only,
//! as ALPN says).

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::Arc;
use tokio_rustls::rustls::crypto::ring;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// A server certificate chain and its key, ready to accept TLS connections.
#[derive(Clone)]
pub struct Tls {
    acceptor: TlsAcceptor,
}

impl fmt::Debug for Tls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The key stays out of logs.
        f.debug_struct("Tls").finish_non_exhaustive()
    }
}

impl Tls {
    /// From PEM text: the certificate chain (leaf first) and its private key (PKCS#8, PKCS#1
    /// or SEC1). Refuses, with `InvalidInput`, a chain without a certificate, a missing key, or
    /// a key that does not match the certificate.
    pub fn from_pem(cert_chain_pem: &[u8], key_pem: &[u8]) -> io::Result<Tls> {
        let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidInput, what);
        let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(cert_chain_pem)
            .collect::<Result<_, _>>()
            .map_err(|e| invalid(format!("the certificate file is not PEM: {e}")))?;
        if chain.is_empty() {
            return Err(invalid("the certificate file holds no CERTIFICATE block".into()));
        }
        let key = PrivateKeyDer::from_pem_slice(key_pem)
            .map_err(|e| invalid(format!("the key file holds no usable private key: {e}")))?;
        let mut config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| invalid(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| invalid(format!("the certificate and key do not go together: {e}")))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls { acceptor: TlsAcceptor::from(Arc::new(config)) })
    }

    /// From two PEM files, as `--tls-cert` and `--tls-key` name them.
    pub fn from_files(cert_chain: &Path, key: &Path) -> io::Result<Tls> {
        let read = |path: &Path, flag: &str| {
            std::fs::read(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{flag} {}: {e}", path.display())))
        };
        Tls::from_pem(&read(cert_chain, "--tls-cert")?, &read(key, "--tls-key")?)
    }

    pub(crate) fn acceptor(&self) -> &TlsAcceptor {
        &self.acceptor
    }
}
