//! `client.identity.verificationReports`: the reports a session's checks wrote. Each method
//! converts its arguments and returns an `AsyncTask` running the core's JSON front door.

use crate::sessions::{list_pages, task};
use crate::task::{Call, Job, SharedPages};
use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi::Env;
use napi_derive::napi;
use stripe_identity::client::Operation;
use stripe_identity::Client;

/// VerificationReports, as `client.identity.verificationReports`. Every method returns a
/// Promise of the API's JSON as plain objects, as stripe-node does.
#[napi(js_name = "VerificationReports")]
pub struct JsVerificationReports {
    pub(crate) client: Client,
}

#[napi]
impl JsVerificationReports {
    /// Retrieves a VerificationReport (`GET /v1/identity/verification_reports/:id`); `params`
    /// may hold `expand` (`['document.dob']`).
    #[napi(
        catch_unwind,
        ts_args_type = "id: string, params?: VerificationReportRetrieveParams, opts?: RequestOptions",
        ts_return_type = "Promise<VerificationReport>"
    )]
    pub fn retrieve(
        &self,
        env: Env,
        id: Unknown,
        params: Option<Unknown>,
        opts: Option<Unknown>,
    ) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::RetrieveReport, Some(id), params, opts)
    }

    /// Lists VerificationReports, newest first (`GET /v1/identity/verification_reports`): one
    /// page `{ object: 'list', data, has_more, url }`.
    #[napi(
        catch_unwind,
        ts_args_type = "params?: VerificationReportListParams, opts?: RequestOptions",
        ts_return_type = "Promise<ApiList<VerificationReport>>"
    )]
    pub fn list(&self, env: Env, params: Option<Unknown>, opts: Option<Unknown>) -> AsyncTask<Call> {
        task(&env, &self.client, Operation::ListReports, None, params, opts)
    }

    /// Every report of a list, page after page, fetched lazily as the loop asks for more:
    /// `for await (const r of reports.listAutoPaging({ limit: 100 }))`.
    #[napi(catch_unwind, ts_args_type = "params?: VerificationReportListParams, opts?: RequestOptions")]
    pub fn list_auto_paging(
        &self,
        env: Env,
        params: Option<Unknown>,
        opts: Option<Unknown>,
    ) -> napi::Result<JsReportListAutoPaging> {
        let pages = list_pages(&env, &self.client, Operation::ListReports, params, opts)?;
        Ok(JsReportListAutoPaging { client: self.client.clone(), pages })
    }
}

/// The reports of a list, page by page; `for await` over it yields each report.
#[napi(js_name = "ReportListAutoPaging")]
pub struct JsReportListAutoPaging {
    client: Client,
    pages: SharedPages,
}

#[napi]
impl JsReportListAutoPaging {
    /// The next page (its `data` in iteration order), or `null` after the last one.
    #[napi(catch_unwind, ts_return_type = "Promise<ApiList<VerificationReport> | null>")]
    pub fn next_page(&self) -> AsyncTask<Call> {
        AsyncTask::new(Call::new(&self.client, Default::default(), Job::NextPage(self.pages.clone())))
    }
}
