//! `client.events`: the account's events. The class and its pager; the methods are generated
//! into `operations.rs` (`make codegen`).

use crate::task::{Call, Job, SharedPages};
use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;
use stripe_identity::Client;

/// Events, as `client.events`. Every method returns a Promise of the API's JSON as plain
/// objects, as stripe-node does. On `Client.local()` and identity-mock, only the events the
/// bounded event log still holds are listed; an older one answers 404.
#[napi(js_name = "Events")]
pub struct JsEvents {
    pub(crate) client: Client,
}

/// The events of a list, page by page; `for await` over it yields each event.
#[napi(js_name = "EventListAutoPaging")]
pub struct JsEventListAutoPaging {
    pub(crate) client: Client,
    pub(crate) pages: SharedPages,
}

#[napi]
impl JsEventListAutoPaging {
    /// The next page (its `data` in iteration order), or `null` after the last one.
    #[napi(catch_unwind, ts_return_type = "Promise<ApiList<Event> | null>")]
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
