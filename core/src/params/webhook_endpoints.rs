//! Typed parameters of the webhook endpoint operations (`/v1/webhook_endpoints`).

use super::{ExpandParams, ExtraParams, Metadata};
use serde::{Deserialize, Serialize};

/// Parameters of `POST /v1/webhook_endpoints`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateWebhookEndpoint {
    /// Where events are posted (`http` or `https`).
    pub url: String,
    /// Event types to send: `*` for every one, or some of the six
    /// `identity.verification_session.*` types.
    pub enabled_events: Vec<String>,
    /// API version events are rendered with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// Whether the endpoint hears connected accounts' events (accepted, no effect here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connect: Option<bool>,
    /// What the endpoint is for (`""` leaves it null).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Fields to expand.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<String>,
    /// Metadata to set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// Parameters of `POST /v1/webhook_endpoints/:id`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateWebhookEndpoint {
    /// What the endpoint is for (`""` unsets it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `true` pauses deliveries (`status: disabled`); `false` resumes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// Event types to send, replacing the old list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled_events: Option<Vec<String>>,
    /// Fields to expand.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<String>,
    /// Metadata to set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Where events are posted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// Parameters of `GET /v1/webhook_endpoints`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListWebhookEndpoints {
    /// Cursor: the page just newer than this id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending_before: Option<String>,
    /// Fields to expand, starting with `data.`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<String>,
    /// Page size, 1 to 100 (default 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Cursor: the page just older than this id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_after: Option<String>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// Parameters of `GET /v1/webhook_endpoints/:id`.
pub type RetrieveWebhookEndpoint = ExpandParams;

/// Parameters of `DELETE /v1/webhook_endpoints/:id`: none but unknown ones.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DeleteWebhookEndpoint {
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}
