//! `client.verification_sessions()`: the six operations and lazy auto-pagination.

use super::service::service_methods;
use super::{Client, RequestOptions};
use crate::api::Operation;
use crate::error::Error;
use crate::model::{List, VerificationSession};
use crate::params::{
    CancelVerificationSession, CreateVerificationSession, ListVerificationSessions,
    RedactVerificationSession, RetrieveVerificationSession, UpdateVerificationSession,
};
use std::collections::VecDeque;

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
    pub fn list_auto(&self, params: &ListVerificationSessions) -> ListAuto {
        ListAuto {
            client: self.client.clone(),
            opts: self.opts.clone(),
            backward: params.ending_before.is_some() && params.starting_after.is_none(),
            params: params.clone(),
            page: VecDeque::new(),
            done: false,
        }
    }
}

/// Lazy iterator over every page of a list; holds one page at a time.
#[derive(Debug)]
pub struct ListAuto {
    client: Client,
    opts: RequestOptions,
    params: ListVerificationSessions,
    backward: bool,
    page: VecDeque<VerificationSession>,
    done: bool,
}

impl ListAuto {
    fn fetch(&mut self) -> Result<(), Error> {
        let list = self.client.verification_sessions().with_options(self.opts.clone()).list(&self.params)?;
        let mut data = list.data;
        if self.backward {
            data.reverse();
        }
        match data.last() {
            Some(last) if list.has_more => {
                if self.backward {
                    self.params.ending_before = Some(last.id.clone());
                } else {
                    self.params.starting_after = Some(last.id.clone());
                }
            }
            _ => self.done = true,
        }
        self.page = data.into();
        Ok(())
    }
}

impl Iterator for ListAuto {
    type Item = Result<VerificationSession, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.page.is_empty() {
            if self.done {
                return None;
            }
            if let Err(e) = self.fetch() {
                // An error ends the iteration after it is reported once.
                self.done = true;
                return Some(Err(e));
            }
        }
        self.page.pop_front().map(Ok)
    }
}
