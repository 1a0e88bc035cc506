//! Typed parameters of every operation, and their conversion into the wire format.
//!
//! Every parameter struct keeps parameters this version does not know in `extra`, and sends them
//! as given, so the API (or the simulator) answers them with its own error rather than this
//! library deciding for it.

use crate::error::Error;
use crate::model::{DocumentType, LastErrorCode, RequestedVerificationType, VerificationStatus};
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
        use serde::de::{Error as _, Unexpected};
        // Worded as serde words type errors (`invalid type: ...`), which `from_json` reads as
        // a wrong type; a non-empty string is a bad value.
        let expected = &"a map of strings, or \"\" to unset";
        match Repr::deserialize(d).map_err(|_| {
            D::Error::invalid_type(Unexpected::Other("a value that is not a map of strings"), expected)
        })? {
            Repr::Map(m) => Ok(Metadata(m.into_iter().map(|(k, v)| (k, v.unwrap_or_default())).collect())),
            Repr::Str(s) if s.is_empty() => Ok(Metadata::clear()),
            Repr::Str(s) => Err(D::Error::invalid_value(Unexpected::Str(&s), expected)),
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
    pub r#type: Option<RequestedVerificationType>,
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
    pub r#type: Option<RequestedVerificationType>,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum RangeQuery {
    /// Exactly this unix time.
    Exact(i64),
    /// Bounds, each optional.
    Range(Range),
}

// By hand rather than `untagged`, whose one message for every failure would hide whether the
// type was wrong (`{"gte": "yesterday"}`) or a key unknown (`{"after": 1}`).
impl<'de> Deserialize<'de> for RangeQuery {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error as _, Unexpected};
        let expected = &"a unix time or an object of gt, gte, lt, lte";
        match Value::deserialize(d)? {
            Value::Number(n) => match n.as_i64() {
                Some(t) => Ok(RangeQuery::Exact(t)),
                None => Err(D::Error::invalid_type(
                    Unexpected::Other("a number that is not a whole unix time"),
                    expected,
                )),
            },
            range @ Value::Object(_) => serde_json::from_value(range)
                .map(RangeQuery::Range)
                .map_err(|e| D::Error::custom(e.to_string())),
            _ => Err(D::Error::invalid_type(Unexpected::Other("a value that is neither"), expected)),
        }
    }
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
    pub r#type: Option<RequestedVerificationType>,
    /// Only the reports of this session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verification_session: Option<String>,
    /// Parameters this version does not know.
    #[serde(flatten)]
    pub extra: ExtraParams,
}

/// Parameters of an event's retrieve.
pub type RetrieveEvent = ExpandParams;

/// Parameters of the events list (`GET /v1/events`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListEvents {
    /// Only events created at or in this time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<RangeQuery>,
    /// Only events whose webhook deliveries all succeeded (`true`) or did not (`false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivery_success: Option<bool>,
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
    /// Only events of this type; `*` wildcards match any text (`identity.verification_session.*`).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// Only events of one of these types (no wildcards); not with `type`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<String>,
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

/// What a JSON `null` among parameters means. The official SDKs differ, and each binding keeps
/// its ecosystem's meaning so that code written for that SDK does the same here:
///
/// | binding | meaning | as |
/// | --- | --- | --- |
/// | Rust, Python, C | [`Nulls::Omit`] | stripe-python, which leaves `None` out |
/// | Node | [`Nulls::Unset`] | stripe-node, which sends `null` as `''` |
///
/// Either way the API's own way to unset, the empty string, works in every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    /// A `null` is as if the key were not there (the wire encoding leaves it out).
    Omit,
    /// A `null` is sent as the empty string, which unsets the value (`{metadata: null}` clears
    /// all metadata).
    Unset,
}

impl Nulls {
    /// Applies this meaning to parameters given as JSON, before they are encoded. Call after
    /// the depth check ([`crate::nesting`]): this recurses once per level.
    pub fn apply(self, params: &mut Value) {
        fn unset(v: &mut Value) {
            match v {
                Value::Null => *v = Value::String(String::new()),
                Value::Array(items) => items.iter_mut().for_each(unset),
                Value::Object(map) => map.values_mut().for_each(unset),
                _ => {}
            }
        }
        // Omit needs nothing: the encoder already leaves nulls out. The top level is the
        // parameters themselves, not a value, so a null there stays "no parameters".
        if let (Nulls::Unset, Value::Object(map)) = (self, params) {
            map.values_mut().for_each(unset);
        }
    }
}

/// Encodes any parameter struct into the API's form encoding.
pub fn to_form<P: Serialize>(params: &P) -> Result<String, Error> {
    // The same text without a `Value` between, for every shape but a few rare ones.
    if let Some(form) = crate::wire::encode_direct(params) {
        return Ok(form);
    }
    let value = serde_json::to_value(params)
        .map_err(|e| Error::invalid_argument(None, format!("parameters could not be encoded: {e}")))?;
    Ok(crate::wire::encode(&value))
}

/// Reads parameters given as JSON (from a binding) into a typed struct. A value of the wrong
/// type is an [`Error::InvalidType`] (another bad value an [`Error::InvalidArgument`]) naming the parameter the way the API does
/// (`options[document][require_id_number]`), and so is nesting past
/// [`MAX_DEPTH`](crate::nesting::MAX_DEPTH).
pub fn from_json<P: DeserializeOwned>(value: Value) -> Result<P, Error> {
    if !(value.is_object() || value.is_null()) {
        return Err(Error::invalid_type(None, "parameters must be an object"));
    }
    crate::nesting::check(&value)?;
    let value = if value.is_null() { Value::Object(Map::new()) } else { value };
    // Parameters are most often right: read them without tracking where the reader is (a
    // third of this function's cost), and read them again with the path only to name what is
    // wrong.
    if let Ok(params) = P::deserialize(&value) {
        return Ok(params);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let param = api_param_name(&e.path().to_string());
        let inner = e.inner().to_string();
        let message = format!("{}: {inner}", param.as_deref().unwrap_or("parameters"));
        // serde words every type mismatch `invalid type: ...` (`de::Error::invalid_type`); the
        // rest (an unknown range key, a bad enum name in a closed set) are bad values.
        if inner.starts_with("invalid type:") {
            Error::InvalidType { param, message }
        } else {
            Error::InvalidArgument { param, message }
        }
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
    fn nulls_omit_or_unset() {
        let given =
            json!({"metadata": {"a": null, "b": "1"}, "options": {"document": null}, "expand": [null]});
        let mut unset = given.clone();
        Nulls::Unset.apply(&mut unset);
        assert_eq!(
            unset,
            json!({"metadata": {"a": "", "b": "1"}, "options": {"document": ""}, "expand": [""]})
        );
        assert_eq!(crate::wire::encode(&unset), "expand[0]=&metadata[a]=&metadata[b]=1&options[document]=");
        let mut omit = given.clone();
        Nulls::Omit.apply(&mut omit);
        assert_eq!(omit, given);
        assert_eq!(crate::wire::encode(&omit), "metadata[b]=1");
        let mut none = Value::Null;
        Nulls::Unset.apply(&mut none);
        assert_eq!(none, Value::Null);
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
        assert_eq!((e.kind(), e.param()), (crate::ErrorKind::InvalidType, Some("limit")));
        let e = from_json::<ListVerificationSessions>(json!([1])).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidType);
        // A key a range does not have is a bad value, not a wrong type.
        let e = from_json::<ListVerificationSessions>(json!({"created": {"after": 1}})).unwrap_err();
        assert_eq!((e.kind(), e.param()), (crate::ErrorKind::InvalidArgument, Some("created")));
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
