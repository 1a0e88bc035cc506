//! Every NULL check, cast and C-string conversion of the crate, so that the extern functions
//! read as "check the arguments, call core, write the result".

use super::errors::si_error;
use serde_json::Value;
use std::ffi::{c_char, CStr};

/// A required input handle: NULL is `SI_ERR_INVALID_ARGUMENT` naming the argument.
pub(crate) unsafe fn arg_ref<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Box<si_error>> {
    ptr.as_ref().ok_or_else(|| si_error::invalid_argument(name, format!("{name} must not be NULL")))
}

/// A required C string, which must be UTF-8.
pub(crate) unsafe fn arg_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Box<si_error>> {
    opt_str(ptr, name)?.ok_or_else(|| si_error::invalid_argument(name, format!("{name} must not be NULL")))
}

/// An optional C string (NULL is none), which must be UTF-8 when given.
pub(crate) unsafe fn opt_str<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>, Box<si_error>> {
    if ptr.is_null() {
        return Ok(None);
    }
    CStr::from_ptr(ptr)
        .to_str()
        .map(Some)
        .map_err(|e| si_error::invalid_argument(name, format!("{name} is not valid UTF-8: {e}")))
}

/// Parameters as JSON text in the API's own shape; NULL is no parameters. Whether the JSON fits
/// the operation is core's to say. Text nested deeper than core converts
/// (`stripe_identity::nesting`) is refused as it is read, before any level past the limit.
pub(crate) unsafe fn arg_json(ptr: *const c_char, name: &str) -> Result<Value, Box<si_error>> {
    match opt_str(ptr, name)? {
        None => Ok(Value::Null),
        Some(text) => identity::nesting::parse(text)
            .map_err(|e| si_error::invalid_argument(name, format!("{name} is not valid JSON: {e}"))),
    }
}

/// A required out-parameter: checked before any work, so a call that cannot hand back its
/// result does nothing.
pub(crate) fn check_out<T>(ptr: *mut *mut T, name: &str) -> Result<(), Box<si_error>> {
    if ptr.is_null() {
        return Err(si_error::invalid_argument(name, format!("{name} must not be NULL")));
    }
    Ok(())
}

/// Hands an owned value to C through an out-parameter already checked by [`check_out`]. The
/// previous content of `*ptr` is overwritten, not freed.
pub(crate) unsafe fn write_out<T>(ptr: *mut *mut T, value: Box<T>) {
    *ptr = Box::into_raw(value);
}

/// Hands an error to C through the optional error out-parameter, or drops it when that is NULL.
pub(crate) unsafe fn write_error(err_out: *mut *mut si_error, error: Box<si_error>) {
    if !err_out.is_null() {
        *err_out = Box::into_raw(error);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_text_is_an_invalid_argument_naming_the_argument() {
        let bad = [0xffu8, 0xfe, 0];
        let e = unsafe { arg_str(bad.as_ptr().cast(), "id") }.unwrap_err();
        assert_eq!(e.status, super::super::errors::si_result::SI_ERR_INVALID_ARGUMENT);
        let e = unsafe { arg_json(c"{\"type\":".as_ptr(), "params_json") }.unwrap_err();
        assert_eq!(e.status, super::super::errors::si_result::SI_ERR_INVALID_ARGUMENT);
        assert_eq!(unsafe { arg_json(std::ptr::null(), "params_json") }.unwrap(), Value::Null);
    }
}
