//! The parameters each operation takes, as data: names, shapes and limits. The simulator checks
//! requests against these tables (`engine/schema.rs` walks them), the client names them in its
//! errors, and the OpenAPI test (`core/tests/openapi.rs`) holds them against Stripe's spec.

use super::enums::{DocumentType, LastErrorCode, RequestedVerificationType, VerificationStatus};

/// The shape of one parameter.
#[derive(Debug)]
pub enum Schema {
    /// A string of at most this many characters.
    Str(usize),
    /// `true` / `false`.
    Bool,
    /// An integer.
    Int,
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// A hash with these keys.
    Object(&'static [(&'static str, Schema)]),
    /// The inner shape, or `""` to unset it.
    Emptyable(&'static Schema),
    /// An array of the inner shape.
    List(&'static Schema),
    /// Metadata: a hash of up to 50 string values, or `""` to unset all.
    Metadata,
    /// An integer, or a hash of `gt`, `gte`, `lt`, `lte`.
    IntOrRange,
}

/// An operation's parameters, in the API's (alphabetical) order.
pub type Params = &'static [(&'static str, Schema)];

/// Longest string the API takes where it sets no other limit.
pub const MAX_STRING: usize = 5000;
const ID: Schema = Schema::Str(MAX_STRING);
const EXPAND: Schema = Schema::List(&ID);
/// Session types accepted as a parameter (`verification_flow` is response-only).
pub const PARAM_TYPES: &[&str] = RequestedVerificationType::KNOWN;

const DOCUMENT_OPTIONS: Schema = Schema::Object(&[
    ("allowed_types", Schema::List(&Schema::Enum(DocumentType::KNOWN))),
    ("require_id_number", Schema::Bool),
    ("require_live_capture", Schema::Bool),
    ("require_matching_selfie", Schema::Bool),
]);
const OPTIONS: Schema = Schema::Object(&[("document", Schema::Emptyable(&DOCUMENT_OPTIONS))]);
const PROVIDED_DETAILS: Schema =
    Schema::Object(&[("email", Schema::Str(MAX_STRING)), ("phone", Schema::Str(MAX_STRING))]);
const RELATED_PERSON: Schema = Schema::Object(&[("account", ID), ("person", ID)]);

/// Create.
pub static CREATE: Params = &[
    ("client_reference_id", Schema::Str(MAX_STRING)),
    ("expand", EXPAND),
    ("metadata", Schema::Metadata),
    ("options", OPTIONS),
    ("provided_details", PROVIDED_DETAILS),
    ("related_customer", Schema::Str(MAX_STRING)),
    ("related_customer_account", Schema::Str(MAX_STRING)),
    ("related_person", RELATED_PERSON),
    ("return_url", Schema::Str(MAX_STRING)),
    ("type", Schema::Enum(PARAM_TYPES)),
    ("verification_flow", Schema::Str(MAX_STRING)),
];

/// Update.
pub static UPDATE: Params = &[
    ("expand", EXPAND),
    ("metadata", Schema::Metadata),
    ("options", OPTIONS),
    ("provided_details", PROVIDED_DETAILS),
    ("type", Schema::Enum(PARAM_TYPES)),
];

/// Retrieve, cancel, redact and the controls other than `fail`.
pub static EXPAND_ONLY: Params = &[("expand", EXPAND)];

/// The `fail` control.
pub static FAIL: Params =
    &[("code", Schema::Enum(LastErrorCode::KNOWN)), ("expand", EXPAND), ("reason", Schema::Str(MAX_STRING))];

/// List of sessions.
pub static LIST: Params = &[
    ("client_reference_id", Schema::Str(MAX_STRING)),
    ("created", Schema::IntOrRange),
    ("ending_before", ID),
    ("expand", EXPAND),
    ("limit", Schema::Int),
    ("related_customer", Schema::Str(MAX_STRING)),
    ("related_customer_account", Schema::Str(MAX_STRING)),
    ("starting_after", ID),
    ("status", Schema::Enum(VerificationStatus::KNOWN)),
];

/// List of reports.
pub static LIST_REPORTS: Params = &[
    ("client_reference_id", Schema::Str(MAX_STRING)),
    ("created", Schema::IntOrRange),
    ("ending_before", ID),
    ("expand", EXPAND),
    ("limit", Schema::Int),
    ("starting_after", ID),
    ("type", Schema::Enum(PARAM_TYPES)),
    ("verification_session", Schema::Str(MAX_STRING)),
];

/// List of events.
pub static LIST_EVENTS: Params = &[
    ("created", Schema::IntOrRange),
    ("delivery_success", Schema::Bool),
    ("ending_before", ID),
    ("expand", EXPAND),
    ("limit", Schema::Int),
    ("starting_after", ID),
    ("type", Schema::Str(MAX_STRING)),
    ("types", Schema::List(&Schema::Str(MAX_STRING))),
];

/// Operations that take no parameters (delete).
pub static NONE: Params = &[];

/// Event types a webhook endpoint may enable here: `*` and the six the simulator emits. The
/// spec lists 266; the simulator refuses the others with `invalid_request_error` naming
/// `enabled_events`, since nothing here would ever send them. The parameter is described as a
/// list of strings and checked against this in `engine/webhook_endpoints.rs`, so the 260 values
/// the simulator does not take need not be listed one by one (see `differences.rs`).
pub const ENABLED_EVENTS: &[&str] = &[
    "*",
    "identity.verification_session.canceled",
    "identity.verification_session.created",
    "identity.verification_session.processing",
    "identity.verification_session.redacted",
    "identity.verification_session.requires_input",
    "identity.verification_session.verified",
];

/// Create a webhook endpoint.
pub static CREATE_WEBHOOK_ENDPOINT: Params = &[
    ("api_version", Schema::Str(MAX_STRING)),
    ("connect", Schema::Bool),
    ("description", Schema::Emptyable(&Schema::Str(MAX_STRING))),
    ("enabled_events", Schema::List(&Schema::Str(MAX_STRING))),
    ("expand", EXPAND),
    ("metadata", Schema::Metadata),
    ("url", Schema::Str(MAX_STRING)),
];

/// Update a webhook endpoint.
pub static UPDATE_WEBHOOK_ENDPOINT: Params = &[
    ("description", Schema::Emptyable(&Schema::Str(MAX_STRING))),
    ("disabled", Schema::Bool),
    ("enabled_events", Schema::List(&Schema::Str(MAX_STRING))),
    ("expand", EXPAND),
    ("metadata", Schema::Metadata),
    ("url", Schema::Str(MAX_STRING)),
];

/// List of webhook endpoints.
pub static LIST_WEBHOOK_ENDPOINTS: Params =
    &[("ending_before", ID), ("expand", EXPAND), ("limit", Schema::Int), ("starting_after", ID)];

/// Keys an object parameter must carry when it is sent, by the object's path.
pub static REQUIRED_INSIDE: &[(&str, &[&str])] = &[("related_person", &["account", "person"])];

/// Metadata limits (facts §11).
pub const METADATA_MAX_KEYS: usize = 50;
/// Longest metadata key.
pub const METADATA_MAX_KEY: usize = 40;
/// Longest metadata value.
pub const METADATA_MAX_VALUE: usize = 500;
