//! `client.test_helpers()`: the simulator's controls, which play the user. On the real API
//! these paths do not exist and fail with its 404.

use super::{Client, RequestOptions};
use crate::api::Operation;
use crate::error::Error;
use crate::model::{LastErrorCode, VerificationSession};
use crate::params::{ExpandParams, FailParams};
use serde::Serialize;

/// The controls of a client.
#[derive(Debug, Clone)]
pub struct TestHelpers<'a> {
    client: &'a Client,
}

impl<'a> TestHelpers<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        TestHelpers { client }
    }

    fn control<P: Serialize>(
        &self,
        op: Operation,
        id: &str,
        params: &P,
    ) -> Result<VerificationSession, Error> {
        self.client.call_typed(op, Some(id), params, &RequestOptions::default())
    }

    /// The user submits: `requires_input` → `processing`.
    pub fn submit(&self, id: &str) -> Result<VerificationSession, Error> {
        self.control(Operation::Submit, id, &ExpandParams::default())
    }

    /// Every check passes: `processing` → `verified`.
    pub fn verify(&self, id: &str) -> Result<VerificationSession, Error> {
        self.control(Operation::Verify, id, &ExpandParams::default())
    }

    /// A check fails: `processing` → `requires_input` with `last_error`.
    pub fn fail(
        &self,
        id: &str,
        code: LastErrorCode,
        reason: Option<&str>,
    ) -> Result<VerificationSession, Error> {
        self.control(Operation::Fail, id, &FailParams { code, reason: reason.map(String::from) })
    }

    /// Redaction finishes: `redaction.status` `processing` → `redacted`.
    pub fn complete_redaction(&self, id: &str) -> Result<VerificationSession, Error> {
        self.control(Operation::CompleteRedaction, id, &ExpandParams::default())
    }
}
