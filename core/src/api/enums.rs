//! Every enum of the API and its values, all open (see [`open_enum`](super::open_enum)): a
//! value this version does not know is kept as it came.

use super::open_enum::open_enum;

open_enum! {
    /// `status` of a VerificationSession.
    VerificationStatus {
        /// Waiting for the user to submit (again).
        RequiresInput => "requires_input",
        /// Checks are running.
        Processing => "processing",
        /// Every check passed.
        Verified => "verified",
        /// Canceled; no further submissions.
        Canceled => "canceled",
    }
}

open_enum! {
    /// `type` of a session or report.
    VerificationType {
        /// A photo ID document (optionally with a selfie).
        Document => "document",
        /// An ID number checked against databases.
        IdNumber => "id_number",
        /// Configured by a Dashboard verification flow (never accepted as a parameter).
        VerificationFlow => "verification_flow",
    }
}

open_enum! {
    /// `type` as a parameter of create and update: the two types a caller may ask for.
    /// `verification_flow` is only ever answered (a session made from a Dashboard flow), so it
    /// has no variant here.
    RequestedVerificationType {
        /// A photo ID document (optionally with a selfie).
        Document => "document",
        /// An ID number checked against databases.
        IdNumber => "id_number",
    }
}

open_enum! {
    /// `last_error.code`, and the `error.code` of each report check.
    LastErrorCode {
        /// The user abandoned the flow.
        Abandoned => "abandoned",
        /// The user declined consent.
        ConsentDeclined => "consent_declined",
        /// The document's country is not supported.
        CountryNotSupported => "country_not_supported",
        /// The user's device is not supported.
        DeviceNotSupported => "device_not_supported",
        /// The document has expired.
        DocumentExpired => "document_expired",
        /// The document type is not allowed.
        DocumentTypeNotSupported => "document_type_not_supported",
        /// The document could not be verified.
        DocumentUnverifiedOther => "document_unverified_other",
        /// The email could not be verified.
        EmailUnverifiedOther => "email_unverified_other",
        /// The user declined email verification.
        EmailVerificationDeclined => "email_verification_declined",
        /// Not enough data on the document to check the ID number.
        IdNumberInsufficientDocumentData => "id_number_insufficient_document_data",
        /// The ID number does not match.
        IdNumberMismatch => "id_number_mismatch",
        /// The ID number could not be verified.
        IdNumberUnverifiedOther => "id_number_unverified_other",
        /// The phone could not be verified.
        PhoneUnverifiedOther => "phone_unverified_other",
        /// The user declined phone verification.
        PhoneVerificationDeclined => "phone_verification_declined",
        /// The document has no photo to match the selfie with.
        SelfieDocumentMissingPhoto => "selfie_document_missing_photo",
        /// The selfie does not match the document photo.
        SelfieFaceMismatch => "selfie_face_mismatch",
        /// The selfie was manipulated.
        SelfieManipulated => "selfie_manipulated",
        /// The selfie could not be verified.
        SelfieUnverifiedOther => "selfie_unverified_other",
        /// The user is under the supported age.
        UnderSupportedAge => "under_supported_age",
    }
}

open_enum! {
    /// `redaction.status`.
    RedactionStatus {
        /// Redaction has started.
        Processing => "processing",
        /// Personal data is gone.
        Redacted => "redacted",
        /// Present in the 2026 SDK types; meaning not documented.
        Validated => "validated",
    }
}

open_enum! {
    /// A document type in `options.document.allowed_types` and reports.
    DocumentType {
        /// Driving license.
        DrivingLicense => "driving_license",
        /// National ID card.
        IdCard => "id_card",
        /// Passport.
        Passport => "passport",
    }
}

open_enum! {
    /// `verified_outputs.id_number_type`.
    IdNumberType {
        /// Brazilian CPF.
        BrCpf => "br_cpf",
        /// Singapore NRIC.
        SgNric => "sg_nric",
        /// US Social Security number.
        UsSsn => "us_ssn",
    }
}

open_enum! {
    /// `verified_outputs.sex`.
    Sex {
        /// Erased by redaction.
        Redacted => "[redacted]",
        /// Female.
        Female => "female",
        /// Male.
        Male => "male",
        /// Unknown.
        Unknown_ => "unknown",
    }
}

open_enum! {
    /// `options.matching.dob` and `options.matching.name`.
    MatchingPolicy {
        /// No matching.
        None => "none",
        /// Similar values match.
        Similar => "similar",
    }
}

open_enum! {
    /// `status` of one check in a VerificationReport.
    CheckStatus {
        /// The check passed.
        Verified => "verified",
        /// The check failed; see its `error`.
        Unverified => "unverified",
    }
}

/// `document.error.code` of a report: the document codes of [`LastErrorCode`].
pub const DOCUMENT_ERROR_CODES: &[&str] =
    &["document_expired", "document_type_not_supported", "document_unverified_other"];
/// `selfie.error.code` of a report.
pub const SELFIE_ERROR_CODES: &[&str] = &[
    "selfie_document_missing_photo",
    "selfie_face_mismatch",
    "selfie_manipulated",
    "selfie_unverified_other",
];
/// `id_number.error.code` of a report.
pub const ID_NUMBER_ERROR_CODES: &[&str] =
    &["id_number_insufficient_document_data", "id_number_mismatch", "id_number_unverified_other"];
/// `email.error.code` of a report.
pub const EMAIL_ERROR_CODES: &[&str] = &["email_unverified_other", "email_verification_declined"];
/// `phone.error.code` of a report.
pub const PHONE_ERROR_CODES: &[&str] = &["phone_unverified_other", "phone_verification_declined"];

/// The `type` of every event a session's transitions record.
pub const SESSION_EVENT_TYPES: &[&str] = &[
    "identity.verification_session.canceled",
    "identity.verification_session.created",
    "identity.verification_session.processing",
    "identity.verification_session.redacted",
    "identity.verification_session.requires_input",
    "identity.verification_session.verified",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip() {
        for s in VerificationStatus::KNOWN {
            let v: VerificationStatus = serde_json::from_str(&format!("\"{s}\"")).unwrap();
            assert!(v.is_known());
            assert_eq!(serde_json::to_string(&v).unwrap(), format!("\"{s}\""));
        }
        assert_eq!(Sex::parse("[redacted]"), Sex::Redacted);
        assert_eq!(Sex::parse("unknown"), Sex::Unknown_);
    }

    #[test]
    fn unknown_values_are_kept_verbatim() {
        let v: VerificationStatus = serde_json::from_str("\"requires_magic\"").unwrap();
        assert_eq!(v, VerificationStatus::Unknown("requires_magic".into()));
        assert!(!v.is_known());
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"requires_magic\"");
        assert!(serde_json::from_str::<VerificationStatus>("3").is_err());
    }
}
