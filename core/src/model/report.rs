//! The VerificationReport object (`identity.verification_report`): the result of one submission.

use super::expandable::{double_option, HasId};
use super::session::{Address, Date, DocumentOptions, Extra};
use super::{CheckStatus, DocumentType, IdNumberType, LastErrorCode, Sex, VerificationType};
use serde::{Deserialize, Serialize};

/// A VerificationReport.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerificationReport {
    /// `vr_...`.
    pub id: String,
    /// Always `identity.verification_report`.
    pub object: String,
    /// The session's `client_reference_id`.
    #[serde(default)]
    pub client_reference_id: Option<String>,
    /// Creation time, unix seconds.
    pub created: i64,
    /// Live or test mode.
    pub livemode: bool,
    /// Kind of verification.
    #[serde(rename = "type")]
    pub r#type: VerificationType,
    /// Dashboard verification flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_flow: Option<String>,
    /// Session the report belongs to.
    #[serde(default)]
    pub verification_session: Option<String>,
    /// Document check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentReport>,
    /// ID number check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<IdNumberReport>,
    /// Selfie check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selfie: Option<SelfieReport>,
    /// Email check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<ContactReport>,
    /// Phone check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<ContactReport>,
    /// Options the checks ran with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<ReportOptions>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for VerificationReport {
    fn id(&self) -> &str {
        &self.id
    }
}

/// `error` of one check: present when its status is `unverified`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckError {
    /// Machine-readable reason.
    pub code: Option<LastErrorCode>,
    /// Human-readable reason.
    pub reason: Option<String>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `document` of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentReport {
    /// Address on the document.
    #[serde(default)]
    pub address: Option<Address>,
    /// Date of birth (on request).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub dob: Option<Option<Date>>,
    /// Why the check failed.
    #[serde(default)]
    pub error: Option<CheckError>,
    /// Expiry date (on request).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub expiration_date: Option<Option<Date>>,
    /// File ids of the document images.
    #[serde(default)]
    pub files: Option<Vec<String>>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Issue date.
    #[serde(default)]
    pub issued_date: Option<Date>,
    /// Issuing country.
    #[serde(default)]
    pub issuing_country: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Document number (on request).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub number: Option<Option<String>>,
    /// Sex (on request).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub sex: Option<Option<Sex>>,
    /// Result of the check.
    pub status: CheckStatus,
    /// Document type.
    #[serde(default, rename = "type")]
    pub r#type: Option<DocumentType>,
    /// Place of birth as printed (on request).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub unparsed_place_of_birth: Option<Option<String>>,
    /// Sex as printed (on request).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub unparsed_sex: Option<Option<String>>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `id_number` of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdNumberReport {
    /// Date of birth (on request).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub dob: Option<Option<Date>>,
    /// Why the check failed.
    #[serde(default)]
    pub error: Option<CheckError>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// ID number (on request; only the last 4 digits for `us_ssn`).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub id_number: Option<Option<String>>,
    /// Kind of ID number.
    #[serde(default)]
    pub id_number_type: Option<IdNumberType>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Result of the check.
    pub status: CheckStatus,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `selfie` of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelfieReport {
    /// File id of the document photo.
    #[serde(default)]
    pub document: Option<String>,
    /// Why the check failed.
    #[serde(default)]
    pub error: Option<CheckError>,
    /// File id of the selfie.
    #[serde(default)]
    pub selfie: Option<String>,
    /// Result of the check.
    pub status: CheckStatus,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `email` or `phone` of a report. The check's own key (`email` of the email check) is always
/// present, `null` when there is no value: `Some(None)` keeps that `null` through a round trip,
/// `None` is a key the object does not have (`phone` of the email check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactReport {
    /// The email (email check).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub email: Option<Option<String>>,
    /// The phone (phone check).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "double_option")]
    pub phone: Option<Option<String>>,
    /// Why the check failed.
    #[serde(default)]
    pub error: Option<CheckError>,
    /// Result of the check.
    pub status: CheckStatus,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `options` of a report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportOptions {
    /// Document options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentOptions>,
    /// ID number options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<Extra>,
    /// Fields this version does not know.
    #[serde(flatten)]
    pub extra: Extra,
}
