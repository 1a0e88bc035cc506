//! `si_session` and `si_session_list`: the API's answers as immutable handles with accessors for
//! the top-level fields, and `_to_json` for all of it.

use super::cstr::{cstring, opt_ptr};
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
    fields: [OnceLock<Option<CString>>; Field::COUNT],
}

/// The string fields with an accessor, and where each lives in the session's JSON.
#[derive(Debug, Clone, Copy)]
enum Field {
    Id,
    Object,
    Status,
    Type,
    ClientSecret,
    Url,
    ClientReferenceId,
    LastVerificationReport,
    RelatedCustomer,
    RelatedCustomerAccount,
    VerificationFlow,
    RedactionStatus,
    LastErrorCode,
    LastErrorReason,
}

impl Field {
    const COUNT: usize = 14;

    fn path(self) -> &'static [&'static str] {
        match self {
            Field::Id => &["id"],
            Field::Object => &["object"],
            Field::Status => &["status"],
            Field::Type => &["type"],
            Field::ClientSecret => &["client_secret"],
            Field::Url => &["url"],
            Field::ClientReferenceId => &["client_reference_id"],
            Field::LastVerificationReport => &["last_verification_report"],
            Field::RelatedCustomer => &["related_customer"],
            Field::RelatedCustomerAccount => &["related_customer_account"],
            Field::VerificationFlow => &["verification_flow"],
            Field::RedactionStatus => &["redaction", "status"],
            Field::LastErrorCode => &["last_error", "code"],
            Field::LastErrorReason => &["last_error", "reason"],
        }
    }
}

/// The string at a path of `json`; for an expanded object, its `id` (as the SDKs' expandable
/// fields give it).
fn text(json: &Value, path: &[&str]) -> Option<CString> {
    let mut value = json;
    for key in path {
        value = value.get(key)?;
    }
    match value {
        Value::String(s) => Some(cstring(s)),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(cstring),
        _ => None,
    }
}

impl si_session {
    pub(crate) fn new(json: Value) -> si_session {
        si_session { json, fields: Default::default() }
    }

    fn field(&self, field: Field) -> *const c_char {
        opt_ptr(self.fields[field as usize].get_or_init(|| text(&self.json, field.path())))
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

/// A borrowed field of a session (NULL for a NULL session or an absent field).
unsafe fn field(session: *const si_session, field: Field) -> *const c_char {
    session.as_ref().map_or(std::ptr::null(), |s| s.field(field))
}

/// `id`, e.g. `"vs_..."`.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_id(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::Id) })
}

/// `object`: `"identity.verification_session"`.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_object(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::Object) })
}

/// `status`: `"requires_input"`, `"processing"`, `"verified"` or `"canceled"`.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_status(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::Status) })
}

/// `type`: `"document"`, `"id_number"`, `"verification_flow"`; NULL when the API gave none.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_type(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::Type) })
}

/// `client_secret`: NULL once the session no longer awaits input.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_client_secret(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::ClientSecret) })
}

/// `url` of the hosted flow: NULL once the session no longer awaits input.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_url(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::Url) })
}

/// `client_reference_id`; NULL when not set.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_client_reference_id(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::ClientReferenceId) })
}

/// `last_verification_report`: the report id (also when the field was expanded); NULL before
/// a verification.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_last_verification_report(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::LastVerificationReport) })
}

/// `related_customer`; NULL when not set.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_related_customer(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::RelatedCustomer) })
}

/// `related_customer_account`; NULL when not set.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_related_customer_account(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::RelatedCustomerAccount) })
}

/// `verification_flow`; NULL when not set.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_verification_flow(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::VerificationFlow) })
}

/// `redaction.status` (`"processing"`, `"redacted"`); NULL when the session was not redacted.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_redaction_status(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::RedactionStatus) })
}

/// `last_error.code` (`"document_expired"`, …); NULL when there is no last error.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_last_error_code(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::LastErrorCode) })
}

/// `last_error.reason`; NULL when there is no last error or no reason.
///
/// Borrowed: valid until the session is freed; do not free it. NULL when `session` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_session_last_error_reason(session: *const si_session) -> *const c_char {
    ffi_boundary!({ field(session, Field::LastErrorReason) })
}

/// `created`, in unix seconds; 0 when `session` is NULL.
///
/// `session` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_session_created(session: *const si_session) -> i64 {
    ffi_boundary!({
        session.as_ref().and_then(|s| s.json.get("created")).and_then(Value::as_i64).unwrap_or(0)
    })
}

/// `livemode`; false when `session` is NULL.
///
/// `session` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_session_livemode(session: *const si_session) -> bool {
    ffi_boundary!({
        session.as_ref().and_then(|s| s.json.get("livemode")).and_then(Value::as_bool).unwrap_or(false)
    })
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
