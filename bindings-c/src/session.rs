//! `si_session` and `si_session_list`: the API's answers as immutable handles with accessors for
//! the top-level fields, and `_to_json` for all of it.

use super::accessors::SESSION_TEXT;
use super::cstr::{cstring, opt_ptr};
use super::fields;
use serde_json::{Map, Value};
use std::ffi::{c_char, CString};
use std::sync::OnceLock;

/// A VerificationSession as the API returned it. Opaque and immutable; read it from any number
/// of threads. Free it with `si_session_free`, except when it was borrowed from a list.
#[derive(Debug)]
pub struct si_session {
    json: Value,
    // The C string of each string field, made on first use (most programs read two or three
    // fields, and making all of them up front was a third of the C API's overhead) and then
    // kept, so that accessors can lend it for the handle's lifetime. OnceLock: handles may be
    // read by several threads at once.
    fields: [OnceLock<Option<CString>>; SESSION_TEXT.len()],
}

impl si_session {
    pub(crate) fn new(json: Value) -> si_session {
        si_session { json, fields: Default::default() }
    }

    /// The string field `index` of [`SESSION_TEXT`], borrowed (NULL for a NULL session).
    pub(crate) unsafe fn text_field(session: *const si_session, index: usize) -> *const c_char {
        session.as_ref().map_or(std::ptr::null(), |s| {
            opt_ptr(s.fields[index].get_or_init(|| fields::text(&s.json, SESSION_TEXT[index])))
        })
    }

    /// The integer at `path` (0 for a NULL session or an absent field).
    pub(crate) unsafe fn int_field(session: *const si_session, path: &[&str]) -> i64 {
        session.as_ref().map_or(0, |s| fields::int(&s.json, path))
    }

    /// The boolean at `path` (false for a NULL session or an absent field).
    pub(crate) unsafe fn bool_field(session: *const si_session, path: &[&str]) -> bool {
        session.as_ref().is_some_and(|s| fields::boolean(&s.json, path))
    }
}

/// One page of a list: the sessions, `has_more` and `url`. Opaque and immutable. Free it with
/// `si_session_list_free`, which also frees the sessions borrowed from it.
#[derive(Debug)]
pub struct si_session_list {
    sessions: Vec<si_session>,
    has_more: bool,
    url: Option<CString>,
    // The page without its `data`, which lives in `sessions` (kept once, not twice).
    envelope: Map<String, Value>,
}

impl si_session_list {
    pub(crate) fn new(page: Value) -> si_session_list {
        let mut envelope = match page {
            Value::Object(map) => map,
            other => Map::from_iter([("data".to_string(), other)]),
        };
        let sessions = match envelope.remove("data") {
            Some(Value::Array(data)) => data.into_iter().map(si_session::new).collect(),
            _ => Vec::new(),
        };
        si_session_list {
            has_more: envelope.get("has_more").and_then(Value::as_bool).unwrap_or(false),
            url: envelope.get("url").and_then(Value::as_str).map(cstring),
            sessions,
            envelope,
        }
    }

    fn to_json(&self) -> Value {
        let mut page = self.envelope.clone();
        let data = self.sessions.iter().map(|s| s.json.clone()).collect();
        page.insert("data".into(), Value::Array(data));
        Value::Object(page)
    }
}

/// An owned C string of JSON text (serde_json escapes NUL, so none can be inside).
fn json_string(value: &Value) -> *mut c_char {
    cstring(&value.to_string()).into_raw()
}

/// The whole session as JSON text, exactly the fields the API returned (nested objects,
/// `metadata`, `options`, expanded fields included).
///
/// Owned: a new string that the caller frees with `si_string_free`. `session` is borrowed.
/// NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_to_json(session: *const si_session) -> *mut c_char {
    ffi_boundary!({ session.as_ref().map_or(std::ptr::null_mut(), |s| json_string(&s.json)) })
}

/// Frees a session and every string borrowed from it. NULL is a no-op.
///
/// Takes ownership of `session`, which must come from an out-parameter (never from
/// `si_session_list_get`: those belong to their list) and must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn si_session_free(session: *mut si_session) {
    ffi_boundary!({
        if !session.is_null() {
            drop(Box::from_raw(session));
        }
    })
}

/// Frees a string returned by a `_to_json` function. NULL is a no-op.
///
/// Takes ownership of `s`, which must come from this library (not `malloc`) and must not be
/// used afterwards.
#[no_mangle]
pub unsafe extern "C" fn si_string_free(s: *mut c_char) {
    ffi_boundary!({
        if !s.is_null() {
            drop(CString::from_raw(s));
        }
    })
}

/// The number of sessions on the page; 0 when `list` is NULL.
///
/// `list` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_session_list_len(list: *const si_session_list) -> usize {
    ffi_boundary!({ list.as_ref().map_or(0, |l| l.sessions.len()) })
}

/// The session at `index` (0 is the first, newest first as the API orders them).
///
/// Borrowed: valid until `si_session_list_free(list)`; do not free it. NULL when `list` is
/// NULL or `index` is not below `si_session_list_len(list)`.
#[no_mangle]
pub unsafe extern "C" fn si_session_list_get(
    list: *const si_session_list,
    index: usize,
) -> *const si_session {
    ffi_boundary!({
        list.as_ref().and_then(|l| l.sessions.get(index)).map_or(std::ptr::null(), |s| s as *const _)
    })
}

/// `has_more`: whether the API has more sessions after this page (ask for them with
/// `{"starting_after": "<id of the last one>"}`); false when `list` is NULL.
///
/// `list` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_session_list_has_more(list: *const si_session_list) -> bool {
    ffi_boundary!({ list.as_ref().is_some_and(|l| l.has_more) })
}

/// `url` of the list (`"/v1/identity/verification_sessions"`).
///
/// Borrowed: valid until `si_session_list_free(list)`. NULL when `list` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_list_url(list: *const si_session_list) -> *const c_char {
    ffi_boundary!({ list.as_ref().map_or(std::ptr::null(), |l| opt_ptr(&l.url)) })
}

/// The whole page as JSON text (`{"object": "list", "data": [...], "has_more": ..., "url": ...}`).
///
/// Owned: a new string that the caller frees with `si_string_free`. `list` is borrowed. NULL
/// when `list` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_list_to_json(list: *const si_session_list) -> *mut c_char {
    ffi_boundary!({ list.as_ref().map_or(std::ptr::null_mut(), |l| json_string(&l.to_json())) })
}

/// Frees a list, its sessions and every string borrowed from them. NULL is a no-op.
///
/// Takes ownership of `list`, which must not be used afterwards, nor any session obtained
/// from it with `si_session_list_get`.
#[no_mangle]
pub unsafe extern "C" fn si_session_list_free(list: *mut si_session_list) {
    ffi_boundary!({
        if !list.is_null() {
            drop(Box::from_raw(list));
        }
    })
}
