//! Runs the language-neutral scenario files in `tests/scenarios/*.json` (repository root)
//! through the C API: every typed step calls the `extern "C"` functions (`si_verification_session_*`,
//! `si_test_helpers_*`) with C strings and JSON text, reads the answer back with
//! `si_session_to_json` / `si_session_list_to_json`, and errors with the `si_error_*` accessors
//! and the returned `si_result`.
//!
//! The format, its checks and the comparisons are the shared runner's (`tests/scenario-runner`);
//! this file only carries out steps. Two steps cannot go through C, and use the core client on
//! the same simulator: `advance_clock` (a manual clock is set up in Rust: the C API has no clock)
//! and `raw` (the C API has no raw-request function; its errors still go through the C error
//! conversion). `SCENARIO=<text>` runs only the scenarios whose file or scenario name contains it.
//!
//! The crate has no rlib (it would collide with core's `libstripe_identity.rlib`), so the
//! binding's sources are included here as a module.

// Not every function is called here; the C tests (tests/test_api.c) cover them all.
#[allow(dead_code, unused_imports)]
#[path = "../src/lib.rs"]
mod c_api;

use c_api::*;
use identity::backend::Method;
use identity::engine::{ManualClock, Simulator};
use identity::{Client, Error};
use serde_json::Value;
use std::ffi::{c_char, CStr, CString};
use std::sync::Arc;
use stripe_identity_scenarios::{
    run_all, scenario_dir, Answer, Driver, Failure, Operation as Op, Options, Outcome, START,
};

/// The scenario files' name of a status's class (`ErrorKind::as_str`): checks that each API
/// error arrives in C with the status of its kind.
fn kind_of(status: si_result) -> &'static str {
    match status {
        si_result::SI_OK => "ok",
        si_result::SI_ERR_INVALID_ARGUMENT => "invalid_argument",
        si_result::SI_ERR_INVALID_TYPE => "invalid_type",
        si_result::SI_ERR_INVALID_REQUEST => "invalid_request",
        si_result::SI_ERR_AUTHENTICATION => "authentication",
        si_result::SI_ERR_PERMISSION => "permission",
        si_result::SI_ERR_RATE_LIMIT => "rate_limit",
        si_result::SI_ERR_IDEMPOTENCY => "idempotency",
        si_result::SI_ERR_CARD => "card",
        si_result::SI_ERR_API => "api",
        si_result::SI_ERR_API_CONNECTION => "api_connection",
        si_result::SI_ERR_DECODE => "decode",
        si_result::SI_ERR_SIGNATURE_VERIFICATION => "signature_verification",
        si_result::SI_ERR_INTERNAL => "internal",
    }
}

unsafe fn text(ptr: *const c_char) -> Option<String> {
    (!ptr.is_null()).then(|| CStr::from_ptr(ptr).to_string_lossy().into_owned())
}

/// Reads and frees an error handed out by the C API.
unsafe fn failure(status: si_result, err: *mut si_error) -> Box<Failure> {
    assert!(!err.is_null(), "status {status:?} came without an error");
    assert_eq!(si_error_status(err), status, "the error's status is the returned one");
    let http_status = si_error_http_status(err);
    let failure = Failure {
        kind: kind_of(status).to_string(),
        detail: Some(format!("status={status:?}")),
        http_status: (http_status != 0).then_some(http_status),
        error_type: text(si_error_type(err)),
        code: text(si_error_code(err)),
        param: text(si_error_param(err)),
        message: text(si_error_message(err)).expect("every error has a message"),
    };
    si_error_free(err);
    Box::new(failure)
}

/// Owned C strings for a call, kept alive until it returns.
struct CArgs {
    id: CString,
    params: CString,
    idempotency_key: Option<CString>,
    stripe_account: Option<CString>,
    stripe_version: Option<CString>,
}

fn c_string(s: &str) -> CString {
    CString::new(s).expect("scenario strings hold no NUL")
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

/// Runs a typed step through the C API.
fn call(client: *const si_client, op: Op, id: &str, params: Value, opts: &Options) -> Outcome {
    let args = CArgs {
        id: c_string(id),
        // NULL params when the step has none, as a C caller would pass.
        params: c_string(&params.to_string()),
        idempotency_key: opts.idempotency_key.as_deref().map(c_string),
        stripe_account: opts.stripe_account.as_deref().map(c_string),
        stripe_version: opts.stripe_version.as_deref().map(c_string),
    };
    let params_ptr = if params.is_null() { std::ptr::null() } else { args.params.as_ptr() };
    let c_opts = si_request_options {
        idempotency_key: opt_ptr(&args.idempotency_key),
        stripe_account: opt_ptr(&args.stripe_account),
        stripe_version: opt_ptr(&args.stripe_version),
    };
    let id = args.id.as_ptr();
    let mut session: *mut si_session = std::ptr::null_mut();
    let mut list: *mut si_session_list = std::ptr::null_mut();
    let mut report: *mut si_report = std::ptr::null_mut();
    let mut reports: *mut si_report_list = std::ptr::null_mut();
    let mut event: *mut si_event = std::ptr::null_mut();
    let mut events: *mut si_event_page = std::ptr::null_mut();
    let mut err: *mut si_error = std::ptr::null_mut();
    let (s, e) = (&mut session as *mut _, &mut err as *mut _);
    let status = unsafe {
        match op {
            Op::Create => si_verification_session_create(client, params_ptr, &c_opts, s, e),
            Op::Retrieve => si_verification_session_retrieve(client, id, params_ptr, &c_opts, s, e),
            Op::Update => si_verification_session_update(client, id, params_ptr, &c_opts, s, e),
            Op::List => si_verification_session_list(client, params_ptr, &c_opts, &mut list, e),
            Op::Cancel => si_verification_session_cancel(client, id, params_ptr, &c_opts, s, e),
            Op::Redact => si_verification_session_redact(client, id, params_ptr, &c_opts, s, e),
            Op::Submit => si_test_helpers_submit(client, id, s, e),
            Op::Verify => si_test_helpers_verify(client, id, s, e),
            Op::Fail => {
                let field = |k: &str| params.get(k).and_then(Value::as_str).map(c_string);
                let (code, reason) = (field("code"), field("reason"));
                si_test_helpers_fail(client, id, opt_ptr(&code), opt_ptr(&reason), s, e)
            }
            Op::CompleteRedaction => si_test_helpers_complete_redaction(client, id, s, e),
            Op::RetrieveReport => {
                si_verification_report_retrieve(client, id, params_ptr, &c_opts, &mut report, e)
            }
            Op::ListReports => si_verification_report_list(client, params_ptr, &c_opts, &mut reports, e),
            Op::RetrieveEvent => si_event_retrieve(client, id, params_ptr, &c_opts, &mut event, e),
            Op::ListEvents => si_event_list(client, params_ptr, &c_opts, &mut events, e),
            // No shared scenario uses webhook endpoints (tests/test_api.c covers them).
            Op::CreateWebhookEndpoint
            | Op::RetrieveWebhookEndpoint
            | Op::UpdateWebhookEndpoint
            | Op::ListWebhookEndpoints
            | Op::DeleteWebhookEndpoint => panic!("{op:?} has no scenario step in C"),
        }
    };
    if status != si_result::SI_OK {
        assert!(
            session.is_null()
                && list.is_null()
                && report.is_null()
                && reports.is_null()
                && event.is_null()
                && events.is_null(),
            "a failed call wrote its out-parameter"
        );
        return Err(unsafe { failure(status, err) });
    }
    assert!(err.is_null(), "a successful call wrote an error");
    let json = unsafe {
        let raw = match op {
            Op::List => si_session_list_to_json(list),
            Op::RetrieveReport => si_report_to_json(report),
            Op::ListReports => si_report_list_to_json(reports),
            Op::RetrieveEvent => si_event_to_json(event),
            Op::ListEvents => si_event_page_to_json(events),
            _ => si_session_to_json(session),
        };
        let json = CStr::from_ptr(raw).to_str().expect("UTF-8").to_string();
        si_string_free(raw);
        si_session_free(session);
        si_session_list_free(list);
        si_report_free(report);
        si_report_list_free(reports);
        si_event_free(event);
        si_event_page_free(events);
        json
    };
    let body = serde_json::from_str(&json).expect("_to_json gives JSON");
    Ok(Answer { body, headers: Vec::new() })
}

/// A `raw` step, on the core client of the same simulator (C has no raw request); an error
/// still goes through the C API's conversion.
fn send_raw(client: &Client, method: &str, path: &str, body: String, opts: &Options) -> Outcome {
    let opts = identity::RequestOptions {
        idempotency_key: opts.idempotency_key.clone(),
        stripe_account: opts.stripe_account.clone(),
        stripe_version: opts.stripe_version.clone(),
    };
    let method = Method::parse(method).expect("checked when the file was loaded");
    let to_failure = |e: Error| {
        let err: Box<si_error> = e.into();
        let status = unsafe { si_error_status(&*err) };
        unsafe { failure(status, Box::into_raw(err)) }
    };
    let response = client.send(method, path, body, &opts).map_err(to_failure)?;
    let body = serde_json::from_slice(&response.body).map_err(|e| {
        to_failure(Error::Decode {
            message: format!("the answer is not JSON: {e}"),
            status: response.status,
            request_id: None,
        })
    })?;
    Ok(Answer { body, headers: response.headers })
}

/// A fresh simulator with a manual clock, reached through a C handle (and, for `raw` and the
/// clock, the core client that shares it).
struct CDriver {
    handle: *mut si_client,
    client: Client,
    clock: ManualClock,
}

impl CDriver {
    fn new() -> CDriver {
        let clock = ManualClock::new(START).expect("a valid start");
        let client = Client::local_with(Arc::new(Simulator::with_clock(Arc::new(clock.clone()))));
        let handle = si_client::from_core(client.clone());
        CDriver { handle, client, clock }
    }
}

impl Drop for CDriver {
    fn drop(&mut self) {
        unsafe { si_client_free(self.handle) };
    }
}

impl Driver for CDriver {
    fn call(&mut self, op: Op, id: &str, params: Value, options: &Options) -> Outcome {
        call(self.handle, op, id, params, options)
    }

    fn raw(&mut self, method: &str, path: &str, body: String, options: &Options) -> Outcome {
        send_raw(&self.client, method, path, body, options)
    }

    fn advance_clock(&mut self, seconds: i64) {
        self.clock.advance(seconds).expect("a valid step");
    }
}

#[test]
fn scenarios() {
    let summary = run_all(&scenario_dir(), CDriver::new);
    assert!(summary.scenarios > 0 && summary.steps >= summary.scenarios, "{summary:?}");
}
