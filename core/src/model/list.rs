//! The list object and the event object.

use super::session::Extra;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One page of a list: `{"object":"list","url":...,"has_more":...,"data":[...]}`.
/// Decoded by hand (not with `flatten`), so the page is read once, straight into `data`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct List<T> {
    /// Always `list`.
    pub object: String,
    /// The collection's path, `/v1/identity/verification_sessions`.
    pub url: String,
    /// Whether more objects lie beyond this page.
    pub has_more: bool,
    /// The page, newest first.
    pub data: Vec<T>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
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

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<List<T>, A::Error> {
                use serde::de::Error;
                let (mut object, mut url, mut has_more, mut data) = (None, None, None, None);
                let mut extra = Extra::new();
                while let Some(key) = map.next_key::<super::de::Key<'de>>()? {
                    match key.as_str() {
                        "object" => object = Some(map.next_value()?),
                        "url" => url = Some(map.next_value()?),
                        "has_more" => has_more = Some(map.next_value()?),
                        "data" => data = Some(map.next_value()?),
                        _ => {
                            let value: Value = map.next_value()?;
                            extra.insert(key.into_string(), value);
                        }
                    }
                }
                Ok(List {
                    object: object.ok_or_else(|| A::Error::missing_field("object"))?,
                    url: url.ok_or_else(|| A::Error::missing_field("url"))?,
                    has_more: has_more.ok_or_else(|| A::Error::missing_field("has_more"))?,
                    data: data.ok_or_else(|| A::Error::missing_field("data"))?,
                    extra,
                })
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}
