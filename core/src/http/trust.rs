//! Which certificate authorities HTTPS trusts.
//!
//! By default, the Mozilla roots bundled with the library (webpki-roots), as stripe-python
//! bundles certifi's: the same answer on every machine, whatever its trust store holds.
//!
//! A client can be given a PEM bundle instead ([`HttpConfig::ca_bundle`](super::HttpConfig),
//! `ClientBuilder::ca_bundle` / `ca_bundle_path`, Python's `ca_bundle_path=`, Node's `ca`, C's
//! `ca_bundle_path`). The bundle *replaces* the Mozilla roots, as stripe-python's
//! `ca_bundle_path` and a Node agent's `ca` do: behind a TLS-inspecting proxy, give the
//! proxy's CA (with the public roots appended if other hosts are reached directly).
//!
//! Decided and left out:
//! - `SSL_CERT_FILE`, `REQUESTS_CA_BUNDLE` and `NODE_EXTRA_CA_CERTS` are not read. Trust that
//!   changes with the environment is hard to see from the code that makes the calls; the
//!   option is one line where the client is built, in every language.
//! - No platform verifier (`rustls-platform-verifier`, the system store as browsers use it):
//!   it would make the answer depend on the machine (and pull in a second set of crates), and
//!   a corporate CA installed system-wide is one file to pass as the bundle.

use crate::error::Error;
use ureq::tls::{parse_pem, Certificate, PemItem, RootCerts};

/// The roots in a PEM bundle. Refuses, with [`Error::InvalidArgument`] on `ca_bundle`, text
/// that is not PEM or holds no `CERTIFICATE` block. Other blocks (a private key) are skipped.
pub fn roots_from_pem(pem: &[u8]) -> Result<RootCerts, Error> {
    let mut certs: Vec<Certificate<'static>> = Vec::new();
    for item in parse_pem(pem) {
        match item {
            Ok(PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(e) => {
                return Err(Error::invalid_argument(
                    Some("ca_bundle"),
                    format!("the CA bundle is not valid PEM: {e}"),
                ))
            }
        }
    }
    if certs.is_empty() {
        return Err(Error::invalid_argument(
            Some("ca_bundle"),
            "the CA bundle holds no certificate (expected PEM blocks \
             -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)",
        ));
    }
    Ok(RootCerts::new_with_certs(&certs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_without_certificates_are_refused() {
        for bad in
            [&b""[..], b"not pem at all", b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"]
        {
            let e = roots_from_pem(bad).unwrap_err();
            assert_eq!(e.param(), Some("ca_bundle"), "{e}");
            assert!(e.to_string().contains("certificate") || e.to_string().contains("PEM"), "{e}");
        }
        let broken = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        assert_eq!(roots_from_pem(broken).unwrap_err().param(), Some("ca_bundle"));
    }
}
