//! `si_report` and `si_report_list`: VerificationReports as immutable handles with accessors
//! for their top-level fields, and `_to_json` for all of it.

use super::accessors::REPORT_TEXT;
use super::cstr::{cstring, opt_ptr};
use super::fields;
use serde_json::{Map, Value};
use std::ffi::{c_char, CString};
use std::sync::OnceLock;

/// A VerificationReport as the API returned it. Opaque and immutable; read it from any number
/// of threads. Free it with `si_report_free`, except when it was borrowed from a list.
#[derive(Debug)]
pub struct si_report {
    json: Value,
    // The C string of each string field, made on first use and kept, so that accessors can
    // lend it for the handle's lifetime (OnceLock: handles may be read by several threads).
    fields: [OnceLock<Option<CString>>; REPORT_TEXT.len()],
}

impl si_report {
    pub(crate) fn new(json: Value) -> si_report {
        si_report { json, fields: Default::default() }
    }

    /// The string field `index` of [`REPORT_TEXT`], borrowed (NULL for a NULL report).
    pub(crate) unsafe fn text_field(report: *const si_report, index: usize) -> *const c_char {
        report.as_ref().map_or(std::ptr::null(), |r| {
            opt_ptr(r.fields[index].get_or_init(|| fields::text(&r.json, REPORT_TEXT[index])))
        })
    }

    /// The integer at `path` (0 for a NULL report or an absent field).
    pub(crate) unsafe fn int_field(report: *const si_report, path: &[&str]) -> i64 {
        report.as_ref().map_or(0, |r| fields::int(&r.json, path))
    }

    /// The boolean at `path` (false for a NULL report or an absent field).
    pub(crate) unsafe fn bool_field(report: *const si_report, path: &[&str]) -> bool {
        report.as_ref().is_some_and(|r| fields::boolean(&r.json, path))
    }
}

/// One page of a list of reports: the reports, `has_more`. Opaque and immutable. Free it with
/// `si_report_list_free`, which also frees the reports borrowed from it.
#[derive(Debug)]
pub struct si_report_list {
    reports: Vec<si_report>,
    has_more: bool,
    // The page without its `data`, which lives in `reports`.
    envelope: Map<String, Value>,
}

impl si_report_list {
    pub(crate) fn new(page: Value) -> si_report_list {
        let mut envelope = match page {
            Value::Object(map) => map,
            other => Map::from_iter([("data".to_string(), other)]),
        };
        let reports = match envelope.remove("data") {
            Some(Value::Array(data)) => data.into_iter().map(si_report::new).collect(),
            _ => Vec::new(),
        };
        let has_more = envelope.get("has_more").and_then(Value::as_bool).unwrap_or(false);
        si_report_list { reports, has_more, envelope }
    }

    fn to_json(&self) -> Value {
        let mut page = self.envelope.clone();
        page.insert("data".into(), Value::Array(self.reports.iter().map(|r| r.json.clone()).collect()));
        Value::Object(page)
    }
}

/// The whole report as JSON text (its checks `document`, `selfie`, ... included).
///
/// Owned: a new string that the caller frees with `si_string_free`. `report` is borrowed.
/// NULL when `report` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_report_to_json(report: *const si_report) -> *mut c_char {
    ffi_boundary!({
        report.as_ref().map_or(std::ptr::null_mut(), |r| cstring(&r.json.to_string()).into_raw())
    })
}

/// Frees a report and every string borrowed from it. NULL is a no-op.
///
/// Takes ownership of `report`, which must come from an out-parameter (never from
/// `si_report_list_get`: those belong to their list) and must not be used afterwards.
#[no_mangle]
pub unsafe extern "C" fn si_report_free(report: *mut si_report) {
    ffi_boundary!({
        if !report.is_null() {
            drop(Box::from_raw(report));
        }
    })
}

/// The number of reports on the page; 0 when `list` is NULL.
///
/// `list` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_report_list_len(list: *const si_report_list) -> usize {
    ffi_boundary!({ list.as_ref().map_or(0, |l| l.reports.len()) })
}

/// The report at `index` (0 is the first, newest first as the API orders them).
///
/// Borrowed: valid until `si_report_list_free(list)`; do not free it. NULL when `list` is NULL
/// or `index` is not below `si_report_list_len(list)`.
#[no_mangle]
pub unsafe extern "C" fn si_report_list_get(list: *const si_report_list, index: usize) -> *const si_report {
    ffi_boundary!({
        list.as_ref().and_then(|l| l.reports.get(index)).map_or(std::ptr::null(), |r| r as *const _)
    })
}

/// `has_more`: whether the API has more reports after this page; false when `list` is NULL.
///
/// `list` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn si_report_list_has_more(list: *const si_report_list) -> bool {
    ffi_boundary!({ list.as_ref().is_some_and(|l| l.has_more) })
}

/// The whole page as JSON text.
///
/// Owned: a new string that the caller frees with `si_string_free`. `list` is borrowed. NULL
/// when `list` is NULL.
#[no_mangle]
pub unsafe extern "C" fn si_report_list_to_json(list: *const si_report_list) -> *mut c_char {
    ffi_boundary!({
        list.as_ref().map_or(std::ptr::null_mut(), |l| cstring(&l.to_json().to_string()).into_raw())
    })
}

/// Frees a list, its reports and every string borrowed from them. NULL is a no-op.
///
/// Takes ownership of `list`, which must not be used afterwards, nor any report obtained from
/// it with `si_report_list_get`.
#[no_mangle]
pub unsafe extern "C" fn si_report_list_free(list: *mut si_report_list) {
    ffi_boundary!({
        if !list.is_null() {
            drop(Box::from_raw(list));
        }
    })
}
