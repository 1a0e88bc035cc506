//! `client.events()`: the events of the account (`GET /v1/events[/:id]`), and, for a local
//! client, [`Client::on_event`] to hear each new one as it happens.

use super::pager::ListAuto;
use super::service::service_methods;
use super::{Client, RequestOptions};
use crate::api::Operation;
use crate::error::Error;
use crate::model::{Event, List};
use crate::params::{ListEvents, RetrieveEvent};
use std::sync::Arc;

/// The Event operations of a client.
#[derive(Debug, Clone)]
pub struct Events<'a> {
    client: &'a Client,
    opts: RequestOptions,
}

impl<'a> Events<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        Events { client, opts: RequestOptions::default() }
    }

    /// The same operations with request options (account, version).
    pub fn with_options(&self, opts: RequestOptions) -> Events<'a> {
        Events { client: self.client, opts }
    }

    service_methods! {
        /// Retrieves an event (404 once the simulator's bounded log has dropped it).
        retrieve(RetrieveEvent, id): RetrieveEvent => Event;
        /// Lists events, newest first. On the simulator, only those its bounded event log still
        /// holds (see `engine::events`).
        list(ListEvents): ListEvents => List<Event>;
    }

    /// Every event matching `params`, fetched a page at a time as the iterator advances.
    pub fn list_auto(&self, params: &ListEvents) -> ListAuto<Event> {
        ListAuto::new(self.client, Operation::ListEvents, params, &self.opts)
    }
}

impl Client {
    /// Calls `callback` with every event the local simulator records from now on, so a webhook
    /// handler can be tested without HTTP. It runs on the thread that made the request, after
    /// the request's write is committed and before its answer returns, outside the simulator's
    /// lock (it may call the client again). An HTTP client has no simulator and refuses with
    /// [`Error::InvalidArgument`]: poll [`Events::list`] there instead.
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// let client = stripe_identity::Client::local();
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let sink = seen.clone();
    /// client.on_event(move |e| sink.lock().unwrap().push(e.r#type.clone()))?;
    /// let create = stripe_identity::params::CreateVerificationSession {
    ///     r#type: Some(stripe_identity::model::RequestedVerificationType::Document),
    ///     ..Default::default()
    /// };
    /// let s = client.verification_sessions().create(&create)?;
    /// client.test_helpers().submit(&s.id)?;
    /// assert_eq!(*seen.lock().unwrap(), ["identity.verification_session.created",
    ///                                    "identity.verification_session.processing"]);
    /// # Ok::<(), stripe_identity::Error>(())
    /// ```
    pub fn on_event(&self, callback: impl Fn(&Event) + Send + Sync + 'static) -> Result<(), Error> {
        let simulator = self.simulator().ok_or_else(|| {
            Error::invalid_argument(
                None,
                "on_event needs a local client (Client::local()); over HTTP, list events or receive webhooks",
            )
        })?;
        simulator.subscribe(Arc::new(callback));
        Ok(())
    }
}
