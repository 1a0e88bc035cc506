//! Reading one field of a handle's JSON by its path, for the generated accessors
//! (`accessors.rs`).

use super::cstr::cstring;
use serde_json::Value;
use std::ffi::CString;

fn at<'a>(json: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(json, |value, key| value.get(key))
}

/// The string at `path`; for an expanded object, its `id` (as the SDKs' expandable fields
/// give it).
pub(crate) fn text(json: &Value, path: &[&str]) -> Option<CString> {
    match at(json, path)? {
        Value::String(s) => Some(cstring(s)),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(cstring),
        _ => None,
    }
}

/// The integer at `path`, 0 when absent or not an integer.
pub(crate) fn int(json: &Value, path: &[&str]) -> i64 {
    at(json, path).and_then(Value::as_i64).unwrap_or(0)
}

/// The boolean at `path`, false when absent or not a boolean.
pub(crate) fn boolean(json: &Value, path: &[&str]) -> bool {
    at(json, path).and_then(Value::as_bool).unwrap_or(false)
}
