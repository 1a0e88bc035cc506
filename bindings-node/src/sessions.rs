//! `client.identity.verificationSessions` and its simulator controls
//! (`client.testHelpers.identity.verificationSessions`): the classes, the task every method
//! builds and the pager. The methods themselves are generated from the API's description into
//! `operations.rs` (`make codegen`).

use crate::convert::{params_json, params_value, request_options, string_arg};
use crate::errors::{to_js_error, Failure};
use crate::task::{Call, Job, Pending, SharedPages};
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
) -> Pending {
    let job = (|| -> Result<_, Error> {
        // The API's name for the id in the path (`session`, `report`), from its description.
        let id_name = op.desc().id.unwrap_or("id");
        let id = id.map(|id| string_arg(id, id_name)).transpose()?;
        let params = params_json(env, params, "params")?;
        Ok((Job::Call { op, id, params }, request_options(opts)?))
    })();
    Pending(match job {
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
    pub(crate) client: Client,
    pub(crate) pages: SharedPages,
}

#[napi]
impl JsListAutoPaging {
    /// The next page (its `data` in iteration order), or `null` after the last one. A failed
    /// page rejects, and the list ends there.
    #[napi(catch_unwind, ts_return_type = "Promise<ApiList<VerificationSession> | null>")]
    pub fn next_page(&self) -> AsyncTask<Call> {
        AsyncTask::new(Call::new(&self.client, Default::default(), Job::NextPage(self.pages.clone())))
    }

    /// Starts the walk from `page` (JSON text), the first page the caller already has.
    ///
    /// @internal
    #[napi(js_name = "_startFrom", catch_unwind)]
    pub fn start_from(&self, env: Env, page: String) -> napi::Result<()> {
        crate::task::start_from(&env, &self.pages, &page)
    }
}

/// The simulator's controls of VerificationSessions, as
/// `client.testHelpers.identity.verificationSessions`. Each resolves to the session as it is
/// after the step; on the real API they fail with a clear error.
#[napi(js_name = "TestHelpersVerificationSessions")]
pub struct JsTestHelpersVerificationSessions {
    pub(crate) client: Client,
}
