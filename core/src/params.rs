//! Typed parameters of every operation, and their conversion into the wire format.
//!
//! Every parameter struct keeps parameters this version does not know in `extra`, and sends them
//! as given, so the API (or the simulator) answers them with its own error rather than this
//! library deciding for it.

use crate::error::Error;
use crate::model::{DocumentType, LastErrorCode, VerificationStatus, VerificationType};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

mod webhook_endpoints;
pub use webhook_endpoints::*;

/// Parameters this version does not know, sent as given.
pub type ExtraParams = Map<String, Value>;

/// Metadata to set. An empty value unsets that key; an empty map unsets every key (it is sent
/// as `metadata=`). `null` values read from JSON count as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata(pub BTreeMap<String, String>);

impl Metadata {
    /// An empty map: unsets all metadata.
    pub fn clear() -> Metadata {
        Metadata::default()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Metadata {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Metadata(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl Serialize for Metadata {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_empty() {
            s.serialize_str("")
        } else {
            self.0.serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Metadata {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Map(BTreeMap<String, Option<String>>),
            Str(String),
        }
        match Repr::deserialize(d)
            .map_err(|_| serde::de::Error::custom("expected a map of strings, or \"\""))?
        {
            Repr::Map(m) => Ok(Metadata(m.into_iter().map(|(k, v)| (k, v.unwrap_or_default())).collect())),
            Repr::Str(s) if s.is_empty() => Ok(Metadata::clear()),
            Repr::Str(_) => Err(serde::de::Error::custom("expected a map of strings, or \"\" to unset")),
        }
    }
}

/// A value that can also be unset with the empty string (`options[document]=`).
#[derive(Debug, Clone, PartialEq)]
pub enum Emptyable<T> {
    /// Sent as `key=`.
    Unset,
    /// The value.
    Set(T),
}

impl<T: Serialize> Serialize for Emptyable<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Emptyable::Unset => s.serialize_str(""),
            Emptyable::Set(v) => v.serialize(s),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Emptyable<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A visitor (not a detour through `Value`) so errors inside keep their path.
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = Emptyable<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object, or \"\" to unset")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v.is_empty() {
                    Ok(Emptyable::Unset)
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Str(v), &self))
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(Emptyable::Set)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// `options` of create and update.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptionsParams {
    /// `options[document]`, or `""` to unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<Emptyable<DocumentOptionsParams>>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// `options[document]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentOptionsParams {
    /// Accepted document types.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_types: Option<Vec<DocumentType>>,
    /// Also check an ID number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_id_number: Option<bool>,
    /// Require a live capture.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_live_capture: Option<bool>,
    /// Also take a matching selfie.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub require_matching_selfie: Option<bool>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// `provided_details`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProvidedDetailsParams {
    /// Email to prefill and check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone to prefill and check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// `related_person`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RelatedPersonParams {
    /// `acct_...` (required by the API when `related_person` is sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// `person_...` (required by the API when `related_person` is sent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// Parameters of create (`POST /v1/identity/verification_sessions`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateVerificationSession {
    /// The caller's reference (max 5000 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_reference_id: Option<String>,
    /// Fields to expand in the answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<String>,
    /// Metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Check options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<OptionsParams>,
    /// Email and phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provided_details: Option<ProvidedDetailsParams>,
    /// Customer id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_customer: Option<String>,
    /// Id of an Account representing a customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_customer_account: Option<String>,
    /// The person the session is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_person: Option<RelatedPersonParams>,
    /// Where the hosted flow sends the user back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_url: Option<String>,
    /// `document` or `id_number`; required unless `verification_flow` is given.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<VerificationType>,
    /// A Dashboard verification flow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_flow: Option<String>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// Parameters of update (`POST /v1/identity/verification_sessions/:id`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UpdateVerificationSession {
    /// Fields to expand in the answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<String>,
    /// Metadata to merge in (empty values unset keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Metadata>,
    /// Check options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<OptionsParams>,
    /// Email and phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provided_details: Option<ProvidedDetailsParams>,
    /// `document` or `id_number`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<VerificationType>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// Parameters of retrieve, cancel and redact: only `expand`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExpandParams {
    /// Fields to expand in the answer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<String>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// Parameters of retrieve.
pub type RetrieveVerificationSession = ExpandParams;
/// Parameters of cancel.
pub type CancelVerificationSession = ExpandParams;
/// Parameters of redact.
pub type RedactVerificationSession = ExpandParams;
/// Parameters of a report's retrieve.
pub type RetrieveVerificationReport = ExpandParams;

/// `created` of list: an exact time or a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RangeQuery {
    /// Exactly this unix time.
    Exact(i64),
    /// Bounds, each optional.
    Range(Range),
}

/// Bounds of a [`RangeQuery`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Range {
    /// Greater than.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gt: Option<i64>,
    /// Greater than or equal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gte: Option<i64>,
    /// Less than.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lt: Option<i64>,
    /// Less than or equal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lte: Option<i64>,
}

/// Parameters of list (`GET /v1/identity/verification_sessions`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListVerificationSessions {
    /// Only sessions with this reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_reference_id: Option<String>,
    /// Only sessions created at or in this time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<RangeQuery>,
    /// Cursor: the page just newer than this id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending_before: Option<String>,
    /// Fields to expand, starting with `data.`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expand: Vec<String>,
    /// Page size, 1 to 100 (default 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Only sessions for this customer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_customer: Option<String>,
    /// Only sessions for this customer account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub related_customer_account: Option<String>,
    /// Cursor: the page just older than this id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_after: Option<String>,
    /// Only sessions in this status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<VerificationStatus>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// Parameters of a report's list (`GET /v1/identity/verification_reports`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListVerificationReports {
    /// Only reports with this reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_reference_id: Option<String>,
    /// Only reports created at or in this time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<RangeQuery>,
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
    /// Only reports of this type (`document` or `id_number`).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<VerificationType>,
    /// Only the reports of this session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_session: Option<String>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// Parameters of the simulator's `fail` control.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FailParams {
    /// One of the API's `last_error.code` values.
    pub code: LastErrorCode,
    /// Human-readable reason; a standard one per code when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Encodes any parameter struct into the API's form encoding.
pub fn to_form<P: Serialize>(params: &P) -> Result<String, Error> {
    let value = serde_json::to_value(params)
        .map_err(|e| Error::invalid_argument(None, format!("parameters could not be encoded: {e}")))?;
    Ok(crate::wire::encode(&value))
}

/// Reads parameters given as JSON (from a binding) into a typed struct. A value of the wrong
/// type is an [`Error::InvalidArgument`] naming the parameter the way the API does
/// (`options[document][require_id_number]`), and so is nesting past
/// [`MAX_DEPTH`](crate::nesting::MAX_DEPTH).
pub fn from_json<P: DeserializeOwned>(value: Value) -> Result<P, Error> {
    if !(value.is_object() || value.is_null()) {
        return Err(Error::invalid_argument(None, "parameters must be an object"));
    }
    crate::nesting::check(&value)?;
    let value = if value.is_null() { Value::Object(Map::new()) } else { value };
    serde_path_to_error::deserialize(value).map_err(|e| {
        let param = api_param_name(&e.path().to_string());
        let message = format!("{}: {}", param.as_deref().unwrap_or("parameters"), e.inner());
        Error::InvalidArgument { param, message }
    })
}

/// `options.document.allowed_types[0]` → `options[document][allowed_types][0]`.
fn api_param_name(path: &str) -> Option<String> {
    if path.is_empty() || path == "." {
        return None;
    }
    let mut segments = Vec::new();
    for part in path.split('.') {
        match part.find('[') {
            Some(i) => {
                segments.push(part[..i].to_string());
                segments.extend(part[i..].split(['[', ']']).filter(|s| !s.is_empty()).map(String::from));
            }
            None => segments.push(part.to_string()),
        }
    }
    let mut out = segments[0].clone();
    for s in &segments[1..] {
        out.push('[');
        out.push_str(s);
        out.push(']');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn metadata_empty_map_unsets_all_and_empty_value_unsets_one() {
        let p = UpdateVerificationSession { metadata: Some(Metadata::clear()), ..Default::default() };
        assert_eq!(serde_json::to_value(&p).unwrap(), json!({"metadata": ""}));
        let p: UpdateVerificationSession =
            from_json(json!({"metadata": {"a": "", "b": null, "c": "x"}})).unwrap();
        let m = p.metadata.unwrap().0;
        assert_eq!(m["a"], "");
        assert_eq!(m["b"], "");
        assert_eq!(m["c"], "x");
        let p: UpdateVerificationSession = from_json(json!({"metadata": ""})).unwrap();
        assert_eq!(p.metadata, Some(Metadata::clear()));
    }

    #[test]
    fn wrong_types_name_the_parameter() {
        let e = from_json::<CreateVerificationSession>(json!({"metadata": 42})).unwrap_err();
        assert_eq!(e.param(), Some("metadata"));
        let e = from_json::<CreateVerificationSession>(
            json!({"options": {"document": {"require_id_number": "yes"}}}),
        )
        .unwrap_err();
        assert_eq!(e.param(), Some("options[document][require_id_number]"));
        let e = from_json::<ListVerificationSessions>(json!({"limit": "ten"})).unwrap_err();
        assert_eq!(e.param(), Some("limit"));
        let e = from_json::<ListVerificationSessions>(json!([1])).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
    }

    #[test]
    fn nesting_is_checked_before_typed_decoding() {
        let mut options = json!("x");
        for _ in 0..40 {
            options = json!({ "a": options });
        }
        let e = from_json::<CreateVerificationSession>(json!({"type": "document", "options": options}))
            .unwrap_err();
        assert_eq!((e.kind(), e.param()), (crate::ErrorKind::InvalidArgument, Some("options")));
        // The API's own deepest parameters are well within.
        let p: CreateVerificationSession =
            from_json(json!({"options": {"document": {"allowed_types": ["passport"]}}})).unwrap();
        assert!(p.options.is_some());
    }

    #[test]
    fn unknown_parameters_pass_through_for_the_api_to_judge() {
        let p: CreateVerificationSession = from_json(json!({"type": "document", "colour": "blue"})).unwrap();
        assert_eq!(p.extra["colour"], "blue");
        assert_eq!(serde_json::to_value(&p).unwrap(), json!({"type": "document", "colour": "blue"}));
    }

    #[test]
    fn created_is_an_integer_or_a_range_and_document_options_can_be_unset() {
        let p: ListVerificationSessions = from_json(json!({"created": 5})).unwrap();
        assert_eq!(p.created, Some(RangeQuery::Exact(5)));
        let p: ListVerificationSessions = from_json(json!({"created": {"gte": 5, "lt": 9}})).unwrap();
        assert_eq!(
            p.created,
            Some(RangeQuery::Range(Range { gte: Some(5), lt: Some(9), ..Default::default() }))
        );
        assert!(from_json::<ListVerificationSessions>(json!({"created": {"after": 5}})).is_err());
        let p: UpdateVerificationSession = from_json(json!({"options": {"document": ""}})).unwrap();
        assert_eq!(p.options.unwrap().document, Some(Emptyable::Unset));
    }
}
