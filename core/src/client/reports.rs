//! `client.verification_reports()`: the reports the checks of a session wrote.

use super::pager::ListAuto;
use super::service::service_methods;
use super::{Client, RequestOptions};
use crate::api::Operation;
use crate::error::Error;
use crate::model::{List, VerificationReport};
use crate::params::{ListVerificationReports, RetrieveVerificationReport};

/// The VerificationReport operations of a client.
#[derive(Debug, Clone)]
pub struct VerificationReports<'a> {
    client: &'a Client,
    opts: RequestOptions,
}

impl<'a> VerificationReports<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        VerificationReports { client, opts: RequestOptions::default() }
    }

    /// The same operations with request options (account, version).
    pub fn with_options(&self, opts: RequestOptions) -> VerificationReports<'a> {
        VerificationReports { client: self.client, opts }
    }

    service_methods! {
        /// Retrieves a report.
        retrieve(RetrieveReport, id): RetrieveVerificationReport => VerificationReport;
        /// Lists reports, newest first.
        list(ListReports): ListVerificationReports => List<VerificationReport>;
    }

    /// Every report matching `params`, fetched a page at a time as the iterator advances.
    pub fn list_auto(&self, params: &ListVerificationReports) -> ListAuto<VerificationReport> {
        ListAuto::new(self.client, Operation::ListReports, params, &self.opts)
    }
}
