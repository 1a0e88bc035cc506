//! `Client`, and the namespaces that lead to the services: `client.identity` and
//! `client.testHelpers.identity`, laid out as stripe-node lays them out.

use crate::convert::{client_options, request_options, string_arg};
use crate::errors::{to_js_error, Failure};
use crate::sessions::{JsTestHelpersVerificationSessions, JsVerificationSessions};
use crate::task::{Call, Job};
use napi::bindgen_prelude::{AsyncTask, Function, Unknown};
use napi::threadsafe_function::ThreadsafeFunctionCallMode;
use napi::Env;
use napi_derive::napi;
use std::sync::Arc;
use stripe_identity::engine::{ManualClock, Simulator};
use stripe_identity::Client;

/// A Stripe Identity client: the embedded simulator (`Client.local()`) or the Stripe API over
/// HTTPS (`new Client(apiKey, options)`), with the same operations on both.
///
/// A client may run many calls at once: each one is a Promise whose work runs on libuv's
/// thread pool, and the connections of an HTTP client are pooled and kept alive.
///
/// ```js
/// const { Client } = require('stripe-identity');
/// const client = Client.local();
/// const s = await client.identity.verificationSessions.create({ type: 'document' });
/// ```
#[napi(js_name = "Client")]
pub struct JsClient {
    pub(crate) inner: Client,
    /// The stopped clock of a local client made with `Client.local({ clock })`.
    clock: Option<ManualClock>,
}

#[napi]
impl JsClient {
    /// A client of the Stripe API (or of any server that speaks it, such as `identity-mock`),
    /// with a secret or restricted key (`sk_test_...`, `sk_live_...`, `rk_...`).
    ///
    /// `options.timeout` is in milliseconds (default 80000); `options.maxNetworkRetries`
    /// defaults to 2. Nothing is sent until the first call. A key or option of the wrong type,
    /// or a malformed key or URL, throws a `TypeError` naming it.
    #[napi(constructor, catch_unwind, ts_args_type = "apiKey: string, options?: ClientOptions")]
    pub fn new(env: Env, api_key: Unknown, options: Option<Unknown>) -> napi::Result<Self> {
        let built = string_arg(api_key, "apiKey").and_then(|key| {
            let version = env.get_node_version().map(|v| format!("{}.{}.{}", v.major, v.minor, v.patch));
            let builder = Client::builder(key).front_end("node", version.unwrap_or_default());
            client_options(options, builder)?.build()
        });
        match built {
            Ok(inner) => Ok(JsClient { inner, clock: None }),
            Err(e) => Err(to_js_error(&env, &Failure::Core(crate::convert::js_setting_names(e)))),
        }
    }

    /// A client on a fresh embedded simulator: no network, no key; sessions live in this
    /// process for as long as the client (and its services) do.
    ///
    /// With `{ clock: unixSeconds }` the simulator's clock starts stopped at that time and
    /// moves only with `client.testHelpers.advanceClock(seconds)`, for tests of anything that
    /// depends on time.
    #[napi(factory, catch_unwind, ts_args_type = "options?: LocalOptions")]
    pub fn local(env: Env, options: Option<Unknown>) -> napi::Result<Self> {
        match crate::convert::local_clock(options) {
            Ok(None) => Ok(JsClient { inner: Client::local(), clock: None }),
            Ok(Some(start)) => match ManualClock::new(start) {
                Ok(clock) => {
                    let simulator = Arc::new(Simulator::with_clock(Arc::new(clock.clone())));
                    Ok(JsClient { inner: Client::local_with(simulator), clock: Some(clock) })
                }
                // The core names the value `start`; JavaScript callers passed `clock`.
                Err(e) => Err(to_js_error(
                    &env,
                    &Failure::Core(stripe_identity::Error::invalid_argument(Some("clock"), e.message())),
                )),
            },
            Err(e) => Err(to_js_error(&env, &Failure::Core(e))),
        }
    }

    /// The Identity services (`client.identity.verificationSessions`).
    #[napi(getter, catch_unwind)]
    pub fn identity(&self) -> JsIdentity {
        JsIdentity { client: self.inner.clone() }
    }

    /// Events: `retrieve`, `list`, `listAutoPaging`.
    #[napi(getter, catch_unwind)]
    pub fn events(&self) -> crate::events::JsEvents {
        crate::events::JsEvents { client: self.inner.clone() }
    }

    /// Hands each new event of a local client, as JSON text, to `callback` on the JavaScript
    /// thread (`index.js` wraps it as `onEvent`). The simulator records events on libuv's
    /// workers, so the call is queued through a weak threadsafe function (it never keeps the
    /// process alive).
    ///
    /// @internal
    #[napi(js_name = "_onEvent", catch_unwind, ts_args_type = "callback: (json: string) => void")]
    pub fn on_event(&self, env: Env, callback: Function<String, ()>) -> napi::Result<()> {
        let tsfn = callback.build_threadsafe_function().callee_handled::<false>().weak::<true>().build()?;
        self.inner
            .on_event(move |event| {
                let json = serde_json::to_string(event).unwrap_or_default();
                tsfn.call(json, ThreadsafeFunctionCallMode::NonBlocking);
            })
            .map_err(|e| to_js_error(&env, &Failure::Core(e)))
    }

    /// Webhook endpoints (`client.webhookEndpoints`): `create`, `retrieve`, `update`, `list`,
    /// `del`, `listAutoPaging`.
    #[napi(getter, catch_unwind)]
    pub fn webhook_endpoints(&self) -> crate::webhook_endpoints::JsWebhookEndpoints {
        crate::webhook_endpoints::JsWebhookEndpoints { client: self.inner.clone() }
    }

    /// The simulator's controls (`client.testHelpers.identity.verificationSessions`); on the
    /// real API they fail with a clear error.
    #[napi(getter, catch_unwind)]
    pub fn test_helpers(&self) -> JsTestHelpers {
        JsTestHelpers { client: self.inner.clone(), clock: self.clock.clone() }
    }

    /// Whether this client runs on the embedded simulator.
    #[napi(getter, catch_unwind)]
    pub fn is_local(&self) -> bool {
        self.inner.is_local()
    }

    /// One request exactly as it goes on the wire, for the shared scenario suite and
    /// `StripeIdentity#rawRequest`: `body` is the literal form-encoded text (the query string
    /// of a GET), or an object of parameters that the core encodes as stripe-node would.
    /// Resolves to the status, the headers (lower-case names) and the parsed JSON body of a
    /// 2xx answer; any other status rejects with its `StripeError`.
    ///
    /// @internal
    #[napi(
        js_name = "_rawRequest",
        catch_unwind,
        ts_args_type = "method: 'GET' | 'POST' | 'DELETE', path: string, body?: string | Record<string, unknown>, opts?: RequestOptions",
        ts_return_type = "Promise<RawResponse>"
    )]
    pub fn raw_request(
        &self,
        env: Env,
        method: Unknown,
        path: Unknown,
        body: Option<Unknown>,
        opts: Option<Unknown>,
    ) -> AsyncTask<Call> {
        let job = (|| {
            let method = string_arg(method, "method")?;
            let path = string_arg(path, "path")?;
            let body = match body {
                Some(b) if crate::convert::is_nullish(&b) => String::new(),
                Some(b) if matches!(b.get_type(), Ok(napi::ValueType::String)) => string_arg(b, "body")?,
                Some(b) => {
                    let params = crate::convert::params_json(&env, Some(b), "params")?;
                    stripe_identity::params::to_form(&crate::convert::params_value(params.as_deref())?)?
                }
                None => String::new(),
            };
            Ok::<_, stripe_identity::Error>((Job::Raw { method, path, body }, request_options(opts)?))
        })();
        AsyncTask::new(match job {
            Ok((job, opts)) => Call::new(&self.inner, opts, job),
            Err(e) => Call::refused(&self.inner, e),
        })
    }
}

/// `client.identity`: the Identity services.
#[napi(js_name = "Identity")]
pub struct JsIdentity {
    client: Client,
}

#[napi]
impl JsIdentity {
    /// VerificationSessions: `create`, `retrieve`, `update`, `list`, `cancel`, `redact`,
    /// `listAutoPaging`.
    #[napi(getter, catch_unwind)]
    pub fn verification_sessions(&self) -> JsVerificationSessions {
        JsVerificationSessions { client: self.client.clone() }
    }

    /// VerificationReports: `retrieve`, `list`, `listAutoPaging`.
    #[napi(getter, catch_unwind)]
    pub fn verification_reports(&self) -> crate::reports::JsVerificationReports {
        crate::reports::JsVerificationReports { client: self.client.clone() }
    }
}

/// `client.testHelpers`: the simulator's controls.
#[napi(js_name = "TestHelpers")]
pub struct JsTestHelpers {
    client: Client,
    clock: Option<ManualClock>,
}

#[napi]
impl JsTestHelpers {
    /// `client.testHelpers.identity`.
    #[napi(getter, catch_unwind)]
    pub fn identity(&self) -> JsTestHelpersIdentity {
        JsTestHelpersIdentity { client: self.client.clone() }
    }

    /// Moves the stopped clock of a client made with `Client.local({ clock })` forward by
    /// `seconds` (0 or more). Throws a `TypeError` on any other client, and for a step that
    /// would take the clock past the year 9999 (the clock then stays where it was).
    #[napi(catch_unwind, ts_args_type = "seconds: number")]
    pub fn advance_clock(&self, env: Env, seconds: Unknown) -> napi::Result<()> {
        let advanced = crate::convert::whole_number(seconds, "seconds").and_then(|s| match &self.clock {
            Some(clock) => clock.advance(s).map(drop),
            None => Err(stripe_identity::Error::invalid_argument(
                Some("seconds"),
                "advanceClock needs a client made with Client.local({ clock })",
            )),
        });
        advanced.map_err(|e| to_js_error(&env, &Failure::Core(e)))
    }
}

/// `client.testHelpers.identity`.
#[napi(js_name = "TestHelpersIdentity")]
pub struct JsTestHelpersIdentity {
    client: Client,
}

#[napi]
impl JsTestHelpersIdentity {
    /// The controls of VerificationSessions: `submit`, `verify`, `fail`, `completeRedaction`.
    #[napi(getter, catch_unwind)]
    pub fn verification_sessions(&self) -> JsTestHelpersVerificationSessions {
        JsTestHelpersVerificationSessions { client: self.client.clone() }
    }
}
