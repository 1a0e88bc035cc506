//! The six VerificationSession operations, the simulator controls and the two
//! VerificationReport operations. Each checks its C arguments, hands JSON to core's
//! `call_json`, and wraps the answer in a handle.

use super::client::{request_options, si_client, si_request_options};
use super::errors::{si_error, si_result};
use super::ffi::{arg_json, arg_ref, arg_str, check_out, opt_str, write_out};
use super::report::{si_report, si_report_list};
use super::session::{si_session, si_session_list};
use identity::client::Operation;
use identity::RequestOptions;
use serde_json::Value;
use std::ffi::c_char;

/// The common body of every operation on one session: arguments are all checked (out-params
/// first, so a call that cannot return its result does nothing) before core is called, and
/// `session_out` is written only on success.
unsafe fn session_call(
    op: Operation,
    client: *const si_client,
    id: *const c_char,
    params: impl FnOnce() -> Result<Value, Box<si_error>>,
    opts: impl FnOnce() -> Result<RequestOptions, Box<si_error>>,
    session_out: *mut *mut si_session,
) -> Result<(), Box<si_error>> {
    check_out(session_out, "session_out")?;
    let client = arg_ref(client, "client")?;
    let id = if op.takes_id() { Some(arg_str(id, "id")?) } else { None };
    let params = params()?;
    let opts = opts()?;
    let answer = client.client.call_json(op, id, params, &opts)?;
    write_out(session_out, Box::new(si_session::new(answer)));
    Ok(())
}

/// Creates a VerificationSession (`POST /v1/identity/verification_sessions`).
///
/// `params_json` is a JSON object of the API's parameters (`{"type": "document", "metadata":
/// {"order": "42"}}`), or NULL for none. `opts` may be NULL. Everything passed in is borrowed
/// for the call.
///
/// On `SI_OK`, `*session_out` is a new session that the caller owns: free it with
/// `si_session_free`. On failure, if `err_out` is not NULL, `*err_out` is an error that the
/// caller owns: free it with `si_error_free`. `client` and `session_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_verification_session_create(
    client: *const si_client,
    params_json: *const c_char,
    opts: *const si_request_options,
    session_out: *mut *mut si_session,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        session_call(
            Operation::Create,
            client,
            std::ptr::null(),
            || arg_json(params_json, "params_json"),
            || request_options(opts),
            session_out,
        )
    })
}

/// Retrieves a VerificationSession (`GET /v1/identity/verification_sessions/:id`).
///
/// `id` is the session's id. `params_json` may be NULL or `{"expand": ["verified_outputs"]}`.
/// `opts` may be NULL. Everything passed in is borrowed for the call.
///
/// On `SI_OK`, `*session_out` is a new session that the caller owns: free it with
/// `si_session_free`. On failure, if `err_out` is not NULL, `*err_out` is an error that the
/// caller owns: free it with `si_error_free`. `client`, `id` and `session_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_verification_session_retrieve(
    client: *const si_client,
    id: *const c_char,
    params_json: *const c_char,
    opts: *const si_request_options,
    session_out: *mut *mut si_session,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        session_call(
            Operation::Retrieve,
            client,
            id,
            || arg_json(params_json, "params_json"),
            || request_options(opts),
            session_out,
        )
    })
}

/// Updates a VerificationSession (`POST /v1/identity/verification_sessions/:id`); only while it
/// awaits input.
///
/// `params_json` is a JSON object of the API's parameters (`{"metadata": {"order": ""}}`), or
/// NULL for none. `opts` may be NULL. Everything passed in is borrowed for the call.
///
/// On `SI_OK`, `*session_out` is a new session that the caller owns: free it with
/// `si_session_free`. On failure, if `err_out` is not NULL, `*err_out` is an error that the
/// caller owns: free it with `si_error_free`. `client`, `id` and `session_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_verification_session_update(
    client: *const si_client,
    id: *const c_char,
    params_json: *const c_char,
    opts: *const si_request_options,
    session_out: *mut *mut si_session,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        session_call(
            Operation::Update,
            client,
            id,
            || arg_json(params_json, "params_json"),
            || request_options(opts),
            session_out,
        )
    })
}

/// Cancels a VerificationSession (`POST /v1/identity/verification_sessions/:id/cancel`); only
/// while it awaits input.
///
/// `params_json` may be NULL or `{"expand": [...]}`. `opts` may be NULL. Everything passed in
/// is borrowed for the call.
///
/// On `SI_OK`, `*session_out` is a new session that the caller owns: free it with
/// `si_session_free`. On failure, if `err_out` is not NULL, `*err_out` is an error that the
/// caller owns: free it with `si_error_free`. `client`, `id` and `session_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_verification_session_cancel(
    client: *const si_client,
    id: *const c_char,
    params_json: *const c_char,
    opts: *const si_request_options,
    session_out: *mut *mut si_session,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        session_call(
            Operation::Cancel,
            client,
            id,
            || arg_json(params_json, "params_json"),
            || request_options(opts),
            session_out,
        )
    })
}

/// Redacts a VerificationSession (`POST /v1/identity/verification_sessions/:id/redact`): its
/// personal data becomes `[redacted]` once `redaction.status` is `"redacted"`.
///
/// `params_json` may be NULL or `{"expand": [...]}`. `opts` may be NULL. Everything passed in
/// is borrowed for the call.
///
/// On `SI_OK`, `*session_out` is a new session that the caller owns: free it with
/// `si_session_free`. On failure, if `err_out` is not NULL, `*err_out` is an error that the
/// caller owns: free it with `si_error_free`. `client`, `id` and `session_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_verification_session_redact(
    client: *const si_client,
    id: *const c_char,
    params_json: *const c_char,
    opts: *const si_request_options,
    session_out: *mut *mut si_session,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        session_call(
            Operation::Redact,
            client,
            id,
            || arg_json(params_json, "params_json"),
            || request_options(opts),
            session_out,
        )
    })
}

/// Lists VerificationSessions, newest first (`GET /v1/identity/verification_sessions`): one
/// page.
///
/// `params_json` may be NULL or a JSON object of the API's list parameters (`{"limit": 3,
/// "status": "requires_input", "created": {"gte": 1700000000}, "starting_after": "vs_..."}`).
/// `opts` may be NULL. Everything passed in is borrowed for the call.
///
/// On `SI_OK`, `*list_out` is a new list that the caller owns: free it with
/// `si_session_list_free`. On failure, if `err_out` is not NULL, `*err_out` is an error that the
/// caller owns: free it with `si_error_free`. `client` and `list_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_verification_session_list(
    client: *const si_client,
    params_json: *const c_char,
    opts: *const si_request_options,
    list_out: *mut *mut si_session_list,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        check_out(list_out, "list_out")?;
        let client = arg_ref(client, "client")?;
        let params = arg_json(params_json, "params_json")?;
        let opts = request_options(opts)?;
        let page = client.client.call_json(Operation::List, None, params, &opts)?;
        write_out(list_out, Box::new(si_session_list::new(page)));
        Ok(())
    })
}

/// Simulator control: `requires_input` → `processing`, as when the user submits the hosted
/// flow. Works on a local client and against identity-mock; the real API refuses it.
///
/// `id` is borrowed for the call. On `SI_OK`, `*session_out` is the session after the step, a
/// new session that the caller owns: free it with `si_session_free`. On failure, if `err_out`
/// is not NULL, `*err_out` is an error that the caller owns: free it with `si_error_free`.
/// `client`, `id` and `session_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_test_helpers_submit(
    client: *const si_client,
    id: *const c_char,
    session_out: *mut *mut si_session,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        session_call(
            Operation::Submit,
            client,
            id,
            || Ok(Value::Null),
            || Ok(Default::default()),
            session_out,
        )
    })
}

/// Simulator control: `processing` → `verified`, with a VerificationReport and the verified
/// outputs.
///
/// `id` is borrowed for the call. On `SI_OK`, `*session_out` is the session after the step, a
/// new session that the caller owns: free it with `si_session_free`. On failure, if `err_out`
/// is not NULL, `*err_out` is an error that the caller owns: free it with `si_error_free`.
/// `client`, `id` and `session_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_test_helpers_verify(
    client: *const si_client,
    id: *const c_char,
    session_out: *mut *mut si_session,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        session_call(
            Operation::Verify,
            client,
            id,
            || Ok(Value::Null),
            || Ok(Default::default()),
            session_out,
        )
    })
}

/// Simulator control: `processing` → `requires_input` with `last_error` set to `code` (one of
/// the API's `last_error.code` values, e.g. `"document_expired"`) and `reason` (NULL for the
/// default text).
///
/// `id`, `code` and `reason` are borrowed for the call. On `SI_OK`, `*session_out` is the
/// session after the step, a new session that the caller owns: free it with `si_session_free`.
/// On failure, if `err_out` is not NULL, `*err_out` is an error that the caller owns: free it
/// with `si_error_free`. `client`, `id`, `code` and `session_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_test_helpers_fail(
    client: *const si_client,
    id: *const c_char,
    code: *const c_char,
    reason: *const c_char,
    session_out: *mut *mut si_session,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        let params = || {
            let mut params = serde_json::Map::new();
            params.insert("code".into(), arg_str(code, "code")?.into());
            if let Some(reason) = opt_str(reason, "reason")? {
                params.insert("reason".into(), reason.into());
            }
            Ok(Value::Object(params))
        };
        session_call(Operation::Fail, client, id, params, || Ok(Default::default()), session_out)
    })
}

/// Simulator control: `redaction.status` `processing` → `redacted`, after
/// `si_verification_session_redact`.
///
/// `id` is borrowed for the call. On `SI_OK`, `*session_out` is the session after the step, a
/// new session that the caller owns: free it with `si_session_free`. On failure, if `err_out`
/// is not NULL, `*err_out` is an error that the caller owns: free it with `si_error_free`.
/// `client`, `id` and `session_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_test_helpers_complete_redaction(
    client: *const si_client,
    id: *const c_char,
    session_out: *mut *mut si_session,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        session_call(
            Operation::CompleteRedaction,
            client,
            id,
            || Ok(Value::Null),
            || Ok(Default::default()),
            session_out,
        )
    })
}

/// Retrieves a VerificationReport (`GET /v1/identity/verification_reports/:id`).
///
/// `id` is the report's id. `params_json` may be NULL or `{"expand": ["document.dob"]}`.
/// `opts` may be NULL. Everything passed in is borrowed for the call.
///
/// On `SI_OK`, `*report_out` is a new report that the caller owns: free it with
/// `si_report_free`. On failure, if `err_out` is not NULL, `*err_out` is an error that the
/// caller owns: free it with `si_error_free`. `client`, `id` and `report_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_verification_report_retrieve(
    client: *const si_client,
    id: *const c_char,
    params_json: *const c_char,
    opts: *const si_request_options,
    report_out: *mut *mut si_report,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        check_out(report_out, "report_out")?;
        let client = arg_ref(client, "client")?;
        let id = arg_str(id, "id")?;
        let params = arg_json(params_json, "params_json")?;
        let opts = request_options(opts)?;
        let answer = client.client.call_json(Operation::RetrieveReport, Some(id), params, &opts)?;
        write_out(report_out, Box::new(si_report::new(answer)));
        Ok(())
    })
}

/// Lists VerificationReports, newest first (`GET /v1/identity/verification_reports`).
///
/// `params_json` may be NULL or hold the API's filters and cursors
/// (`{"verification_session": "vs_...", "type": "document", "limit": 10}`). `opts` may be
/// NULL. Everything passed in is borrowed for the call.
///
/// On `SI_OK`, `*list_out` is a new page that the caller owns: free it with
/// `si_report_list_free`. On failure, if `err_out` is not NULL, `*err_out` is an error that the
/// caller owns: free it with `si_error_free`. `client` and `list_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_verification_report_list(
    client: *const si_client,
    params_json: *const c_char,
    opts: *const si_request_options,
    list_out: *mut *mut si_report_list,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        check_out(list_out, "list_out")?;
        let client = arg_ref(client, "client")?;
        let params = arg_json(params_json, "params_json")?;
        let opts = request_options(opts)?;
        let page = client.client.call_json(Operation::ListReports, None, params, &opts)?;
        write_out(list_out, Box::new(si_report_list::new(page)));
        Ok(())
    })
}
