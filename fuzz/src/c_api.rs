//! `c_api`: the C library's entry points that take JSON and strings (`bindings-c/src`), called
//! as a C program calls them, with any bytes: ids and parameters that are not UTF-8, not JSON,
//! cut short by a NUL. Input: a call script ([`crate::script`]); `fail` takes its `code` and
//! `reason` from the parameters' JSON, or the raw bytes as the code when they are not JSON.
//!
//! Every handle that comes back is read through every accessor and freed, so AddressSanitizer
//! sees any use after free, and LeakSanitizer any handle or string the library loses.
//!
//! Checked beyond "no crash": the conventions of `bindings-c/README.md`. `SI_OK` writes the
//! out-parameter and no error; a failure writes an error of the same status and no handle; a
//! local client fails only with `SI_ERR_INVALID_ARGUMENT`, `_INVALID_TYPE`, `_INVALID_REQUEST`
//! or `_IDEMPOTENCY` (never `SI_ERR_INTERNAL`, a caught panic); a session's JSON is an object
//! whose id is `si_session_id`.

// The binding's sources, compiled in: the crate has no rlib to link against (see
// bindings-c/Cargo.toml). Not every function is called here.
#[allow(dead_code, unused_imports, clippy::all)]
#[path = "../../bindings-c/src/lib.rs"]
mod binding;

use crate::script::{self, Call, Line};
use binding::*;
use identity::engine::{Clock, ManualClock, Simulator};
use identity::Client;
use serde_json::Value;
use std::ffi::{c_char, CStr, CString};
use std::ptr::{null, null_mut};
use std::sync::Arc;

/// Bytes as a C string: cut at the first NUL, as C would read them.
fn c_string(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).expect("no NUL before the end")
}

fn ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(null(), |s| s.as_ptr())
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let clock = ManualClock::new(crate::START).expect("a time in range");
    let core = Client::local_with(Arc::new(Simulator::with_clock(Arc::new(clock.clone()))));
    let client = si_client::from_core(core);
    let mut created = Vec::new();
    for line in script::parse(data) {
        match line {
            Line::Advance(seconds) => {
                // Refused past the year 9999, which many steps can reach; the time stays.
                let _ = clock.advance(seconds);
            }
            Line::NewClient { key, base_url } => unsafe { new_client(key, base_url) },
            Line::Call(call) => {
                if let Some(id) = unsafe { one_call(client, &call, &created, clock.now()) } {
                    created.push(id);
                }
            }
        }
    }
    unsafe { si_client_free(client) };
}

/// Makes an HTTP client and frees it: nothing is sent.
unsafe fn new_client(key: &[u8], base_url: &[u8]) {
    let key = c_string(key);
    let url = c_string(base_url);
    let options = si_client_options { base_url: url.as_ptr(), ..SI_CLIENT_OPTIONS_INIT };
    let mut client: *mut si_client = null_mut();
    let mut err: *mut si_error = null_mut();
    let status = si_client_new(key.as_ptr(), &options, &mut client, &mut err);
    match status {
        si_result::SI_OK => assert!(!client.is_null() && err.is_null()),
        si_result::SI_ERR_INVALID_ARGUMENT | si_result::SI_ERR_INVALID_TYPE => {
            assert!(client.is_null(), "a failed constructor wrote a client");
            read_error(status, err);
        }
        other => panic!("si_client_new gave {other:?}"),
    }
    si_client_free(client);
}

/// Makes one call; gives the new session's id after a create.
unsafe fn one_call(
    client: *const si_client,
    call: &Call<'_>,
    created: &[String],
    now: i64,
) -> Option<String> {
    let id = call.id.resolve(created).map(|b| c_string(&b));
    let params = call.params.map(|p| c_string(&script::substitute(p, created)));
    let opts = call.options.map(|parts| parts.map(|p| p.map(c_string)));
    let c_opts = opts.as_ref().map(|[key, account, version]| si_request_options {
        idempotency_key: ptr(key),
        stripe_account: ptr(account),
        stripe_version: ptr(version),
    });
    let opts_ptr = c_opts.as_ref().map_or(null(), |o| o as *const _);
    let (id_ptr, params_ptr) = (ptr(&id), ptr(&params));
    let mut session: *mut si_session = null_mut();
    let mut err: *mut si_error = null_mut();
    let (s, e) = (&mut session as *mut _, &mut err as *mut _);
    let status = match call.op {
        b"create" => si_verification_session_create(client, params_ptr, opts_ptr, s, e),
        b"retrieve" => si_verification_session_retrieve(client, id_ptr, params_ptr, opts_ptr, s, e),
        b"update" => si_verification_session_update(client, id_ptr, params_ptr, opts_ptr, s, e),
        b"cancel" => si_verification_session_cancel(client, id_ptr, params_ptr, opts_ptr, s, e),
        b"redact" => si_verification_session_redact(client, id_ptr, params_ptr, opts_ptr, s, e),
        b"submit" => si_test_helpers_submit(client, id_ptr, s, e),
        b"verify" => si_test_helpers_verify(client, id_ptr, s, e),
        b"complete_redaction" => si_test_helpers_complete_redaction(client, id_ptr, s, e),
        b"fail" => {
            let (code, reason) =
                fail_arguments(&script::substitute(call.params.unwrap_or_default(), created));
            si_test_helpers_fail(client, id_ptr, ptr(&code), ptr(&reason), s, e)
        }
        b"list" => {
            list(client, params_ptr, opts_ptr, now);
            return None;
        }
        _ => return None,
    };
    if status != si_result::SI_OK {
        assert!(session.is_null(), "a failed call wrote a session ({status:?})");
        read_error(status, err);
        return None;
    }
    assert!(!session.is_null() && err.is_null(), "SI_OK without a session, or with an error");
    let id = read_session(session, now);
    si_session_free(session);
    (call.op == b"create").then_some(id)
}

/// `fail`'s code and reason: from a JSON object's strings, or the raw bytes as the code.
fn fail_arguments(params: &[u8]) -> (Option<CString>, Option<CString>) {
    match serde_json::from_slice::<Value>(params) {
        Ok(Value::Object(o)) => {
            let text = |k: &str| o.get(k).and_then(Value::as_str).map(|s| c_string(s.as_bytes()));
            (text("code"), text("reason"))
        }
        _ => (Some(c_string(params)), None),
    }
}

unsafe fn list(client: *const si_client, params: *const c_char, opts: *const si_request_options, now: i64) {
    let mut list: *mut si_session_list = null_mut();
    let mut err: *mut si_error = null_mut();
    let status = si_verification_session_list(client, params, opts, &mut list, &mut err);
    if status != si_result::SI_OK {
        assert!(list.is_null(), "a failed list wrote a list ({status:?})");
        read_error(status, err);
        return;
    }
    assert!(!list.is_null() && err.is_null(), "SI_OK without a list, or with an error");
    let len = si_session_list_len(list);
    for i in 0..len {
        let session = si_session_list_get(list, i);
        assert!(!session.is_null(), "item {i} of {len} is NULL");
        read_session(session, now);
    }
    assert!(si_session_list_get(list, len).is_null(), "an item past the end");
    let _ = si_session_list_has_more(list);
    assert_eq!(text(si_session_list_url(list)).as_deref(), Some(identity::engine::COLLECTION));
    let json = owned_json(si_session_list_to_json(list));
    assert_eq!(json["data"].as_array().map(Vec::len), Some(len), "{json}");
    si_session_list_free(list);
}

/// Reads every accessor of a session and checks its JSON (`engine::check_session`); gives its id.
unsafe fn read_session(session: *const si_session, now: i64) -> String {
    let id = text(si_session_id(session)).expect("a session has an id");
    assert!(id.starts_with("vs_"), "id {id:?}");
    assert_eq!(text(si_session_object(session)).as_deref(), Some("identity.verification_session"));
    assert!(text(si_session_status(session)).is_some(), "a session has a status");
    for accessor in [
        si_session_type,
        si_session_client_secret,
        si_session_url,
        si_session_client_reference_id,
        si_session_last_verification_report,
        si_session_related_customer,
        si_session_related_customer_account,
        si_session_verification_flow,
        si_session_redaction_status,
        si_session_last_error_code,
        si_session_last_error_reason,
    ] {
        let _ = text(accessor(session));
    }
    let _ = (si_session_created(session), si_session_livemode(session));
    let json = owned_json(si_session_to_json(session));
    assert_eq!(json["id"].as_str(), Some(id.as_str()), "{json}");
    assert_eq!(text(si_session_status(session)).as_deref(), json["status"].as_str(), "{json}");
    crate::engine::check_session(&json, now, &|| id.clone());
    id
}

/// Checks an error against the status it came with, reads it and frees it.
unsafe fn read_error(status: si_result, err: *mut si_error) {
    assert!(!err.is_null(), "{status:?} without an error");
    assert_eq!(si_error_status(err), status);
    let message = text(si_error_message(err)).unwrap_or_default();
    assert!(!message.is_empty(), "{status:?} without a message");
    assert!(
        matches!(
            status,
            si_result::SI_ERR_INVALID_ARGUMENT
                | si_result::SI_ERR_INVALID_TYPE
                | si_result::SI_ERR_INVALID_REQUEST
                | si_result::SI_ERR_IDEMPOTENCY
        ),
        "a local call failed with {status:?}: {message}"
    );
    for accessor in [si_error_type, si_error_code, si_error_param, si_error_doc_url, si_error_request_id] {
        let _ = text(accessor(err));
    }
    let body = text(si_error_json_body(err));
    if matches!(status, si_result::SI_ERR_INVALID_ARGUMENT | si_result::SI_ERR_INVALID_TYPE) {
        assert_eq!(si_error_http_status(err), 0, "{message}");
    } else {
        let body: Value = serde_json::from_str(&body.expect("an API error has its body")).expect("JSON");
        assert!(body["error"]["type"].is_string(), "{body}");
        assert!(matches!(si_error_http_status(err), 400 | 404));
    }
    si_error_free(err);
}

unsafe fn text(p: *const c_char) -> Option<String> {
    (!p.is_null()).then(|| CStr::from_ptr(p).to_str().expect("the library hands out UTF-8").to_string())
}

/// Parses and frees a string the library handed over.
unsafe fn owned_json(p: *mut c_char) -> Value {
    assert!(!p.is_null(), "no JSON");
    let json = serde_json::from_str(CStr::from_ptr(p).to_str().expect("UTF-8")).expect("JSON");
    si_string_free(p);
    json
}
