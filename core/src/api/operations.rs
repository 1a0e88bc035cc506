//! Every operation of the API, once: its resource, HTTP method, path template with the name of
//! its id, parameters, what it answers, and a one-line doc. The simulator's router, the client's
//! routing (typed and JSON), the typed services and the scenario runner all read this table.

use super::params::{self, Params};
use crate::backend::Method;
use crate::error::Error;
use crate::params::{self as p, from_json, to_form};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// A group of operations, as the SDKs name their services.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// `identity.verification_sessions`.
    VerificationSessions,
    /// `identity.verification_reports`.
    VerificationReports,
    /// `test_helpers.identity.verification_sessions`: the simulator's controls.
    TestHelpers,
    /// `events`: what happened to sessions, newest first.
    Events,
    /// `webhook_endpoints`: where identity-mock posts events.
    WebhookEndpoints,
}

impl Resource {
    /// The service's snake_case name (`verification_sessions`).
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::VerificationSessions => "verification_sessions",
            Resource::VerificationReports => "verification_reports",
            Resource::TestHelpers => "test_helpers",
            Resource::Events => "events",
            Resource::WebhookEndpoints => "webhook_endpoints",
        }
    }
}

/// What an operation answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Returns {
    /// An `identity.verification_session`.
    Session,
    /// A list of sessions.
    SessionList,
    /// An `identity.verification_report`.
    Report,
    /// A list of reports.
    ReportList,
    /// An `event` whose `data.object` is a session.
    Event,
    /// A list of events.
    EventList,
    /// A `webhook_endpoint`.
    WebhookEndpoint,
    /// A list of webhook endpoints.
    WebhookEndpointList,
    /// `{id, object: "webhook_endpoint", deleted: true}`.
    DeletedWebhookEndpoint,
}

/// One operation, as data.
#[derive(Debug)]
pub struct OperationDesc {
    /// The operation this row describes.
    pub op: Operation,
    /// The service it belongs to.
    pub resource: Resource,
    /// Its method name in that service (`retrieve`, `complete_redaction`).
    pub name: &'static str,
    /// Its name across every service, for the JSON front door (`retrieve_report`).
    pub key: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path, with `{id}` where the id goes (`/v1/identity/verification_sessions/{session}`).
    pub path: &'static str,
    /// The id's name (`session`, `report`), when the path has one.
    pub id: Option<&'static str>,
    /// The parameters it takes.
    pub params: Params,
    /// The parameters it needs.
    pub required: &'static [&'static str],
    /// What it answers.
    pub returns: Returns,
    /// Only the simulator serves it (the real API answers 404).
    pub simulator_only: bool,
    /// One line for docs.
    pub doc: &'static str,
    /// Reads JSON parameters into the operation's typed parameters (so a value of the wrong
    /// type is refused naming it) and form-encodes them.
    pub encode: fn(Value) -> Result<String, Error>,
}

/// [`OperationDesc::encode`] through the typed parameters `P`.
fn encode_as<P: DeserializeOwned + Serialize>(params: Value) -> Result<String, Error> {
    to_form(&from_json::<P>(params)?)
}

macro_rules! operations {
    ($($variant:ident { $resource:ident, $name:literal, $key:literal, $method:ident, $path:literal,
        $id:expr, $params:expr, $typed:ty, [$($req:literal),*], $returns:ident, $sim:literal,
        $doc:literal })+) => {
        /// An operation of the API or a simulator control. Its description is [`Operation::desc`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Operation {
            $(#[doc = $doc] $variant,)+
        }

        /// Every operation, in the order of [`Operation`]'s variants.
        pub static OPERATIONS: &[OperationDesc] = &[$(OperationDesc {
            op: Operation::$variant,
            resource: Resource::$resource,
            name: $name,
            key: $key,
            method: Method::$method,
            path: $path,
            id: $id,
            params: $params,
            required: &[$($req),*],
            returns: Returns::$returns,
            simulator_only: $sim,
            doc: $doc,
            encode: encode_as::<$typed>,
        },)+];

        impl Operation {
            /// Every operation.
            pub const ALL: &'static [Operation] = &[$(Operation::$variant),+];
        }
    };
}

const SESSIONS: Option<&str> = Some("session");
const ENDPOINTS: Option<&str> = Some("webhook_endpoint");

operations! {
    Create { VerificationSessions, "create", "create", Post,
        "/v1/identity/verification_sessions", None, params::CREATE,
        p::CreateVerificationSession, [], Session, false,
        "Creates a VerificationSession." }
    Retrieve { VerificationSessions, "retrieve", "retrieve", Get,
        "/v1/identity/verification_sessions/{session}", SESSIONS, params::EXPAND_ONLY,
        p::RetrieveVerificationSession, [], Session, false,
        "Retrieves a VerificationSession." }
    Update { VerificationSessions, "update", "update", Post,
        "/v1/identity/verification_sessions/{session}", SESSIONS, params::UPDATE,
        p::UpdateVerificationSession, [], Session, false,
        "Updates a VerificationSession while it awaits input." }
    List { VerificationSessions, "list", "list", Get,
        "/v1/identity/verification_sessions", None, params::LIST,
        p::ListVerificationSessions, [], SessionList, false,
        "Lists VerificationSessions, newest first." }
    Cancel { VerificationSessions, "cancel", "cancel", Post,
        "/v1/identity/verification_sessions/{session}/cancel", SESSIONS, params::EXPAND_ONLY,
        p::CancelVerificationSession, [], Session, false,
        "Cancels a VerificationSession while it awaits input." }
    Redact { VerificationSessions, "redact", "redact", Post,
        "/v1/identity/verification_sessions/{session}/redact", SESSIONS, params::EXPAND_ONLY,
        p::RedactVerificationSession, [], Session, false,
        "Redacts a VerificationSession (from requires_input, which cancels it, or verified)." }
    Submit { TestHelpers, "submit", "submit", Post,
        "/v1/test_helpers/identity/verification_sessions/{session}/submit", SESSIONS, params::EXPAND_ONLY,
        p::ExpandParams, [],
        Session, true,
        "Control: the user submits, requires_input to processing." }
    Verify { TestHelpers, "verify", "verify", Post,
        "/v1/test_helpers/identity/verification_sessions/{session}/verify", SESSIONS, params::EXPAND_ONLY,
        p::ExpandParams, [],
        Session, true,
        "Control: every check passes, processing to verified." }
    Fail { TestHelpers, "fail", "fail", Post,
        "/v1/test_helpers/identity/verification_sessions/{session}/fail", SESSIONS, params::FAIL,
        p::FailParams, ["code"],
        Session, true,
        "Control: a check fails, processing to requires_input with last_error." }
    CompleteRedaction { TestHelpers, "complete_redaction", "complete_redaction", Post,
        "/v1/test_helpers/identity/verification_sessions/{session}/complete_redaction", SESSIONS,
        params::EXPAND_ONLY,
        p::ExpandParams, [], Session, true,
        "Control: redaction finishes, redaction.status processing to redacted." }
    RetrieveReport { VerificationReports, "retrieve", "retrieve_report", Get,
        "/v1/identity/verification_reports/{report}", Some("report"), params::EXPAND_ONLY,
        p::RetrieveVerificationReport, [], Report, false,
        "Retrieves a VerificationReport." }
    ListReports { VerificationReports, "list", "list_reports", Get,
        "/v1/identity/verification_reports", None, params::LIST_REPORTS,
        p::ListVerificationReports, [], ReportList, false,
        "Lists VerificationReports, newest first." }
    RetrieveEvent { Events, "retrieve", "retrieve_event", Get,
        "/v1/events/{id}", Some("id"), params::EXPAND_ONLY,
        p::RetrieveEvent, [], Event, false,
        "Retrieves an event (while the bounded event log still holds it)." }
    ListEvents { Events, "list", "list_events", Get,
        "/v1/events", None, params::LIST_EVENTS,
        p::ListEvents, [], EventList, false,
        "Lists events, newest first (those the bounded event log still holds)." }
    CreateWebhookEndpoint { WebhookEndpoints, "create", "create_webhook_endpoint", Post,
        "/v1/webhook_endpoints", None, params::CREATE_WEBHOOK_ENDPOINT,
        p::CreateWebhookEndpoint, ["enabled_events", "url"], WebhookEndpoint, false,
        "Creates a webhook endpoint; only this answer carries its secret." }
    RetrieveWebhookEndpoint { WebhookEndpoints, "retrieve", "retrieve_webhook_endpoint", Get,
        "/v1/webhook_endpoints/{webhook_endpoint}", ENDPOINTS, params::EXPAND_ONLY,
        p::RetrieveWebhookEndpoint, [], WebhookEndpoint, false,
        "Retrieves a webhook endpoint." }
    UpdateWebhookEndpoint { WebhookEndpoints, "update", "update_webhook_endpoint", Post,
        "/v1/webhook_endpoints/{webhook_endpoint}", ENDPOINTS, params::UPDATE_WEBHOOK_ENDPOINT,
        p::UpdateWebhookEndpoint, [], WebhookEndpoint, false,
        "Updates a webhook endpoint (`disabled` pauses its deliveries)." }
    ListWebhookEndpoints { WebhookEndpoints, "list", "list_webhook_endpoints", Get,
        "/v1/webhook_endpoints", None, params::LIST_WEBHOOK_ENDPOINTS,
        p::ListWebhookEndpoints, [], WebhookEndpointList, false,
        "Lists webhook endpoints, newest first." }
    DeleteWebhookEndpoint { WebhookEndpoints, "delete", "delete_webhook_endpoint", Delete,
        "/v1/webhook_endpoints/{webhook_endpoint}", ENDPOINTS, params::NONE,
        p::DeleteWebhookEndpoint, [], DeletedWebhookEndpoint, false,
        "Deletes a webhook endpoint." }
}

impl Operation {
    /// This operation's row of [`OPERATIONS`].
    pub fn desc(self) -> &'static OperationDesc {
        &OPERATIONS[self as usize]
    }

    /// The name across every service (`create`, `retrieve_report`).
    pub fn as_str(self) -> &'static str {
        self.desc().key
    }

    /// Reads a name given by [`as_str`](Self::as_str).
    pub fn parse(name: &str) -> Option<Operation> {
        OPERATIONS.iter().find(|d| d.key == name).map(|d| d.op)
    }

    /// Whether the path carries an id.
    pub fn takes_id(self) -> bool {
        self.desc().id.is_some()
    }

    /// The path with `id` (already escaped) in place of its template.
    pub fn path(self, id: &str) -> String {
        let d = self.desc();
        // A template holds at most one `{name}` (a test checks every one): the path is what
        // comes before it, the id, and what follows. Built in one buffer because it is on every
        // call's path (`str::replace` with a `format!`ed pattern cost 2,800 instructions).
        let Some(name) = d.id else { return d.path.to_string() };
        let (before, after) = d.path.split_once('{').expect("a template with an id has its `{`");
        let after = after.strip_prefix(name).and_then(|a| a.strip_prefix('}')).expect("`{name}`");
        let mut path = String::with_capacity(before.len() + id.len() + after.len());
        path.push_str(before);
        path.push_str(id);
        path.push_str(after);
        path
    }
}

/// The operation a request names, and the id segment of its path as sent (still escaped).
/// A trailing `/` is ignored; an id is one non-empty segment.
pub fn route(method: Method, path: &str) -> Option<(Operation, Option<&str>)> {
    let path = path.strip_suffix('/').unwrap_or(path);
    OPERATIONS.iter().filter(|d| d.method == method).find_map(|d| {
        let mut id = None;
        let mut got = path.split('/');
        for want in d.path.split('/') {
            let seg = got.next()?;
            if want.starts_with('{') {
                if seg.is_empty() {
                    return None;
                }
                id = Some(seg);
            } else if want != seg {
                return None;
            }
        }
        got.next().is_none().then_some((d.op, id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_in_variant_order_and_names_are_unique() {
        for (i, d) in OPERATIONS.iter().enumerate() {
            assert_eq!(d.op as usize, i, "{}", d.key);
            assert_eq!(Operation::parse(d.key), Some(d.op));
            assert_eq!(d.id.is_some(), d.path.contains('{'), "{}", d.key);
            assert!(d.path.matches('{').count() <= 1, "one id at most: {}", d.key);
            assert_eq!(d.simulator_only, d.path.starts_with("/v1/test_helpers/"), "{}", d.key);
        }
        assert_eq!(Operation::ALL.len(), OPERATIONS.len());
        assert_eq!(Operation::parse("delete"), None);
        assert_eq!(Operation::parse("delete_webhook_endpoint"), Some(Operation::DeleteWebhookEndpoint));
    }

    #[test]
    fn routes_and_paths_agree() {
        for d in OPERATIONS {
            let path = d.op.path("vs_1");
            let want = d.id.map_or(d.path.to_string(), |n| d.path.replace(&format!("{{{n}}}"), "vs_1"));
            assert_eq!(path, want);
            assert_eq!(route(d.method, &path), Some((d.op, d.id.map(|_| "vs_1"))), "{path}");
            assert_eq!(route(d.method, &format!("{path}/")), Some((d.op, d.id.map(|_| "vs_1"))));
        }
        let sessions = "/v1/identity/verification_sessions";
        assert_eq!(route(Method::Get, &format!("{sessions}/vs_1/cancel")), None);
        assert_eq!(route(Method::Post, &format!("{sessions}/vs_1/x")), None);
        assert_eq!(route(Method::Delete, &format!("{sessions}/vs_1")), None);
        assert_eq!(route(Method::Delete, "/v1/webhook_endpoints"), None);
        assert_eq!(route(Method::Get, &format!("{sessions}//")), None);
        assert_eq!(route(Method::Get, "/v1/identity/verification_reports/vr_1/x"), None);
        assert_eq!(route(Method::Get, "/v1/customers"), None);
    }
}
