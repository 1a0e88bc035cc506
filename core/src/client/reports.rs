//! `client.verification_reports()`: the reports the checks of a session wrote.

use super::service::service_methods;
use super::{Client, RequestOptions};
use crate::api::Operation;
use crate::error::Error;
use crate::model::VerificationReport;
use crate::params::RetrieveVerificationReport;

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
    }
}
