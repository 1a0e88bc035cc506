//! The webhook endpoint object, and what deleting one answers.

use super::session::Extra;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `object` of a webhook endpoint.
pub const WEBHOOK_ENDPOINT_OBJECT: &str = "webhook_endpoint";

/// A webhook endpoint: where events are posted, and which.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookEndpoint {
    /// `we_...`.
    pub id: String,
    /// Always `webhook_endpoint`.
    pub object: String,
    /// API version events are rendered with, when set.
    #[serde(default)]
    pub api_version: Option<String>,
    /// The Connect application that made it (always `null` here).
    #[serde(default)]
    pub application: Option<String>,
    /// Unix seconds.
    pub created: i64,
    /// What the endpoint is for.
    #[serde(default)]
    pub description: Option<String>,
    /// Event types sent (`["*"]`: all).
    pub enabled_events: Vec<String>,
    /// Always `false` here.
    pub livemode: bool,
    /// Metadata.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// The signing secret (`whsec_...`): only in the answer that created the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// `enabled` or `disabled`.
    pub status: String,
    /// Where events are posted.
    pub url: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// What deleting an endpoint answers: `{id, object: "webhook_endpoint", deleted: true}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeletedWebhookEndpoint {
    /// The endpoint's id.
    pub id: String,
    /// Always `webhook_endpoint`.
    pub object: String,
    /// Always `true`.
    pub deleted: bool,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}
