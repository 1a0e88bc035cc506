//! The VerificationSession object (`identity.verification_session`).

use super::expandable::{double_option, Expandable, HasId};
use super::{
    DocumentType, IdNumberType, LastErrorCode, MatchingPolicy, RedactionStatus, Sex, VerificationReport,
};
use super::{VerificationStatus, VerificationType};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Fields of a newer API that this version does not know, kept for a lossless round trip.
pub type Extra = Map<String, Value>;

/// A VerificationSession: one attempt to verify a user's identity.
///
/// Keys the API may leave out (`related_person`, `verification_flow`, `verified_outputs`,
/// `provided_details`) are `None` when absent; for those that may also be `null`, the inner
/// option tells `null` from a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerificationSession {
    /// `vs_...`.
    pub id: String,
    /// Always `identity.verification_session`.
    pub object: String,
    /// The caller's own reference.
    pub client_reference_id: Option<String>,
    /// Secret for Stripe.js; `null` unless the session awaits input.
    pub client_secret: Option<String>,
    /// Creation time, unix seconds.
    pub created: i64,
    /// Why the last submission failed.
    pub last_error: Option<LastError>,
    /// The latest report: its id, or the report when expanded.
    pub last_verification_report: Option<Expandable<VerificationReport>>,
    /// Live or test mode.
    pub livemode: bool,
    /// The caller's key/value data.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
    /// The checks configured.
    pub options: Option<SessionOptions>,
    /// Email and phone given at creation.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub provided_details: Option<Option<ProvidedDetails>>,
    /// Redaction progress, `null` unless redacted.
    pub redaction: Option<Redaction>,
    /// Customer id.
    #[serde(default)]
    pub related_customer: Option<String>,
    /// Id of an Account representing a customer.
    #[serde(default)]
    pub related_customer_account: Option<String>,
    /// Person the session is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_person: Option<RelatedPerson>,
    /// Lifecycle status.
    pub status: VerificationStatus,
    /// Kind of verification.
    #[serde(rename = "type")]
    pub r#type: VerificationType,
    /// Hosted verification URL; `null` unless the session awaits input.
    pub url: Option<String>,
    /// Dashboard verification flow this session was created from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_flow: Option<String>,
    /// Verified data; present only when expanded, `null` until verified.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub verified_outputs: Option<Option<VerifiedOutputs>>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for VerificationSession {
    fn id(&self) -> &str {
        &self.id
    }
}

/// `last_error`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LastError {
    /// Machine-readable reason.
    pub code: Option<LastErrorCode>,
    /// Human-readable reason.
    pub reason: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `options`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionOptions {
    /// Document check options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentOptions>,
    /// Email check options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<VerificationRequirement>,
    /// ID number check options (an empty object).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<Extra>,
    /// Matching options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matching: Option<MatchingOptions>,
    /// Phone check options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<VerificationRequirement>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `options.document` (also the report's `options.document`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocumentOptions {
    /// Document types accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_types: Option<Vec<DocumentType>>,
    /// Also collect and check an ID number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_id_number: Option<bool>,
    /// Refuse uploaded images; require a live capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_live_capture: Option<bool>,
    /// Also take a selfie and match it to the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_matching_selfie: Option<bool>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `options.email` and `options.phone`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VerificationRequirement {
    /// Whether the value must be verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub require_verification: Option<bool>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `options.matching`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MatchingOptions {
    /// Date of birth matching.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<MatchingPolicy>,
    /// Name matching.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<MatchingPolicy>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `provided_details`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProvidedDetails {
    /// Email the user gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone the user gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `redaction`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redaction {
    /// Progress of the redaction.
    pub status: RedactionStatus,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `related_person`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RelatedPerson {
    /// `acct_...`.
    pub account: String,
    /// `person_...`.
    pub person: String,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `verified_outputs`. Keys the API only includes on request (`dob`, `id_number`, `sex`,
/// `unparsed_*`) are `None` when absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VerifiedOutputs {
    /// Verified address.
    pub address: Option<Address>,
    /// Date of birth (`expand[]=verified_outputs.dob`).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub dob: Option<Option<Date>>,
    /// Verified email.
    pub email: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// ID number (`expand[]=verified_outputs.id_number`).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub id_number: Option<Option<String>>,
    /// Kind of ID number.
    pub id_number_type: Option<IdNumberType>,
    /// Last name.
    pub last_name: Option<String>,
    /// Verified phone.
    pub phone: Option<String>,
    /// Sex (`expand[]=verified_outputs.sex`).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub sex: Option<Option<Sex>>,
    /// Place of birth as printed (`expand[]=verified_outputs.unparsed_place_of_birth`).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub unparsed_place_of_birth: Option<Option<String>>,
    /// Sex as printed (`expand[]=verified_outputs.unparsed_sex`).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub unparsed_sex: Option<Option<String>>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A postal address; every part nullable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    /// City.
    pub city: Option<String>,
    /// Two-letter country code.
    pub country: Option<String>,
    /// Street line 1.
    pub line1: Option<String>,
    /// Street line 2.
    pub line2: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// State or province.
    pub state: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A date (`dob`, `expiration_date`, `issued_date`); every part nullable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Date {
    /// Day of month.
    pub day: Option<i64>,
    /// Month.
    pub month: Option<i64>,
    /// Year.
    pub year: Option<i64>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}
