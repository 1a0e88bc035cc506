//! The C ABI of stripe-identity: `libstripe_identity.{so,a}` and `include/stripe_identity.h`.
//!
//! This crate only converts: C strings and JSON text in, opaque handles and `si_result` out. All
//! behaviour (validation, the simulator, HTTP, retries, pagination) lives in core, used here as
//! `identity`. The conventions every function follows are written once in `bindings-c/README.md`:
//!
//! - handles are opaque and freed by their `_free` function, which accepts NULL;
//! - fallible functions return [`si_result`], write their out-parameter only on success, and on
//!   failure give an owned [`si_error`] through the optional `si_error **` (no thread-local
//!   "last error");
//! - NULL where a value is required, invalid UTF-8 and malformed JSON give
//!   `SI_ERR_INVALID_ARGUMENT`; a Rust panic never crosses the boundary (`SI_ERR_INTERNAL`);
//! - a client may be shared by threads; sessions, lists and errors are immutable once made.
//!
//! The modules refer to one another through `super::` only, so that `tests/scenarios.rs` can
//! include this file as a module with `#[path]` (the crate has no rlib to link against).

// Names are the C names: `si_client`, `SI_OK`.
#![allow(non_camel_case_types)]
// Every extern function takes raw pointers from C; what they must point to is the same for all
// of them and written once (README.md, "Ownership" and "NULL"), and beside each function as
// "Borrowed"/"Owned" lines rather than a `# Safety` heading.
#![allow(clippy::missing_safety_doc)]

#[macro_use]
mod panic;
mod accessors;
mod call;
mod client;
mod cstr;
mod endpoint;
mod errors;
mod event;
mod ffi;
mod fields;
mod operations;
mod report;
mod session;
mod webhook;

pub use client::{
    si_client, si_client_free, si_client_new, si_client_new_local, si_client_options, si_request_options,
    SI_CLIENT_OPTIONS_INIT,
};
pub use endpoint::{
    si_endpoint, si_endpoint_deleted, si_endpoint_free, si_endpoint_id, si_endpoint_list,
    si_endpoint_list_free, si_endpoint_list_get, si_endpoint_list_has_more, si_endpoint_list_len,
    si_endpoint_list_to_json, si_endpoint_secret, si_endpoint_status, si_endpoint_to_json, si_endpoint_url,
};
pub use errors::{
    si_error, si_error_code, si_error_doc_url, si_error_free, si_error_http_status, si_error_json_body,
    si_error_message, si_error_param, si_error_request_id, si_error_status, si_error_type, si_result,
};
// Generated from the API's description (make codegen): every operation and control.
pub use event::{
    si_event, si_event_created, si_event_free, si_event_id, si_event_page, si_event_page_free,
    si_event_page_get, si_event_page_has_more, si_event_page_len, si_event_page_to_json, si_event_session,
    si_event_to_json, si_event_type,
};
pub use operations::*;
pub use report::{
    si_report, si_report_free, si_report_list, si_report_list_free, si_report_list_get,
    si_report_list_has_more, si_report_list_len, si_report_list_to_json, si_report_to_json,
};
pub use session::{
    si_session, si_session_free, si_session_list, si_session_list_free, si_session_list_get,
    si_session_list_has_more, si_session_list_len, si_session_list_to_json, si_session_list_url,
    si_session_to_json, si_string_free,
};
// Generated from the API's models (make codegen): an accessor per scalar field.
pub use accessors::*;

pub use webhook::{
    si_client_on_event, si_event_callback, si_webhook_construct_event, si_webhook_sign,
    SI_WEBHOOK_DEFAULT_TOLERANCE,
};

use std::ffi::c_char;

/// Major version of the header. Equal to the library's Cargo version (a test checks it);
/// compare with `si_version()` to detect a header that does not match the library loaded.
pub const SI_VERSION_MAJOR: u32 = 0;
/// Minor version of the header.
pub const SI_VERSION_MINOR: u32 = 1;
/// Patch version of the header.
pub const SI_VERSION_PATCH: u32 = 0;

/// The version of the library that is loaded, as `"MAJOR.MINOR.PATCH"`.
///
/// Owned by the library: a static string, never freed.
#[no_mangle]
pub extern "C" fn si_version() -> *const c_char {
    // Cargo's version, NUL-terminated at compile time: no allocation, nothing to fail (the
    // boundary is there because every entry point has one).
    // (The macro names `super::panic`, which does not exist from the crate root.)
    panic::value_boundary(|| concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    /// The `SI_VERSION_*` macros of the checked-in header, and the constants they come from,
    /// equal Cargo.toml's version.
    #[test]
    fn header_version_macros_equal_the_cargo_version() {
        let header =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/include/stripe_identity.h"))
                .expect("include/stripe_identity.h is checked in");
        let define = |name: &str| -> u32 {
            let prefix = format!("#define {name} ");
            let line = header
                .lines()
                .find(|l| l.starts_with(&prefix))
                .unwrap_or_else(|| panic!("the header has no {name}"));
            line[prefix.len()..].trim().parse().unwrap_or_else(|_| panic!("{name} is not a number: {line}"))
        };
        let cargo = |v: &str| -> u32 { v.parse().unwrap() };
        let expected = [
            ("SI_VERSION_MAJOR", cargo(env!("CARGO_PKG_VERSION_MAJOR")), SI_VERSION_MAJOR),
            ("SI_VERSION_MINOR", cargo(env!("CARGO_PKG_VERSION_MINOR")), SI_VERSION_MINOR),
            ("SI_VERSION_PATCH", cargo(env!("CARGO_PKG_VERSION_PATCH")), SI_VERSION_PATCH),
        ];
        for (name, from_cargo, constant) in expected {
            assert_eq!(define(name), from_cargo, "{name} in the header");
            assert_eq!(constant, from_cargo, "{name} in src/lib.rs");
        }
        let runtime = unsafe { CStr::from_ptr(si_version()) }.to_str().unwrap();
        assert_eq!(runtime, env!("CARGO_PKG_VERSION"));
    }

    // Extern functions written like every real one, whose bodies panic. (They live here, in a
    // direct child of the crate root, because `ffi_boundary!` names `super::panic`.)
    unsafe extern "C" fn panics(err_out: *mut *mut si_error) -> si_result {
        ffi_boundary!(err_out, {
            let v: Vec<u8> = Vec::new();
            let _ = v[std::hint::black_box(3)]; // index out of bounds
            Ok(())
        })
    }

    unsafe extern "C" fn accessor_panics() -> *const c_char {
        ffi_boundary!({ panic!("boom") })
    }

    #[test]
    fn a_panic_becomes_si_err_internal_with_a_message() {
        let mut err: *mut si_error = std::ptr::null_mut();
        let status = unsafe { panics(&mut err) };
        assert_eq!(status, si_result::SI_ERR_INTERNAL);
        assert!(!err.is_null());
        let message = unsafe { CStr::from_ptr(si_error_message(err)) }.to_str().unwrap().to_string();
        assert!(message.contains("internal error") && message.contains("index out of bounds"), "{message}");
        assert_eq!(unsafe { si_error_status(err) }, si_result::SI_ERR_INTERNAL);
        unsafe { si_error_free(err) };
        // With no error out-parameter the status alone tells.
        assert_eq!(unsafe { panics(std::ptr::null_mut()) }, si_result::SI_ERR_INTERNAL);
    }

    #[test]
    fn a_panicking_accessor_returns_null() {
        assert!(unsafe { accessor_panics() }.is_null());
    }
}
