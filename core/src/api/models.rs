//! Every field of the objects the API answers, as data: its type, whether it may be `null`,
//! whether `expand[]` names it, and whether it appears only when expanded. Each [`Model`] is
//! named after the schema of Stripe's OpenAPI spec it stands for, so `core/tests/openapi.rs`
//! compares them field by field.

use super::enums::{
    CheckStatus, DocumentType, IdNumberType, LastErrorCode, MatchingPolicy, RedactionStatus, Sex,
    VerificationStatus, VerificationType, DOCUMENT_ERROR_CODES, EMAIL_ERROR_CODES, ID_NUMBER_ERROR_CODES,
    PHONE_ERROR_CODES, SELFIE_ERROR_CODES,
};

/// The type of a field.
#[derive(Debug)]
pub enum Type {
    /// A string of at most this many characters (0: no limit stated).
    Str(usize),
    /// An integer (unix times included).
    Int,
    /// `true` or `false`.
    Bool,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// Always this string (`object`).
    Const(&'static str),
    /// A nested object.
    Object(&'static Model),
    /// An id, or the object when expanded.
    Expandable(&'static Model),
    /// A hash of strings (`metadata`).
    Metadata,
    /// An array of the inner type.
    Array(&'static Type),
}

/// One field of an object.
#[derive(Debug)]
pub struct Field {
    /// The key.
    pub name: &'static str,
    /// Its type.
    pub ty: Type,
    /// It may be `null`.
    pub nullable: bool,
    /// `expand[]` may name it.
    pub expandable: bool,
    /// Absent unless expanded.
    pub expand_only: bool,
}

/// An object: its spec schema name and its fields, in the spec's (alphabetical) order.
#[derive(Debug)]
pub struct Model {
    /// The schema's name in Stripe's OpenAPI spec.
    pub name: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
}

impl Model {
    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// `identity.verification_session`.
pub static VERIFICATION_SESSION: Model = Model {
    name: "identity.verification_session",
    fields: &[
        Field {
            name: "client_reference_id",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "client_secret",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "created", ty: Type::Int, nullable: false, expandable: false, expand_only: false },
        Field { name: "id", ty: Type::Str(5000), nullable: false, expandable: false, expand_only: false },
        Field {
            name: "last_error",
            ty: Type::Object(&GELATO_SESSION_LAST_ERROR),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "last_verification_report",
            ty: Type::Expandable(&VERIFICATION_REPORT),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field { name: "livemode", ty: Type::Bool, nullable: false, expandable: false, expand_only: false },
        Field {
            name: "metadata",
            ty: Type::Metadata,
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "object",
            ty: Type::Const("identity.verification_session"),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "options",
            ty: Type::Object(&GELATO_VERIFICATION_SESSION_OPTIONS),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "provided_details",
            ty: Type::Object(&GELATO_PROVIDED_DETAILS),
            nullable: true,
            expandable: true,
            expand_only: true,
        },
        Field {
            name: "redaction",
            ty: Type::Object(&VERIFICATION_SESSION_REDACTION),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "related_customer",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "related_customer_account",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "related_person",
            ty: Type::Object(&GELATO_RELATED_PERSON),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "status",
            ty: Type::Enum(VerificationStatus::KNOWN),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "type",
            ty: Type::Enum(VerificationType::KNOWN),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field { name: "url", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
        Field {
            name: "verification_flow",
            ty: Type::Str(5000),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "verified_outputs",
            ty: Type::Object(&GELATO_VERIFIED_OUTPUTS),
            nullable: true,
            expandable: true,
            expand_only: true,
        },
    ],
};

/// `gelato_session_last_error`.
pub static GELATO_SESSION_LAST_ERROR: Model = Model {
    name: "gelato_session_last_error",
    fields: &[
        Field {
            name: "code",
            ty: Type::Enum(LastErrorCode::KNOWN),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "reason", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
    ],
};

/// `identity.verification_report`.
pub static VERIFICATION_REPORT: Model = Model {
    name: "identity.verification_report",
    fields: &[
        Field {
            name: "client_reference_id",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "created", ty: Type::Int, nullable: false, expandable: false, expand_only: false },
        Field {
            name: "document",
            ty: Type::Object(&GELATO_DOCUMENT_REPORT),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "email",
            ty: Type::Object(&GELATO_EMAIL_REPORT),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field { name: "id", ty: Type::Str(5000), nullable: false, expandable: false, expand_only: false },
        Field {
            name: "id_number",
            ty: Type::Object(&GELATO_ID_NUMBER_REPORT),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field { name: "livemode", ty: Type::Bool, nullable: false, expandable: false, expand_only: false },
        Field {
            name: "object",
            ty: Type::Const("identity.verification_report"),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "options",
            ty: Type::Object(&GELATO_VERIFICATION_REPORT_OPTIONS),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "phone",
            ty: Type::Object(&GELATO_PHONE_REPORT),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "selfie",
            ty: Type::Object(&GELATO_SELFIE_REPORT),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "type",
            ty: Type::Enum(VerificationType::KNOWN),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "verification_flow",
            ty: Type::Str(5000),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "verification_session",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
    ],
};

/// `gelato_document_report`.
pub static GELATO_DOCUMENT_REPORT: Model = Model {
    name: "gelato_document_report",
    fields: &[
        Field {
            name: "address",
            ty: Type::Object(&ADDRESS),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "dob",
            ty: Type::Object(&GELATO_DATA_DOCUMENT_REPORT_DATE_OF_BIRTH),
            nullable: true,
            expandable: true,
            expand_only: true,
        },
        Field {
            name: "error",
            ty: Type::Object(&GELATO_DOCUMENT_REPORT_ERROR),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "expiration_date",
            ty: Type::Object(&GELATO_DATA_DOCUMENT_REPORT_EXPIRATION_DATE),
            nullable: true,
            expandable: true,
            expand_only: true,
        },
        Field {
            name: "files",
            ty: Type::Array(&Type::Str(5000)),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "first_name",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "issued_date",
            ty: Type::Object(&GELATO_DATA_DOCUMENT_REPORT_ISSUED_DATE),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "issuing_country",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "last_name",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "number", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: true },
        Field {
            name: "sex",
            ty: Type::Enum(Sex::KNOWN),
            nullable: true,
            expandable: false,
            expand_only: true,
        },
        Field {
            name: "status",
            ty: Type::Enum(CheckStatus::KNOWN),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "type",
            ty: Type::Enum(DocumentType::KNOWN),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "unparsed_place_of_birth",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: true,
        },
        Field {
            name: "unparsed_sex",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: true,
        },
    ],
};

/// `address`.
pub static ADDRESS: Model = Model {
    name: "address",
    fields: &[
        Field { name: "city", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
        Field { name: "country", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
        Field { name: "line1", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
        Field { name: "line2", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
        Field {
            name: "postal_code",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "state", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
    ],
};

/// `gelato_data_document_report_date_of_birth`.
pub static GELATO_DATA_DOCUMENT_REPORT_DATE_OF_BIRTH: Model = Model {
    name: "gelato_data_document_report_date_of_birth",
    fields: &[
        Field { name: "day", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
        Field { name: "month", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
        Field { name: "year", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
    ],
};

/// `gelato_document_report_error`.
pub static GELATO_DOCUMENT_REPORT_ERROR: Model = Model {
    name: "gelato_document_report_error",
    fields: &[
        Field {
            name: "code",
            ty: Type::Enum(DOCUMENT_ERROR_CODES),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "reason", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
    ],
};

/// `gelato_data_document_report_expiration_date`.
pub static GELATO_DATA_DOCUMENT_REPORT_EXPIRATION_DATE: Model = Model {
    name: "gelato_data_document_report_expiration_date",
    fields: &[
        Field { name: "day", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
        Field { name: "month", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
        Field { name: "year", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
    ],
};

/// `gelato_data_document_report_issued_date`.
pub static GELATO_DATA_DOCUMENT_REPORT_ISSUED_DATE: Model = Model {
    name: "gelato_data_document_report_issued_date",
    fields: &[
        Field { name: "day", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
        Field { name: "month", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
        Field { name: "year", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
    ],
};

/// `gelato_email_report`.
pub static GELATO_EMAIL_REPORT: Model = Model {
    name: "gelato_email_report",
    fields: &[
        Field { name: "email", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
        Field {
            name: "error",
            ty: Type::Object(&GELATO_EMAIL_REPORT_ERROR),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "status",
            ty: Type::Enum(CheckStatus::KNOWN),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
    ],
};

/// `gelato_email_report_error`.
pub static GELATO_EMAIL_REPORT_ERROR: Model = Model {
    name: "gelato_email_report_error",
    fields: &[
        Field {
            name: "code",
            ty: Type::Enum(EMAIL_ERROR_CODES),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "reason", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
    ],
};

/// `gelato_id_number_report`.
pub static GELATO_ID_NUMBER_REPORT: Model = Model {
    name: "gelato_id_number_report",
    fields: &[
        Field {
            name: "dob",
            ty: Type::Object(&GELATO_DATA_ID_NUMBER_REPORT_DATE),
            nullable: true,
            expandable: true,
            expand_only: true,
        },
        Field {
            name: "error",
            ty: Type::Object(&GELATO_ID_NUMBER_REPORT_ERROR),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "first_name",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "id_number",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: true,
        },
        Field {
            name: "id_number_type",
            ty: Type::Enum(IdNumberType::KNOWN),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "last_name",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "status",
            ty: Type::Enum(CheckStatus::KNOWN),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
    ],
};

/// `gelato_data_id_number_report_date`.
pub static GELATO_DATA_ID_NUMBER_REPORT_DATE: Model = Model {
    name: "gelato_data_id_number_report_date",
    fields: &[
        Field { name: "day", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
        Field { name: "month", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
        Field { name: "year", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
    ],
};

/// `gelato_id_number_report_error`.
pub static GELATO_ID_NUMBER_REPORT_ERROR: Model = Model {
    name: "gelato_id_number_report_error",
    fields: &[
        Field {
            name: "code",
            ty: Type::Enum(ID_NUMBER_ERROR_CODES),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "reason", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
    ],
};

/// `gelato_verification_report_options`.
pub static GELATO_VERIFICATION_REPORT_OPTIONS: Model = Model {
    name: "gelato_verification_report_options",
    fields: &[
        Field {
            name: "document",
            ty: Type::Object(&GELATO_REPORT_DOCUMENT_OPTIONS),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "id_number",
            ty: Type::Object(&GELATO_REPORT_ID_NUMBER_OPTIONS),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
    ],
};

/// `gelato_report_document_options`.
pub static GELATO_REPORT_DOCUMENT_OPTIONS: Model = Model {
    name: "gelato_report_document_options",
    fields: &[
        Field {
            name: "allowed_types",
            ty: Type::Array(&Type::Enum(DocumentType::KNOWN)),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "require_id_number",
            ty: Type::Bool,
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "require_live_capture",
            ty: Type::Bool,
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "require_matching_selfie",
            ty: Type::Bool,
            nullable: false,
            expandable: false,
            expand_only: false,
        },
    ],
};

/// `gelato_report_id_number_options`.
pub static GELATO_REPORT_ID_NUMBER_OPTIONS: Model =
    Model { name: "gelato_report_id_number_options", fields: &[] };

/// `gelato_phone_report`.
pub static GELATO_PHONE_REPORT: Model = Model {
    name: "gelato_phone_report",
    fields: &[
        Field {
            name: "error",
            ty: Type::Object(&GELATO_PHONE_REPORT_ERROR),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field { name: "phone", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
        Field {
            name: "status",
            ty: Type::Enum(CheckStatus::KNOWN),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
    ],
};

/// `gelato_phone_report_error`.
pub static GELATO_PHONE_REPORT_ERROR: Model = Model {
    name: "gelato_phone_report_error",
    fields: &[
        Field {
            name: "code",
            ty: Type::Enum(PHONE_ERROR_CODES),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "reason", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
    ],
};

/// `gelato_selfie_report`.
pub static GELATO_SELFIE_REPORT: Model = Model {
    name: "gelato_selfie_report",
    fields: &[
        Field {
            name: "document",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "error",
            ty: Type::Object(&GELATO_SELFIE_REPORT_ERROR),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field { name: "selfie", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
        Field {
            name: "status",
            ty: Type::Enum(CheckStatus::KNOWN),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
    ],
};

/// `gelato_selfie_report_error`.
pub static GELATO_SELFIE_REPORT_ERROR: Model = Model {
    name: "gelato_selfie_report_error",
    fields: &[
        Field {
            name: "code",
            ty: Type::Enum(SELFIE_ERROR_CODES),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "reason", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
    ],
};

/// `gelato_verification_session_options`.
pub static GELATO_VERIFICATION_SESSION_OPTIONS: Model = Model {
    name: "gelato_verification_session_options",
    fields: &[
        Field {
            name: "document",
            ty: Type::Object(&GELATO_SESSION_DOCUMENT_OPTIONS),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "email",
            ty: Type::Object(&GELATO_SESSION_EMAIL_OPTIONS),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "id_number",
            ty: Type::Object(&GELATO_SESSION_ID_NUMBER_OPTIONS),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "matching",
            ty: Type::Object(&GELATO_SESSION_MATCHING_OPTIONS),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "phone",
            ty: Type::Object(&GELATO_SESSION_PHONE_OPTIONS),
            nullable: false,
            expandable: true,
            expand_only: false,
        },
    ],
};

/// `gelato_session_document_options`.
pub static GELATO_SESSION_DOCUMENT_OPTIONS: Model = Model {
    name: "gelato_session_document_options",
    fields: &[
        Field {
            name: "allowed_types",
            ty: Type::Array(&Type::Enum(DocumentType::KNOWN)),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "require_id_number",
            ty: Type::Bool,
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "require_live_capture",
            ty: Type::Bool,
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "require_matching_selfie",
            ty: Type::Bool,
            nullable: false,
            expandable: false,
            expand_only: false,
        },
    ],
};

/// `gelato_session_email_options`.
pub static GELATO_SESSION_EMAIL_OPTIONS: Model = Model {
    name: "gelato_session_email_options",
    fields: &[Field {
        name: "require_verification",
        ty: Type::Bool,
        nullable: false,
        expandable: false,
        expand_only: false,
    }],
};

/// `gelato_session_id_number_options`.
pub static GELATO_SESSION_ID_NUMBER_OPTIONS: Model =
    Model { name: "gelato_session_id_number_options", fields: &[] };

/// `gelato_session_matching_options`.
pub static GELATO_SESSION_MATCHING_OPTIONS: Model = Model {
    name: "gelato_session_matching_options",
    fields: &[
        Field {
            name: "dob",
            ty: Type::Enum(MatchingPolicy::KNOWN),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "name",
            ty: Type::Enum(MatchingPolicy::KNOWN),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
    ],
};

/// `gelato_session_phone_options`.
pub static GELATO_SESSION_PHONE_OPTIONS: Model = Model {
    name: "gelato_session_phone_options",
    fields: &[Field {
        name: "require_verification",
        ty: Type::Bool,
        nullable: false,
        expandable: false,
        expand_only: false,
    }],
};

/// `gelato_provided_details`.
pub static GELATO_PROVIDED_DETAILS: Model = Model {
    name: "gelato_provided_details",
    fields: &[
        Field { name: "email", ty: Type::Str(5000), nullable: false, expandable: false, expand_only: false },
        Field { name: "phone", ty: Type::Str(5000), nullable: false, expandable: false, expand_only: false },
    ],
};

/// `verification_session_redaction`.
pub static VERIFICATION_SESSION_REDACTION: Model = Model {
    name: "verification_session_redaction",
    fields: &[Field {
        name: "status",
        ty: Type::Enum(RedactionStatus::KNOWN),
        nullable: false,
        expandable: false,
        expand_only: false,
    }],
};

/// `gelato_related_person`.
pub static GELATO_RELATED_PERSON: Model = Model {
    name: "gelato_related_person",
    fields: &[
        Field {
            name: "account",
            ty: Type::Str(5000),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field { name: "person", ty: Type::Str(5000), nullable: false, expandable: false, expand_only: false },
    ],
};

/// `gelato_verified_outputs`.
pub static GELATO_VERIFIED_OUTPUTS: Model = Model {
    name: "gelato_verified_outputs",
    fields: &[
        Field {
            name: "address",
            ty: Type::Object(&ADDRESS),
            nullable: true,
            expandable: true,
            expand_only: false,
        },
        Field {
            name: "dob",
            ty: Type::Object(&GELATO_DATA_VERIFIED_OUTPUTS_DATE),
            nullable: true,
            expandable: true,
            expand_only: true,
        },
        Field { name: "email", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
        Field {
            name: "first_name",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "id_number",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: true,
        },
        Field {
            name: "id_number_type",
            ty: Type::Enum(IdNumberType::KNOWN),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "last_name",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "phone", ty: Type::Str(5000), nullable: true, expandable: false, expand_only: false },
        Field {
            name: "sex",
            ty: Type::Enum(Sex::KNOWN),
            nullable: true,
            expandable: false,
            expand_only: true,
        },
        Field {
            name: "unparsed_place_of_birth",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: true,
        },
        Field {
            name: "unparsed_sex",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: true,
        },
    ],
};

/// `gelato_data_verified_outputs_date`.
pub static GELATO_DATA_VERIFIED_OUTPUTS_DATE: Model = Model {
    name: "gelato_data_verified_outputs_date",
    fields: &[
        Field { name: "day", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
        Field { name: "month", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
        Field { name: "year", ty: Type::Int, nullable: true, expandable: false, expand_only: false },
    ],
};

/// `webhook_endpoint`. `secret` is in the create answer only.
pub static WEBHOOK_ENDPOINT: Model = Model {
    name: "webhook_endpoint",
    fields: &[
        Field {
            name: "api_version",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "application",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field { name: "created", ty: Type::Int, nullable: false, expandable: false, expand_only: false },
        Field {
            name: "description",
            ty: Type::Str(5000),
            nullable: true,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "enabled_events",
            ty: Type::Array(&Type::Str(5000)),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field { name: "id", ty: Type::Str(5000), nullable: false, expandable: false, expand_only: false },
        Field { name: "livemode", ty: Type::Bool, nullable: false, expandable: false, expand_only: false },
        Field {
            name: "metadata",
            ty: Type::Metadata,
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        Field {
            name: "object",
            ty: Type::Const("webhook_endpoint"),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
        // Absent but from the create answer: not "expand-only", yet never always present.
        Field { name: "secret", ty: Type::Str(5000), nullable: false, expandable: false, expand_only: true },
        Field { name: "status", ty: Type::Str(5000), nullable: false, expandable: false, expand_only: false },
        Field { name: "url", ty: Type::Str(5000), nullable: false, expandable: false, expand_only: false },
    ],
};

/// `deleted_webhook_endpoint`: what deleting an endpoint answers.
pub static DELETED_WEBHOOK_ENDPOINT: Model = Model {
    name: "deleted_webhook_endpoint",
    fields: &[
        Field { name: "deleted", ty: Type::Bool, nullable: false, expandable: false, expand_only: false },
        Field { name: "id", ty: Type::Str(5000), nullable: false, expandable: false, expand_only: false },
        Field {
            name: "object",
            ty: Type::Const("webhook_endpoint"),
            nullable: false,
            expandable: false,
            expand_only: false,
        },
    ],
};

/// Every object described, the top-level ones first.
pub static MODELS: &[&Model] = &[
    &VERIFICATION_SESSION,
    &GELATO_SESSION_LAST_ERROR,
    &VERIFICATION_REPORT,
    &GELATO_DOCUMENT_REPORT,
    &ADDRESS,
    &GELATO_DATA_DOCUMENT_REPORT_DATE_OF_BIRTH,
    &GELATO_DOCUMENT_REPORT_ERROR,
    &GELATO_DATA_DOCUMENT_REPORT_EXPIRATION_DATE,
    &GELATO_DATA_DOCUMENT_REPORT_ISSUED_DATE,
    &GELATO_EMAIL_REPORT,
    &GELATO_EMAIL_REPORT_ERROR,
    &GELATO_ID_NUMBER_REPORT,
    &GELATO_DATA_ID_NUMBER_REPORT_DATE,
    &GELATO_ID_NUMBER_REPORT_ERROR,
    &GELATO_VERIFICATION_REPORT_OPTIONS,
    &GELATO_REPORT_DOCUMENT_OPTIONS,
    &GELATO_REPORT_ID_NUMBER_OPTIONS,
    &GELATO_PHONE_REPORT,
    &GELATO_PHONE_REPORT_ERROR,
    &GELATO_SELFIE_REPORT,
    &GELATO_SELFIE_REPORT_ERROR,
    &GELATO_VERIFICATION_SESSION_OPTIONS,
    &GELATO_SESSION_DOCUMENT_OPTIONS,
    &GELATO_SESSION_EMAIL_OPTIONS,
    &GELATO_SESSION_ID_NUMBER_OPTIONS,
    &GELATO_SESSION_MATCHING_OPTIONS,
    &GELATO_SESSION_PHONE_OPTIONS,
    &GELATO_PROVIDED_DETAILS,
    &VERIFICATION_SESSION_REDACTION,
    &GELATO_RELATED_PERSON,
    &GELATO_VERIFIED_OUTPUTS,
    &GELATO_DATA_VERIFIED_OUTPUTS_DATE,
    &WEBHOOK_ENDPOINT,
    &DELETED_WEBHOOK_ENDPOINT,
];
