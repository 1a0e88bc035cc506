//! Strings handed out to C: owned `CString`s that live as long as the handle holding them, and
//! their borrowed pointers. (Kept apart from `ffi.rs`, which reads C's input and reports
//! errors, so that the error type can use these without importing its own importer.)

use std::ffi::{c_char, CString};

/// A C string of any text: a NUL inside (possible from JSON `"\u0000"`) would end the string
/// early, so it is written as U+FFFD instead of failing.
pub(crate) fn cstring(text: &str) -> CString {
    CString::new(text).unwrap_or_else(|_| {
        let cleaned = text.replace('\0', "\u{FFFD}");
        CString::new(cleaned).expect("no NUL is left")
    })
}

/// The pointer of an optional borrowed string, NULL for none.
pub(crate) fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_inside_a_string_does_not_cut_it() {
        assert_eq!(cstring("a\0b").to_str().unwrap(), "a\u{FFFD}b");
        assert_eq!(cstring("plain").to_str().unwrap(), "plain");
    }
}
