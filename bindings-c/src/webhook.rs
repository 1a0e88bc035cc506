//! Webhooks in C: `si_webhook_construct_event` verifies a `Stripe-Signature` header and reads
//! the event, `si_webhook_sign` makes a header for tests, and `si_client_on_event` hands each
//! new event of a local client to a C callback. The checks are core's (`Webhook`).

use super::client::si_client;
use super::cstr::cstring;
use super::errors::{si_error, si_result};
use super::event::si_event;
use super::ffi::{arg_ref, arg_str, check_out, write_out};
use identity::{Error, Webhook};
use std::ffi::{c_char, c_void, CStr};

/// The tolerance both official SDKs use by default: a signature older than 300 seconds is
/// refused.
pub const SI_WEBHOOK_DEFAULT_TOLERANCE: i64 = 300;

/// `payload_len` bytes at `payload` (NULL is allowed when the length is 0).
unsafe fn bytes<'a>(payload: *const u8, payload_len: usize) -> Result<&'a [u8], Box<si_error>> {
    if payload.is_null() {
        return match payload_len {
            0 => Ok(&[]),
            _ => Err(si_error::invalid_argument("payload", "payload must not be NULL")),
        };
    }
    Ok(std::slice::from_raw_parts(payload, payload_len))
}

/// Verifies a webhook and reads its event, as stripe-node's `webhooks.constructEvent` does.
///
/// `payload` is the raw request body, `payload_len` bytes (not NUL-terminated, unchanged: a
/// re-serialized body does not verify); `header` is the `Stripe-Signature` header and `secret`
/// the endpoint's `whsec_...` secret, both NUL-terminated. `tolerance_s` is how old, in
/// seconds, the signature may be (`SI_WEBHOOK_DEFAULT_TOLERANCE` = 300); 0 turns the age check
/// off; a negative value is `SI_ERR_INVALID_ARGUMENT`. Everything is borrowed for the call.
///
/// A header that does not verify (missing or garbled, no `v1` signature, no matching
/// signature, too old, not UTF-8, a payload that is not UTF-8) is `SI_ERR_SIGNATURE_VERIFICATION`
/// with the SDKs' message; a verified payload that is not an event is
/// `SI_ERR_INVALID_ARGUMENT` naming `payload`.
///
/// On `SI_OK`, `*event_out` is a new event that the caller owns: free it with `si_event_free`.
/// On failure, if `err_out` is not NULL, `*err_out` is an error that the caller owns: free it
/// with `si_error_free`. `header`, `secret` and `event_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_webhook_construct_event(
    payload: *const u8,
    payload_len: usize,
    header: *const c_char,
    secret: *const c_char,
    tolerance_s: i64,
    event_out: *mut *mut si_event,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        check_out(event_out, "event_out")?;
        let payload = bytes(payload, payload_len)?;
        let secret = arg_str(secret, "secret")?;
        if header.is_null() {
            return Err(si_error::invalid_argument("header", "header must not be NULL"));
        }
        // The header comes from the network: text that is not UTF-8 is a signature that does
        // not verify, not a programming error.
        let header = CStr::from_ptr(header).to_str().map_err(|_| {
            Box::<si_error>::from(Error::SignatureVerification {
                message: "Unable to extract timestamp and signatures from header (not UTF-8)".into(),
                sig_header: String::from_utf8_lossy(CStr::from_ptr(header).to_bytes()).into_owned(),
            })
        })?;
        let tolerance = u64::try_from(tolerance_s)
            .map_err(|_| si_error::invalid_argument("tolerance_s", "tolerance_s must not be negative"))?;
        let event = Webhook::construct_event_value(payload, header, secret, Some(tolerance))?;
        write_out(event_out, Box::new(si_event::new(event)));
        Ok(())
    })
}

/// The `Stripe-Signature` header for `payload` (`payload_len` bytes) signed with `secret` at
/// `timestamp` (unix seconds; 0 for now): `t=<timestamp>,v1=<hex>`, as stripe-node's
/// `generateTestHeaderString` makes it, for testing a handler. A negative timestamp is
/// `SI_ERR_INVALID_ARGUMENT`. `payload` and `secret` are borrowed for the call.
///
/// On `SI_OK`, `*header_out` is a new string that the caller owns: free it with
/// `si_string_free`. On failure, if `err_out` is not NULL, `*err_out` is an error that the
/// caller owns: free it with `si_error_free`. `secret` and `header_out` must not be NULL.
#[no_mangle]
pub unsafe extern "C" fn si_webhook_sign(
    payload: *const u8,
    payload_len: usize,
    secret: *const c_char,
    timestamp: i64,
    header_out: *mut *mut c_char,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        if header_out.is_null() {
            return Err(si_error::invalid_argument("header_out", "header_out must not be NULL"));
        }
        let payload = bytes(payload, payload_len)?;
        let secret = arg_str(secret, "secret")?;
        if timestamp < 0 {
            return Err(si_error::invalid_argument("timestamp", "timestamp must not be negative"));
        }
        let header = Webhook::sign(payload, secret, (timestamp > 0).then_some(timestamp));
        *header_out = cstring(&header).into_raw();
        Ok(())
    })
}

/// Called with each new event of a local client: the event (borrowed for the call only; copy
/// what you keep, never free it) and the `user_data` given to `si_client_on_event`.
pub type si_event_callback = Option<unsafe extern "C" fn(event: *const si_event, user_data: *mut c_void)>;

/// `user_data` as the callback's closure holds it. The caller of `si_client_on_event` promises
/// (its documented contract) that the pointer may be used from any thread that makes requests.
struct UserData(*mut c_void);
// SAFETY: see above; the library never dereferences the pointer, only hands it back.
unsafe impl Send for UserData {}
unsafe impl Sync for UserData {}

impl UserData {
    // A method, so that closures capture the whole (Send) wrapper, not its raw field.
    fn get(&self) -> *mut c_void {
        self.0
    }
}

/// Calls `callback` with every event the local simulator of `client` records from now on, so a
/// webhook handler can be tested without HTTP. It runs on the thread that made the request,
/// after the request's change is committed and before that call returns, outside the
/// simulator's lock (it may use the client). It stays registered as long as the simulator
/// lives (every handle on it); `user_data` must stay valid, and be safe to use from every
/// thread that makes requests, for that long. `callback` must not unwind (C++ exceptions).
///
/// An HTTP client has no simulator: `SI_ERR_INVALID_ARGUMENT` (list events instead).
/// `client` and `callback` must not be NULL. On failure, if `err_out` is not NULL, `*err_out`
/// is an error that the caller owns: free it with `si_error_free`.
#[no_mangle]
pub unsafe extern "C" fn si_client_on_event(
    client: *const si_client,
    callback: si_event_callback,
    user_data: *mut c_void,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        let client = arg_ref(client, "client")?;
        let callback =
            callback.ok_or_else(|| si_error::invalid_argument("callback", "callback must not be NULL"))?;
        let user_data = UserData(user_data);
        client.client.on_event(move |event| {
            let json = serde_json::to_value(event).unwrap_or_default();
            let handle = si_event::new(json);
            // SAFETY: the handle lives across the call; the contract above covers user_data.
            unsafe { callback(&handle, user_data.get()) };
        })?;
        Ok(())
    })
}
