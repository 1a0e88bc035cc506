//! `client.identity.verificationSessions` and its simulator controls
//! (`client.testHelpers.identity.verificationSessions`). Each method converts its arguments
//! and returns an `AsyncTask` running [`stripe_identity::Client::call_json`].

use crate::convert::{params_json, params_value, request_options, string_arg};
use crate::errors::{to_js_error, Failure};
use crate::task::{Call, Job, SharedPages};
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi::Env;
use napi_derive::napi;
use std::sync::{Arc, Mutex};
use stripe_identity::client::Operation;
use stripe_identity::{Client, Error};

/// Builds the task of one operation: the id (when the operation takes one), the parameters and
/// the request options are converted here; any refusal becomes the task's rejection.
pub(crate) fn task(
    env: &Env,
    client: &Client,
    op: Operation,
    id: Option<Unknown>,
    params: Option<Unknown>,
    opts: Option<Unknown>,
) -> AsyncTask<Call> {
    let job = (|| -> Result<_, Error> {
        // The API's name for the id in the path (`session`, `report`), from its description.
        let id_name = op.desc().id.unwrap_or("id");
        let id = id.map(|id| string_arg(id, id_name)).transpose()?;
        let params = params_json(env, params, "params")?;
        Ok((Job::Call { op, id, params }, request_options(opts)?))
    })();
    AsyncTask::new(match job {
        Ok((job, opts)) => Call::new(client, opts, job),
        Err(e) => Call::refused(client, e),
    })
}

/// VerificationSessions, as `client.identity.verificationSessions`. Every method returns a
/// Promise of the API's JSON as plain objects with its snake_case fields, as stripe-node does,
/// and rejects with a `StripeError` subclass (or a `TypeError` for an argument of the wrong
/// type).
#[napi(js_name = "VerificationSessions")]
pub struct JsVerificationSessions {
    pub(crate) client: Client,
}

#[napi]
impl JsVerificationSessions {
    /// Creates a VerificationSession (`POST /v1/identity/verification_sessions`).
    #[napi(
        catch_unwind,
        ts_args_type = "params: VerificationSessionCreateParams, opts?: RequestOptions",
        ts_return_type = "Promise<VerificationSession>"
    )]
    pub fn create(&self, env: Env, params: Option<Unknown>, opts: Option<Unknown>) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::Create, None, params, opts)
    }

    /// Retrieves a VerificationSession (`GET /v1/identity/verification_sessions/:id`);
    /// `params` may hold `expand`.
    #[napi(
        catch_unwind,
        ts_args_type = "id: string, params?: VerificationSessionRetrieveParams, opts?: RequestOptions",
        ts_return_type = "Promise<VerificationSession>"
    )]
    pub fn retrieve(
        &self,
        env: Env,
        id: Unknown,
        params: Option<Unknown>,
        opts: Option<Unknown>,
    ) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::Retrieve, Some(id), params, opts)
    }

    /// Updates a VerificationSession (`POST /v1/identity/verification_sessions/:id`); only
    /// while it is `requires_input`.
    #[napi(
        catch_unwind,
        ts_args_type = "id: string, params: VerificationSessionUpdateParams, opts?: RequestOptions",
        ts_return_type = "Promise<VerificationSession>"
    )]
    pub fn update(
        &self,
        env: Env,
        id: Unknown,
        params: Option<Unknown>,
        opts: Option<Unknown>,
    ) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::Update, Some(id), params, opts)
    }

    /// Lists VerificationSessions, newest first (`GET /v1/identity/verification_sessions`):
    /// one page `{ object: 'list', data, has_more, url }`.
    #[napi(
        catch_unwind,
        ts_args_type = "params?: VerificationSessionListParams, opts?: RequestOptions",
        ts_return_type = "Promise<ApiList<VerificationSession>>"
    )]
    pub fn list(&self, env: Env, params: Option<Unknown>, opts: Option<Unknown>) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::List, None, params, opts)
    }

    /// Cancels a VerificationSession (`POST /v1/identity/verification_sessions/:id/cancel`);
    /// only while it is `requires_input`.
    #[napi(
        catch_unwind,
        ts_args_type = "id: string, params?: VerificationSessionCancelParams, opts?: RequestOptions",
        ts_return_type = "Promise<VerificationSession>"
    )]
    pub fn cancel(
        &self,
        env: Env,
        id: Unknown,
        params: Option<Unknown>,
        opts: Option<Unknown>,
    ) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::Cancel, Some(id), params, opts)
    }

    /// Redacts a VerificationSession and its reports
    /// (`POST /v1/identity/verification_sessions/:id/redact`).
    #[napi(
        catch_unwind,
        ts_args_type = "id: string, params?: VerificationSessionRedactParams, opts?: RequestOptions",
        ts_return_type = "Promise<VerificationSession>"
    )]
    pub fn redact(
        &self,
        env: Env,
        id: Unknown,
        params: Option<Unknown>,
        opts: Option<Unknown>,
    ) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::Redact, Some(id), params, opts)
    }

    /// Every session of a list, page after page, fetched lazily as the loop asks for more:
    /// `for await (const s of vs.listAutoPaging({ limit: 100 }))`. With `ending_before` (and no
    /// `starting_after`) it walks backwards, as stripe-node does. Parameters of the wrong type
    /// throw a `TypeError` here, before anything is fetched.
    #[napi(catch_unwind, ts_args_type = "params?: VerificationSessionListParams, opts?: RequestOptions")]
    pub fn list_auto_paging(
        &self,
        env: Env,
        params: Option<Unknown>,
        opts: Option<Unknown>,
    ) -> napi::Result<JsListAutoPaging> {
        let pages = list_pages(&env, &self.client, Operation::List, params, opts)?;
        Ok(JsListAutoPaging { client: self.client.clone(), pages })
    }
}

/// The pages of a list operation, checked before anything is fetched (a parameter of the
/// wrong type throws here). The core's pager takes `null` as no parameters.
pub(crate) fn list_pages(
    env: &Env,
    client: &Client,
    op: Operation,
    params: Option<Unknown>,
    opts: Option<Unknown>,
) -> napi::Result<SharedPages> {
    let pages = (|| -> Result<_, Error> {
        let params = params_value(params_json(env, params, "params")?.as_deref())?;
        client.list_pages_json_of(op, params, request_options(opts)?)
    })();
    match pages {
        Ok(pages) => Ok(Arc::new(Mutex::new(Some(pages)))),
        Err(e) => Err(to_js_error(env, &Failure::Core(e))),
    }
}

/// The sessions of a list, page by page; `for await` over it yields each session.
#[napi(js_name = "ListAutoPaging")]
pub struct JsListAutoPaging {
    client: Client,
    pages: SharedPages,
}

#[napi]
impl JsListAutoPaging {
    /// The next page (its `data` in iteration order), or `null` after the last one. A failed
    /// page rejects, and the list ends there.
    #[napi(catch_unwind, ts_return_type = "Promise<ApiList<VerificationSession> | null>")]
    pub fn next_page(&self) -> AsyncTask<Call> {
        AsyncTask::new(Call::new(&self.client, Default::default(), Job::NextPage(self.pages.clone())))
    }
}

/// The simulator's controls of VerificationSessions, as
/// `client.testHelpers.identity.verificationSessions`. Each resolves to the session as it is
/// after the step; on the real API they fail with a clear error.
#[napi(js_name = "TestHelpersVerificationSessions")]
pub struct JsTestHelpersVerificationSessions {
    pub(crate) client: Client,
}

#[napi]
impl JsTestHelpersVerificationSessions {
    /// Plays the user submitting the hosted flow: `requires_input` → `processing`.
    #[napi(catch_unwind, ts_args_type = "id: string", ts_return_type = "Promise<VerificationSession>")]
    pub fn submit(&self, env: Env, id: Unknown) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::Submit, Some(id), None, None)
    }

    /// Plays a successful check: `processing` → `verified`, with a VerificationReport and the
    /// verified outputs.
    #[napi(catch_unwind, ts_args_type = "id: string", ts_return_type = "Promise<VerificationSession>")]
    pub fn verify(&self, env: Env, id: Unknown) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::Verify, Some(id), None, None)
    }

    /// Plays a failed check: `processing` → `requires_input` with `last_error` set to
    /// `{ code, reason }` (`code` is one of the API's `last_error.code` values).
    #[napi(
        catch_unwind,
        ts_args_type = "id: string, params: VerificationSessionFailParams",
        ts_return_type = "Promise<VerificationSession>"
    )]
    pub fn fail(&self, env: Env, id: Unknown, params: Option<Unknown>) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::Fail, Some(id), params, None)
    }

    /// Finishes a redaction: `redaction.status` `processing` → `redacted`.
    #[napi(catch_unwind, ts_args_type = "id: string", ts_return_type = "Promise<VerificationSession>")]
    pub fn complete_redaction(&self, env: Env, id: Unknown) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::CompleteRedaction, Some(id), None, None)
    }
}
