//! `client.webhook_endpoints()`: where identity-mock (or the API) posts events.

use super::pager::ListAuto;
use super::service::service_methods;
use super::{Client, RequestOptions};
use crate::api::Operation;
use crate::error::Error;
use crate::model::{DeletedWebhookEndpoint, List, WebhookEndpoint};
use crate::params::{
    CreateWebhookEndpoint, DeleteWebhookEndpoint, ListWebhookEndpoints, RetrieveWebhookEndpoint,
    UpdateWebhookEndpoint,
};

/// The webhook endpoint operations of a client.
#[derive(Debug, Clone)]
pub struct WebhookEndpoints<'a> {
    client: &'a Client,
    opts: RequestOptions,
}

impl<'a> WebhookEndpoints<'a> {
    pub(super) fn new(client: &'a Client) -> Self {
        WebhookEndpoints { client, opts: RequestOptions::default() }
    }

    /// The same operations with request options (account, version, idempotency key).
    pub fn with_options(&self, opts: RequestOptions) -> WebhookEndpoints<'a> {
        WebhookEndpoints { client: self.client, opts }
    }

    service_methods! {
        /// Creates an endpoint; only this answer carries its `secret`.
        create(CreateWebhookEndpoint): CreateWebhookEndpoint => WebhookEndpoint;
        /// Retrieves an endpoint.
        retrieve(RetrieveWebhookEndpoint, id): RetrieveWebhookEndpoint => WebhookEndpoint;
        /// Updates an endpoint.
        update(UpdateWebhookEndpoint, id): UpdateWebhookEndpoint => WebhookEndpoint;
        /// Lists endpoints, newest first.
        list(ListWebhookEndpoints): ListWebhookEndpoints => List<WebhookEndpoint>;
        /// Deletes an endpoint.
        delete(DeleteWebhookEndpoint, id): DeleteWebhookEndpoint => DeletedWebhookEndpoint;
    }

    /// Every endpoint, fetched a page at a time as the iterator advances.
    pub fn list_auto(&self, params: &ListWebhookEndpoints) -> ListAuto<WebhookEndpoint> {
        ListAuto::new(self.client, Operation::ListWebhookEndpoints, params, &self.opts)
    }
}
