//! The list object and the event object.

use super::session::{Extra, VerificationSession};
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::marker::PhantomData;

/// One page of a list: `{"object":"list","url":...,"has_more":...,"data":[...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct List<T> {
    /// Always `list`.
    pub object: String,
    /// The collection's path, `/v1/identity/verification_sessions`.
    pub url: String,
    /// Whether more objects lie beyond this page.
    pub has_more: bool,
    /// The page, newest first.
    #[serde(deserialize_with = "page", bound(deserialize = "T: Deserialize<'de>"))]
    pub data: Vec<T>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The most objects the API puts on a page (`limit` is 1 to 100).
const PAGE_MAX: usize = 100;

/// A page's objects, read into a vector with room for a whole page: JSON does not say how
/// many there are, and a vector grown by doubling moved a page of 100 sessions (1.3 KB each)
/// 1.27 times over before it held them. The room left over is given back.
fn page<'de, D: Deserializer<'de>, T: Deserialize<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
    struct Page<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Page<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a list of objects")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut data = Vec::with_capacity(seq.size_hint().unwrap_or(PAGE_MAX).min(PAGE_MAX));
            while let Some(object) = seq.next_element()? {
                data.push(object);
            }
            data.shrink_to_fit();
            Ok(data)
        }
    }
    deserializer.deserialize_seq(Page(PhantomData))
}

/// An event (`identity.verification_session.*`), recorded by the simulator for every transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// `evt_...`.
    pub id: String,
    /// Always `event`.
    pub object: String,
    /// API version the payload was rendered with.
    pub api_version: Option<String>,
    /// Creation time, unix seconds.
    pub created: i64,
    /// The object at the time of the event.
    pub data: EventData,
    /// Live or test mode.
    pub livemode: bool,
    /// Webhook deliveries still pending.
    pub pending_webhooks: i64,
    /// The request that caused the event.
    pub request: EventRequest,
    /// `identity.verification_session.created`, `.processing`, `.verified`, ….
    #[serde(rename = "type")]
    pub r#type: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Event {
    /// `data.object` as the VerificationSession it is for every `identity.verification_session.*`
    /// event (`data.object` itself stays JSON, so fields this version does not know are kept).
    pub fn session(&self) -> Result<VerificationSession, crate::error::Error> {
        serde_json::from_value(self.data.object.clone()).map_err(|e| crate::error::Error::Decode {
            message: format!("event {}: data.object is not a VerificationSession: {e}", self.id),
            status: 200,
            request_id: None,
        })
    }
}

/// `data` of an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventData {
    /// The object as it was.
    pub object: Value,
    /// Values before the change (`*.updated` events only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_attributes: Option<Value>,
}

/// `request` of an event.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EventRequest {
    /// `req_...`, or `null` for an automatic event.
    pub id: Option<String>,
    /// The request's idempotency key.
    pub idempotency_key: Option<String>,
}
