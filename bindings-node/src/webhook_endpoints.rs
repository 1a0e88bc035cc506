//! `client.webhookEndpoints`: where identity-mock (or the API) posts events. The class and its
//! pager; the methods are generated into `operations.rs` (`make codegen`).

use crate::task::{Call, Job, SharedPages};
use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;
use stripe_identity::Client;

/// Webhook endpoints, as `client.webhookEndpoints`. Every method returns a Promise of the API's
/// JSON as plain objects, as stripe-node does; only `create` answers the endpoint's `secret`.
#[napi(js_name = "WebhookEndpoints")]
pub struct JsWebhookEndpoints {
    pub(crate) client: Client,
}

/// The endpoints of a list, page by page; `for await` over it yields each endpoint.
#[napi(js_name = "WebhookEndpointListAutoPaging")]
pub struct JsWebhookEndpointListAutoPaging {
    pub(crate) client: Client,
    pub(crate) pages: SharedPages,
}

#[napi]
impl JsWebhookEndpointListAutoPaging {
    /// The next page (its `data` in iteration order), or `null` after the last one.
    #[napi(catch_unwind, ts_return_type = "Promise<ApiList<WebhookEndpoint> | null>")]
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
