//! `si_client` (local or HTTP), its options, and the per-request options.

use super::errors::{si_error, si_result};
use super::ffi::{arg_str, check_out, opt_str, write_out};
use identity::{Client, RequestOptions};
use std::ffi::c_char;

/// A client: the embedded simulator or the Stripe API over HTTP (any base URL). Opaque; made by
/// `si_client_new_local` or `si_client_new`, freed by `si_client_free`.
///
/// Thread-safe: one client may be used by any number of threads at once (free it only once all
/// of them are done).
#[derive(Debug)]
pub struct si_client {
    // Core's Client is an Arc of Send + Sync parts; the handle owns one reference.
    pub(crate) client: Client,
}

// A handle shared by threads must be both: checked at compile time.
const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<si_client>()
};

impl si_client {
    /// Wraps a core client as a handle for C: for Rust code (tests) that sets up a client the C
    /// API cannot make, such as a simulator on a manual clock.
    #[doc(hidden)]
    pub fn from_core(client: Client) -> *mut si_client {
        Box::into_raw(Box::new(si_client { client }))
    }
}

/// Settings of an HTTP client. Every field has a "default" value: start from
/// `SI_CLIENT_OPTIONS_INIT` (or set each field) and change what you need.
///
/// The strings are borrowed for the duration of the `si_client_new` call only.
///
/// The struct grows at its end only. `si_client_new` is a macro that passes
/// `sizeof(si_client_options)` to `si_client_new_with_size`, so the library knows which fields
/// a program was compiled with; a program built against an older header calls the
/// `si_client_new` function, which reads the fields of version 0.1 only (up to
/// `stripe_account`). See bindings-c/README.md, "ABI".
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct si_client_options {
    /// Base URL, `http(s)://host[:port]`, e.g. an identity-mock at `"http://127.0.0.1:12111"`;
    /// NULL for `https://api.stripe.com`.
    pub base_url: *const c_char,
    /// Retries of a request that failed on the network, timed out or got 409/5xx; negative for
    /// the default (2), 0 for none.
    pub max_network_retries: i32,
    /// Timeout of one attempt in milliseconds, answer included; 0 for the default (80 s).
    pub timeout_ms: u64,
    /// `Stripe-Version` of every request; NULL for the version this library speaks.
    pub stripe_version: *const c_char,
    /// `Stripe-Account` of every request (a connected account); NULL for none.
    pub stripe_account: *const c_char,
    /// Path of a PEM file of the certificate authorities to trust for HTTPS instead of the
    /// bundled Mozilla roots (a corporate proxy's CA, or a test CA); NULL for the Mozilla roots.
    /// `SSL_CERT_FILE` is not read. Since 0.2 (`si_client_new_with_size`).
    pub ca_bundle_path: *const c_char,
}

/// The size of `si_client_options` in version 0.1, before `ca_bundle_path`: all that
/// `si_client_new` (the function) reads.
const OPTIONS_V0_1_SIZE: usize = std::mem::offset_of!(si_client_options, ca_bundle_path);

/// An `si_client_options` with every field at its default: `si_client_options o =
/// SI_CLIENT_OPTIONS_INIT;` then set what you need.
// `0 as *const` rather than `ptr::null()`: cbindgen writes it into the header as a C constant.
#[allow(clippy::zero_ptr)]
pub const SI_CLIENT_OPTIONS_INIT: si_client_options = si_client_options {
    base_url: 0 as *const c_char,
    max_network_retries: -1,
    timeout_ms: 0,
    stripe_version: 0 as *const c_char,
    stripe_account: 0 as *const c_char,
    ca_bundle_path: 0 as *const c_char,
};

/// Options of one request, beside its parameters. Every field may be NULL (none), and so may
/// the struct itself. The strings are borrowed for the duration of the call only.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct si_request_options {
    /// `Idempotency-Key`: the same key with the same parameters replays the first answer.
    pub idempotency_key: *const c_char,
    /// `Stripe-Account`: act on this connected account.
    pub stripe_account: *const c_char,
    /// `Stripe-Version`: overrides the client's API version for this request.
    pub stripe_version: *const c_char,
}

/// Reads C request options (NULL: none).
pub(crate) unsafe fn request_options(
    opts: *const si_request_options,
) -> Result<RequestOptions, Box<si_error>> {
    let Some(opts) = opts.as_ref() else { return Ok(RequestOptions::default()) };
    let text = |ptr, name| opt_str(ptr, name).map(|s| s.map(String::from));
    Ok(RequestOptions {
        idempotency_key: text(opts.idempotency_key, "opts.idempotency_key")?,
        stripe_account: text(opts.stripe_account, "opts.stripe_account")?,
        stripe_version: text(opts.stripe_version, "opts.stripe_version")?,
    })
}

/// Makes a client on a fresh embedded simulator: no network, no key, state kept in memory until
/// the client is freed. Supports the simulator controls (`si_test_helpers_*`).
///
/// On `SI_OK`, `*client_out` is a new client that the caller owns: free it with
/// `si_client_free`. `client_out` must not be NULL (`SI_ERR_INVALID_ARGUMENT`).
#[no_mangle]
pub unsafe extern "C" fn si_client_new_local(client_out: *mut *mut si_client) -> si_result {
    // No si_error ** here (API.md): the only failures are a NULL client_out and a bug.
    ffi_boundary!(std::ptr::null_mut(), {
        check_out(client_out, "client_out")?;
        write_out(client_out, Box::new(si_client { client: Client::local() }));
        Ok(())
    })
}

/// Makes a client of the Stripe API (or of any server that speaks it, such as identity-mock)
/// with the secret or restricted key `api_key` (`"sk_test_..."`). Nothing is sent yet.
///
/// Programs compiled against this header reach `si_client_new_with_size` through the
/// `si_client_new` macro; this function is what programs built against version 0.1 call, and
/// it reads only the fields of version 0.1 (`base_url` to `stripe_account`).
///
/// `api_key` is borrowed for the call and must not be NULL. `options` may be NULL (all
/// defaults); its strings are borrowed for the call. A malformed key, a base URL that is not
/// `http(s)://host[:port]` or a NULL gives `SI_ERR_INVALID_ARGUMENT`.
///
/// On `SI_OK`, `*client_out` is a new client that the caller owns: free it with
/// `si_client_free`. On failure, if `err_out` is not NULL, `*err_out` is an error that the
/// caller owns: free it with `si_error_free`.
#[no_mangle]
pub unsafe extern "C" fn si_client_new(
    api_key: *const c_char,
    options: *const si_client_options,
    client_out: *mut *mut si_client,
    err_out: *mut *mut si_error,
) -> si_result {
    si_client_new_with_size(api_key, options, OPTIONS_V0_1_SIZE, client_out, err_out)
}

/// `si_client_new` with the size of the caller's `si_client_options`, so that a program
/// compiled against an older header (a smaller struct) is read only as far as its struct goes.
/// Call it through the `si_client_new` macro, which passes `sizeof(si_client_options)`.
///
/// `options_size` smaller than version 0.1's struct gives `SI_ERR_INVALID_ARGUMENT` (unless
/// `options` is NULL). A `ca_bundle_path` that cannot be read or holds no certificate gives
/// `SI_ERR_INVALID_ARGUMENT`, before anything is sent. Otherwise as `si_client_new`.
#[no_mangle]
pub unsafe extern "C" fn si_client_new_with_size(
    api_key: *const c_char,
    options: *const si_client_options,
    options_size: usize,
    client_out: *mut *mut si_client,
    err_out: *mut *mut si_error,
) -> si_result {
    ffi_boundary!(err_out, {
        check_out(client_out, "client_out")?;
        let api_key = arg_str(api_key, "api_key")?;
        let options = read_options(options, options_size)?;
        // The values are the core's to check and default, as in every language
        // (`client::settings`); only C's "not set" sentinels (NULL, a negative count, 0 ms)
        // are read here, as leaving the setting out.
        let mut settings = serde_json::Map::new();
        if let Some(o) = options.as_ref() {
            if let Some(url) = opt_str(o.base_url, "options.base_url")? {
                settings.insert("base_url".into(), url.into());
            }
            if o.max_network_retries >= 0 {
                settings.insert("max_network_retries".into(), o.max_network_retries.into());
            }
            if o.timeout_ms > 0 {
                settings.insert("timeout_ms".into(), o.timeout_ms.into());
            }
            if let Some(version) = opt_str(o.stripe_version, "options.stripe_version")? {
                settings.insert("stripe_version".into(), version.into());
            }
            if let Some(account) = opt_str(o.stripe_account, "options.stripe_account")? {
                settings.insert("stripe_account".into(), account.into());
            }
            if let Some(path) = opt_str(o.ca_bundle_path, "options.ca_bundle_path")? {
                settings.insert("ca_bundle_path".into(), path.into());
            }
        }
        // The User-Agent names the C front end, as the SDKs name their language.
        let builder = Client::builder(api_key)
            .front_end("c", "")
            .settings(&serde_json::Value::Object(settings))
            .map_err(|e| match e {
                // Named as the C caller wrote it.
                identity::Error::InvalidArgument { param: Some(p), message } => {
                    identity::Error::InvalidArgument { param: Some(format!("options.{p}")), message }
                }
                other => other,
            })?;
        let client = builder.build()?;
        write_out(client_out, Box::new(si_client { client }));
        Ok(())
    })
}

/// The caller's options as far as its struct goes (`size` bytes), the later fields at their
/// defaults. Only whole versions are read: a size between two versions reads the older one.
unsafe fn read_options(
    options: *const si_client_options,
    size: usize,
) -> Result<Option<si_client_options>, Box<si_error>> {
    if options.is_null() {
        return Ok(None);
    }
    if size < OPTIONS_V0_1_SIZE {
        return Err(si_error::invalid_argument(
            "options_size",
            format!("options_size {size} is smaller than any si_client_options ({OPTIONS_V0_1_SIZE} bytes)"),
        ));
    }
    let mut read = SI_CLIENT_OPTIONS_INIT;
    let whole = size_of::<si_client_options>();
    let n = if size >= whole { whole } else { OPTIONS_V0_1_SIZE };
    // SAFETY: the caller's struct holds at least `n` bytes (it said `size` ≥ `n`), and `read`
    // is a whole struct; the bytes copied are whole fields of the same layout.
    std::ptr::copy_nonoverlapping(options.cast::<u8>(), std::ptr::addr_of_mut!(read).cast::<u8>(), n);
    Ok(Some(read))
}

/// Frees a client. NULL is a no-op.
///
/// Takes ownership of `client`, which must not be in use by another thread and must not be used
/// afterwards. Sessions, lists and errors obtained through it stay valid (they own their data)
/// and are freed separately.
#[no_mangle]
pub unsafe extern "C" fn si_client_free(client: *mut si_client) {
    ffi_boundary!({
        if !client.is_null() {
            drop(Box::from_raw(client));
        }
    })
}
