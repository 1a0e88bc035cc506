//! `si_endpoint` and `si_endpoint_list`: webhook endpoints as immutable handles with accessors
//! for their top-level fields, and `_to_json` for all of it. The operations that return them are
//! `si_webhook_endpoint_*` (generated into `operations.rs`).

use super::cstr::{cstring, opt_ptr};
use serde_json::{Map, Value};
use std::ffi::{c_char, CString};

/// A webhook endpoint as the API returned it (or, from `si_webhook_endpoint_delete`, the
/// deleted shape `{id, object, deleted}`). Opaque and immutable; read it from any number of
/// threads. Free it with `si_endpoint_free`, except when it was borrowed from a list.
#[derive(Debug)]
pub struct si_endpoint {
    json: Value,
    id: Option<CString>,
    url: Option<CString>,
    secret: Option<CString>,
    status: Option<CString>,
}

fn text(json: &Value, key: &str) -> Option<CString> {
    json.get(key).and_then(Value::as_str).map(cstring)
}

impl si_endpoint {
    pub(crate) fn new(json: Value) -> si_endpoint {
        si_endpoint {
            id: text(&json, "id"),
            url: text(&json, "url"),
            secret: text(&json, "secret"),
            status: text(&json, "status"),
            json,
        }
    }
}

/// One page of a list of webhook endpoints: the endpoints, `has_more`. Opaque and immutable.
/// Free it with `si_endpoint_list_free`, which also frees the endpoints borrowed from it.
#[derive(Debug)]
pub struct si_endpoint_list {
    endpoints: Vec<si_endpoint>,
    has_more: bool,
    // The page without its `data`, which lives in `endpoints`.
    envelope: Map<String, Value>,
}

impl si_endpoint_list {
    pub(crate) fn new(page: Value) -> si_endpoint_list {
        let mut envelope = match page {
            Value::Object(map) => map,
            other => Map::from_iter([("data".to_string(), other)]),
        };
        let endpoints = match envelope.remove("data") {
            Some(Value::Array(data)) => data.into_iter().map(si_endpoint::new).collect(),
            _ => Vec::new(),
        };
        let has_more = envelope.get("has_more").and_then(Value::as_bool).unwrap_or(false);
        si_endpoint_list { endpoints, has_more, envelope }
    }

    fn to_json(&self) -> Value {
        let mut page = self.envelope.clone();
        page.insert("data".into(), Value::Array(self.endpoints.iter().map(|e| e.json.clone()).collect()));
        Value::Object(page)
    }
}

/// `id`, e.g. `"we_..."`.
///
/// Borrowed: valid until the endpoint is freed; do not free it. NULL when `endpoint` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_id(endpoint: *const si_endpoint) -> *const c_char {
    ffi_boundary!({ endpoint.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.id)) })
}

/// `url`: where events are posted.
///
/// Borrowed: valid until the endpoint is freed; do not free it. NULL when `endpoint` is NULL
/// or deleted.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_url(endpoint: *const si_endpoint) -> *const c_char {
    ffi_boundary!({ endpoint.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.url)) })
}

/// `secret` (`"whsec_..."`): present only on the endpoint `si_webhook_endpoint_create` returned.
///
/// Borrowed: valid until the endpoint is freed; do not free it. NULL when `endpoint` is NULL
/// or carries no secret.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_secret(endpoint: *const si_endpoint) -> *const c_char {
    ffi_boundary!({ endpoint.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.secret)) })
}

/// `status`: `"enabled"` or `"disabled"`.
///
/// Borrowed: valid until the endpoint is freed; do not free it. NULL when `endpoint` is NULL
/// or deleted.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_status(endpoint: *const si_endpoint) -> *const c_char {
    ffi_boundary!({ endpoint.as_ref().map_or(std::ptr::null(), |e| opt_ptr(&e.status)) })
}

/// `deleted`: true on what `si_webhook_endpoint_delete` returned; false otherwise, and when
/// `endpoint` is NULL.
///
/// `endpoint` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_deleted(endpoint: *const si_endpoint) -> bool {
    ffi_boundary!({
        endpoint.as_ref().and_then(|e| e.json.get("deleted")).and_then(Value::as_bool).unwrap_or(false)
    })
}

/// The whole endpoint as JSON text (`enabled_events`, `metadata`, ... included).
///
/// Owned: a new string that the caller frees with `si_string_free`. `endpoint` is borrowed.
/// NULL when `endpoint` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_to_json(endpoint: *const si_endpoint) -> *mut c_char {
    ffi_boundary!({
        endpoint.as_ref().map_or(std::ptr::null_mut(), |e| cstring(&e.json.to_string()).into_raw())
    })
}

/// Frees an endpoint and every string borrowed from it. NULL is a no-op.
///
/// Takes ownership of `endpoint`, which must come from an out-parameter (never from
/// `si_endpoint_list_get`: those belong to their list) and must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_free(endpoint: *mut si_endpoint) {
    ffi_boundary!({
        if !endpoint.is_null() {
            drop(Box::from_raw(endpoint));
        }
    })
}

/// The number of endpoints on the page; 0 when `list` is NULL.
///
/// `list` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_list_len(list: *const si_endpoint_list) -> usize {
    ffi_boundary!({ list.as_ref().map_or(0, |l| l.endpoints.len()) })
}

/// The endpoint at `index` (0 is the first, newest first as the API orders them).
///
/// Borrowed: valid until `si_endpoint_list_free(list)`; do not free it. NULL when `list` is
/// NULL or `index` is not below `si_endpoint_list_len(list)`.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_list_get(
    list: *const si_endpoint_list,
    index: usize,
) -> *const si_endpoint {
    ffi_boundary!({
        list.as_ref().and_then(|l| l.endpoints.get(index)).map_or(std::ptr::null(), |e| e as *const _)
    })
}

/// `has_more`: whether the API has more endpoints after this page; false when `list` is NULL.
///
/// `list` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_list_has_more(list: *const si_endpoint_list) -> bool {
    ffi_boundary!({ list.as_ref().is_some_and(|l| l.has_more) })
}

/// The whole page as JSON text.
///
/// Owned: a new string that the caller frees with `si_string_free`. `list` is borrowed. NULL
/// when `list` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_list_to_json(list: *const si_endpoint_list) -> *mut c_char {
    ffi_boundary!({
        list.as_ref().map_or(std::ptr::null_mut(), |l| cstring(&l.to_json().to_string()).into_raw())
    })
}

/// Frees a list, its endpoints and every string borrowed from them. NULL is a no-op.
///
/// Takes ownership of `list`, which must not be used afterwards, nor any endpoint obtained
/// from it with `si_endpoint_list_get`.
#[no_mangle]
pub unsafe extern "C" fn si_endpoint_list_free(list: *mut si_endpoint_list) {
    ffi_boundary!({
        if !list.is_null() {
            drop(Box::from_raw(list));
        }
    })
}
