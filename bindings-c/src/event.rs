//! `si_event` and `si_event_page`: events (`identity.verification_session.*`) as immutable
//! handles with accessors for their top-level fields, the session of `data.object` as a
//! borrowed `si_session`, and `_to_json` for all of it.

use super::cstr::{cstring, opt_ptr};
use super::session::si_session;
use serde_json::{Map, Value};
use std::ffi::{c_char, CString};

/// An event as the API returned it (or as a verified webhook carried it). Opaque and
/// immutable; read it from any number of threads. Free it with `si_event_free`, except when it
/// was borrowed from a list or handed to an event callback.
#[derive(Debug)]
pub struct si_event {
    json: Value,
    id: Option<CString>,
    event_type: Option<CString>,
    session: si_session,
}

fn text(json: &Value, key: &str) -> Option<CString> {
    json.get(key).and_then(Value::as_str).map(cstring)
}

impl si_event {
    pub(crate) fn new(json: Value) -> si_event {
        let object = json.get("data").and_then(|d| d.get("object")).cloned().unwrap_or(Value::Null);
        si_event {
            id: text(&json, "id"),
            event_type: text(&json, "type"),
            session: si_session::new(object),
            json,
        }
    }
}

/// One page of a list of events: the events, `has_more`. Opaque and immutable. Free it with
/// `si_event_page_free`, which also frees the events borrowed from it.
#[derive(Debug)]
pub struct si_event_page {
    events: Vec<si_event>,
    has_more: bool,
    // The page without its `data`, which lives in `events`.
    envelope: Map<String, Value>,
}

impl si_event_page {
    pub(crate) fn new(page: Value) -> si_event_page {
        let mut envelope = match page {
            Value::Object(map) => map,
            other => Map::from_iter([("data".to_string(), other)]),
        };
        let events = match envelope.remove("data") {
            Some(Value::Array(data)) => data.into_iter().map(si_event::new).collect(),
            _ => Vec::new(),
        };
        let has_more = envelope.get("has_more").and_then(Value::as_bool).unwrap_or(false);
        si_event_page { events, has_more, envelope }
    }

    fn to_json(&self) -> Value {
        let mut page = self.envelope.clone();
        page.insert("data".into(), Value::Array(self.events.iter().map(|e| e.json.clone()).collect()));
        Value::Object(page)
    }
}

/// `id`, e.g. `"evt_..."`.
///
/// Borrowed: valid until the event is freed; do not free it. NULL when `event` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_event_id(event: *const si_event) -> *const c_char {
    ffi_boundary!({ event.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.id)) })
}

/// `type`, e.g. `"identity.verification_session.verified"`.
///
/// Borrowed: valid until the event is freed; do not free it. NULL when `event` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_event_type(event: *const si_event) -> *const c_char {
    ffi_boundary!({ event.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.event_type)) })
}

/// `created`, unix seconds; 0 when `event` is NULL.
///
/// `event` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_event_created(event: *const si_event) -> i64 {
    ffi_boundary!({ event.as_ref().and_then(|e| e.json.get("created")).and_then(Value::as_i64).unwrap_or(0) })
}

/// `data.object`: the VerificationSession as it was when the event happened, read with the
/// `si_session_*` accessors.
///
/// Borrowed: valid until the event is freed; never pass it to `si_session_free`. NULL when
/// `event` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_event_session(event: *const si_event) -> *const si_session {
    ffi_boundary!({ event.as_ref().map_or(std::ptr::null(), |e| &e.session as *const _) })
}

/// The whole event as JSON text.
///
/// Owned: a new string that the caller frees with `si_string_free`. `event` is borrowed.
/// NULL when `event` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_event_to_json(event: *const si_event) -> *mut c_char {
    ffi_boundary!({
        event.as_ref().map_or(std::ptr::null_mut(), |e| cstring(&e.json.to_string()).into_raw())
    })
}

/// Frees an event, its session and every string borrowed from them. NULL is a no-op.
///
/// Takes ownership of `event`, which must come from an out-parameter (never from
/// `si_event_page_get` or an event callback: those are borrowed) and must not be used
/// afterwards.
#[no_mangle]
pub unsafe extern "C" fn si_event_free(event: *mut si_event) {
    ffi_boundary!({
        if !event.is_null() {
            drop(Box::from_raw(event));
        }
    })
}

/// The number of events on the page; 0 when `list` is NULL.
///
/// `list` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_event_page_len(list: *const si_event_page) -> usize {
    ffi_boundary!({ list.as_ref().map_or(0, |l| l.events.len()) })
}

/// The event at `index` (0 is the first, newest first as the API orders them).
///
/// Borrowed: valid until `si_event_page_free(list)`; do not free it. NULL when `list` is NULL
/// or `index` is not below `si_event_page_len(list)`.
#[no_mangle]
pub unsafe extern "C" fn si_event_page_get(list: *const si_event_page, index: usize) -> *const si_event {
    ffi_boundary!({
        list.as_ref().and_then(|l| l.events.get(index)).map_or(std::ptr::null(), |e| e as *const _)
    })
}

/// `has_more`: whether more events lie beyond this page; false when `list` is NULL.
///
/// `list` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_event_page_has_more(list: *const si_event_page) -> bool {
    ffi_boundary!({ list.as_ref().is_some_and(|l| l.has_more) })
}

/// The whole page as JSON text.
///
/// Owned: a new string that the caller frees with `si_string_free`. `list` is borrowed. NULL
/// when `list` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_event_page_to_json(list: *const si_event_page) -> *mut c_char {
    ffi_boundary!({
        list.as_ref().map_or(std::ptr::null_mut(), |l| cstring(&l.to_json().to_string()).into_raw())
    })
}

/// Frees a list, its events and every string borrowed from them. NULL is a no-op.
///
/// Takes ownership of `list`, which must not be used afterwards, nor any event obtained from
/// it with `si_event_page_get`.
#[no_mangle]
pub unsafe extern "C" fn si_event_page_free(list: *mut si_event_page) {
    ffi_boundary!({
        if !list.is_null() {
            drop(Box::from_raw(list));
        }
    })
}
