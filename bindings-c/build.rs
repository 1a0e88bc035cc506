//! Gives the shared library a versioned SONAME, so programs linked against it keep loading the
//! ABI they were built for. The policy is cargo-c's: `libstripe_identity.so.<major>` from 1.0
//! on, `libstripe_identity.so.0.<minor>` before it, since a 0.x minor release may break the ABI
//! (0.2 must not silently replace 0.1). `make install` and `make dist` create the symlinks.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
        let minor = std::env::var("CARGO_PKG_VERSION_MINOR").expect("cargo sets the version");
        let soversion = if major == "0" { format!("0.{minor}") } else { major };
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libstripe_identity.so.{soversion}");
    }
}
