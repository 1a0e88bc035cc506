//! `client.test_helpers()`: the simulator's controls, which play the user. On the real API
//! these paths do not exist and fail with its 404.

use super::{path_id, Client, RequestOptions};
use crate::backend::Method;
use crate::error::Error;
use crate::model::{LastErrorCode, VerificationSession};
use crate::params::{to_form, ExpandParams, FailParams};

const HELPERS: &str = "/v1/test_helpers/identity/verification_sessions";

/// The controls of a client.
#[derive(Debug, Clone)]
pub struct TestHelpers<'a> {
    client: &'a Client,
}

impl<'a> TestHelpers<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        TestHelpers { client }
    }

    fn control(&self, id: &str, action: &str, form: String) -> Result<VerificationSession, Error> {
        let path = format!("{HELPERS}/{}/{action}", path_id(id, "session")?);
        self.client.call(Method::Post, &path, form, &RequestOptions::default())
    }

    /// The user submits: `requires_input` → `processing`.
    pub fn submit(&self, id: &str) -> Result<VerificationSession, Error> {
        self.control(id, "submit", to_form(&ExpandParams::default())?)
    }

    /// Every check passes: `processing` → `verified`.
    pub fn verify(&self, id: &str) -> Result<VerificationSession, Error> {
        self.control(id, "verify", to_form(&ExpandParams::default())?)
    }

    /// A check fails: `processing` → `requires_input` with `last_error`.
    pub fn fail(
        &self,
        id: &str,
        code: LastErrorCode,
        reason: Option<&str>,
    ) -> Result<VerificationSession, Error> {
        self.control(id, "fail", to_form(&FailParams { code, reason: reason.map(String::from) })?)
    }

    /// Redaction finishes: `redaction.status` `processing` → `redacted`.
    pub fn complete_redaction(&self, id: &str) -> Result<VerificationSession, Error> {
        self.control(id, "complete_redaction", to_form(&ExpandParams::default())?)
    }
}
