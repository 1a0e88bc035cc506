//! Gives the shared library a versioned SONAME (`libstripe_identity.so.<major>`), so programs
//! linked against it keep loading the ABI they were built for; `make install` creates the
//! `libstripe_identity.so` and `.so.<major>` symlinks.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets the version");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libstripe_identity.so.{major}");
    }
}
