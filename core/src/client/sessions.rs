//! `client.verification_sessions()`: the six operations and lazy auto-pagination.

use super::{path_id, Client, RequestOptions};
use crate::backend::Method;
use crate::engine::COLLECTION;
use crate::error::Error;
use crate::model::{List, VerificationSession};
use crate::params::{
    to_form, CancelVerificationSession, CreateVerificationSession, ListVerificationSessions,
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

    fn path(id: &str, action: &str) -> Result<String, Error> {
        Ok(format!("{COLLECTION}/{}{action}", path_id(id, "session")?))
    }

    /// Creates a session.
    pub fn create(&self, params: &CreateVerificationSession) -> Result<VerificationSession, Error> {
        self.client.call(Method::Post, COLLECTION, to_form(params)?, &self.opts)
    }

    /// Retrieves a session.
    pub fn retrieve(
        &self,
        id: &str,
        params: &RetrieveVerificationSession,
    ) -> Result<VerificationSession, Error> {
        self.client.call(Method::Get, &Self::path(id, "")?, to_form(params)?, &self.opts)
    }

    /// Updates a session (only while it awaits input).
    pub fn update(&self, id: &str, params: &UpdateVerificationSession) -> Result<VerificationSession, Error> {
        self.client.call(Method::Post, &Self::path(id, "")?, to_form(params)?, &self.opts)
    }

    /// Lists sessions, newest first.
    pub fn list(&self, params: &ListVerificationSessions) -> Result<List<VerificationSession>, Error> {
        self.client.call(Method::Get, COLLECTION, to_form(params)?, &self.opts)
    }

    /// Cancels a session (only while it awaits input).
    pub fn cancel(&self, id: &str, params: &CancelVerificationSession) -> Result<VerificationSession, Error> {
        self.client.call(Method::Post, &Self::path(id, "/cancel")?, to_form(params)?, &self.opts)
    }

    /// Redacts a session (from `requires_input`, which cancels it, or `verified`).
    pub fn redact(&self, id: &str, params: &RedactVerificationSession) -> Result<VerificationSession, Error> {
        self.client.call(Method::Post, &Self::path(id, "/redact")?, to_form(params)?, &self.opts)
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
