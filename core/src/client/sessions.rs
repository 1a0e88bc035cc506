//! `client.verification_sessions()`: the six operations and lazy auto-pagination.

use super::pager::ListAuto;
use super::service::service_methods;
use super::{Client, RequestOptions};
use crate::api::Operation;
use crate::error::Error;
use crate::model::{List, VerificationSession};
use crate::params::{
    CancelVerificationSession, CreateVerificationSession, ListVerificationSessions,
    RedactVerificationSession, RetrieveVerificationSession, UpdateVerificationSession,
};

/// The VerificationSession operations of a client.
#[derive(Debug, Clone)]
pub struct VerificationSessions<'a> {
    client: &'a Client,
    opts: RequestOptions,
}

impl<'a> VerificationSessions<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        VerificationSessions { client, opts: RequestOptions::default() }
    }

    /// The same operations with request options (idempotency key, account, version).
    pub fn with_options(&self, opts: RequestOptions) -> VerificationSessions<'a> {
        VerificationSessions { client: self.client, opts }
    }

    service_methods! {
        /// Creates a session.
        create(Create): CreateVerificationSession => VerificationSession;
        /// Retrieves a session.
        retrieve(Retrieve, id): RetrieveVerificationSession => VerificationSession;
        /// Updates a session (only while it awaits input).
        update(Update, id): UpdateVerificationSession => VerificationSession;
        /// Lists sessions, newest first.
        list(List): ListVerificationSessions => List<VerificationSession>;
        /// Cancels a session (only while it awaits input).
        cancel(Cancel, id): CancelVerificationSession => VerificationSession;
        /// Redacts a session (from `requires_input`, which cancels it, or `verified`).
        redact(Redact, id): RedactVerificationSession => VerificationSession;
    }

    /// Every session matching `params`, fetched a page at a time as the iterator advances.
    /// With `ending_before` (and no `starting_after`) it walks towards newer sessions, each
    /// page oldest first, as the official SDKs do.
    pub fn list_auto(&self, params: &ListVerificationSessions) -> ListAuto<VerificationSession> {
        ListAuto::new(self.client, Operation::List, params, &self.opts)
    }
}
