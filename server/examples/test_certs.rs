//! Writes a throwaway CA and a certificate for `localhost` and `127.0.0.1` into a folder, for the
//! HTTPS tests of the Python, Node and C suites:
//!
//! ```text
//! cargo run -q -p stripe-identity-mock --example test-certs -- DIR
//! # DIR/ca.pem, DIR/server.pem, DIR/server-key.pem; also DIR/other.pem and DIR/other-key.pem,
//! # a certificate from the same CA for another name only (other.invalid)
//! ```

#[path = "../tests/common/certs.rs"]
mod certs;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: test-certs DIR");
        return ExitCode::from(2);
    };
    let ca = certs::TestCa::new("stripe-identity test CA");
    let server = ca.server_cert(&["localhost", "127.0.0.1"]);
    let other = ca.server_cert(&["other.invalid"]);
    let files = [
        ("ca.pem", ca.pem()),
        ("server.pem", server.cert_pem),
        ("server-key.pem", server.key_pem),
        ("other.pem", other.cert_pem),
        ("other-key.pem", other.key_pem),
    ];
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("test-certs: {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    for (name, pem) in files {
        if let Err(e) = std::fs::write(dir.join(name), pem) {
            eprintln!("test-certs: {}: {e}", dir.join(name).display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
