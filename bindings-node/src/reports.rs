//! `client.identity.verificationReports`: the reports a session's checks wrote. The class and
//! its pager; the methods are generated into `operations.rs` (`make codegen`).

use crate::task::{Call, Job, SharedPages};
use napi::bindgen_prelude::AsyncTask;
use napi::Env;
use napi_derive::napi;
use stripe_identity::Client;

/// VerificationReports, as `client.identity.verificationReports`. Every method returns a
/// Promise of the API's JSON as plain objects, as stripe-node does.
#[napi(js_name = "VerificationReports")]
pub struct JsVerificationReports {
    pub(crate) client: Client,
}

/// The reports of a list, page by page; `for await` over it yields each report.
#[napi(js_name = "ReportListAutoPaging")]
pub struct JsReportListAutoPaging {
    pub(crate) client: Client,
    pub(crate) pages: SharedPages,
}

#[napi]
impl JsReportListAutoPaging {
    /// The next page (its `data` in iteration order), or `null` after the last one.
    #[napi(catch_unwind, ts_return_type = "Promise<ApiList<VerificationReport> | null>")]
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
