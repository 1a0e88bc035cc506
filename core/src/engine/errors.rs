//! Every error the simulator answers, in one place so wordings are easy to change.
//!
//! Shapes (status, type, code, param) follow `STRIPE_API_FACTS.md` section 5. Where the facts
//! mark a wording or code UNCONFIRMED, the choice made here is said beside it.
//!
//! Every value a message quotes from the request (a parameter name or value, an id, a path, a
//! key) goes through [`echo`], so an answer stays small whatever the request held.

use crate::error::ErrorObject;
use std::borrow::Cow;

/// Most characters of a request's value that an error quotes; longer values are cut there and
/// end in `...`.
pub const ECHO_MAX_CHARS: usize = 100;

/// A request's value as an error quotes it: unchanged up to [`ECHO_MAX_CHARS`] characters,
/// else its first [`ECHO_MAX_CHARS`] characters and `...`.
///
/// # Example
///
/// ```
/// use stripe_identity::engine::errors::{echo, ECHO_MAX_CHARS};
///
/// assert_eq!(echo("vs_123"), "vs_123");
/// let long = "x".repeat(600_000);
/// assert_eq!(echo(&long).chars().count(), ECHO_MAX_CHARS + 3);
/// assert!(echo(&long).ends_with("x..."));
/// ```
pub fn echo(value: &str) -> Cow<'_, str> {
    match value.char_indices().nth(ECHO_MAX_CHARS) {
        None => Cow::Borrowed(value),
        Some((cut, _)) => Cow::Owned(format!("{}...", &value[..cut])),
    }
}

/// An error answer: HTTP status and the `error` object.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// HTTP status.
    pub status: u16,
    /// The body's `error` (boxed: failures travel through every `Result` of the engine).
    pub error: Box<ErrorObject>,
    /// Whether the endpoint had begun to act, so the answer is stored for idempotent replay.
    /// Validation failures are not stored: the same key may be retried with good parameters.
    pub executed: bool,
}

impl Failure {
    /// A 400 `invalid_request_error`; `param` is quoted through [`echo`].
    fn bad(code: Option<&str>, message: String, param: Option<&str>) -> Failure {
        let param = param.map(echo);
        Failure {
            status: 400,
            error: Box::new(ErrorObject::invalid_request(code, message, param.as_deref())),
            executed: false,
        }
    }
}

impl From<ErrorObject> for Failure {
    fn from(error: ErrorObject) -> Self {
        Failure { status: 400, error: Box::new(error), executed: false }
    }
}

/// `Received unknown parameter: a` / `Received unknown parameters: a, b`; param is the first.
pub fn unknown_parameters(names: &[String]) -> Failure {
    let message = if names.len() == 1 {
        format!("Received unknown parameter: {}", echo(&names[0]))
    } else {
        format!("Received unknown parameters: {}", echo(&names.join(", ")))
    };
    Failure::bad(Some("parameter_unknown"), message, Some(&names[0]))
}

/// A required parameter is absent (wording UNCONFIRMED).
pub fn missing(param: &str) -> Failure {
    Failure::bad(Some("parameter_missing"), format!("Missing required param: {}.", echo(param)), Some(param))
}

/// An empty string where a value is required.
pub fn invalid_empty(param: &str) -> Failure {
    let shown = echo(param);
    Failure::bad(
        Some("parameter_invalid_empty"),
        format!(
            "You passed an empty string for '{shown}'. We assume empty values are an attempt to unset a \
             parameter; however '{shown}' cannot be unset. You should remove '{shown}' from your request or \
             supply a non-empty value."
        ),
        Some(param),
    )
}

/// Not an integer.
pub fn invalid_integer(param: &str, value: &str) -> Failure {
    Failure::bad(Some("parameter_invalid_integer"), format!("Invalid integer: {}", echo(value)), Some(param))
}

/// Not `true` or `false` (no code, as the API sends none).
pub fn invalid_boolean(param: &str, value: &str) -> Failure {
    Failure::bad(None, format!("Invalid boolean: {}", echo(value)), Some(param))
}

/// A value outside an enum.
pub fn invalid_enum(param: &str, allowed: &[&str]) -> Failure {
    let list = match allowed {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    };
    Failure::bad(None, format!("Invalid {}: must be one of {list}", echo(leaf(param))), Some(param))
}

/// A scalar where a hash was wanted, or the other way round.
pub fn invalid_shape(param: &str, wanted: &str) -> Failure {
    Failure::bad(None, format!("Invalid {wanted} for parameter '{}'.", echo(param)), Some(param))
}

/// A string over its maximum length.
pub fn too_long(param: &str, max: usize) -> Failure {
    Failure::bad(
        Some("string_length_exceeds_maximum"),
        format!("Invalid {}: must be at most {max} characters", echo(leaf(param))),
        Some(param),
    )
}

/// `limit` outside 1..=100 (wording UNCONFIRMED).
pub fn limit_out_of_range(value: i64) -> Failure {
    Failure::bad(
        Some("parameter_invalid_integer"),
        format!("Invalid limit: {value}. This value must be between 1 and 100 (inclusive)."),
        Some("limit"),
    )
}

/// Two parameters that cannot go together.
pub fn exclusive(first: &str, second: &str) -> Failure {
    Failure::bad(
        Some("parameters_exclusive"),
        format!("You may only specify one of these parameters: {first}, {second}."),
        Some(second),
    )
}

/// Metadata: more than 50 keys.
pub fn metadata_too_many_keys(count: usize) -> Failure {
    Failure::bad(
        None,
        format!("Metadata can have up to 50 keys, but you've set {count}. Remove some keys and try again."),
        Some("metadata"),
    )
}

/// Metadata: key over 40 characters.
pub fn metadata_key_too_long(key: &str) -> Failure {
    Failure::bad(
        None,
        format!("Invalid key: {} must be a string under 40 characters", echo(key)),
        Some("metadata"),
    )
}

/// Metadata: value over 500 characters, or not a string.
pub fn metadata_bad_value(key: &str) -> Failure {
    Failure::bad(
        None,
        format!("Invalid value for metadata key {}: must be a string under 500 characters", echo(key)),
        Some("metadata"),
    )
}

/// A property that cannot be expanded.
pub fn cannot_expand(path: &str) -> Failure {
    Failure::bad(None, format!("This property cannot be expanded ({}).", echo(path)), Some("expand"))
}

/// `No such verification_session: 'vs_x'` (object word and param UNCONFIRMED; 404).
pub fn no_such_session(id: &str, param: &str) -> Failure {
    Failure {
        status: 404,
        error: Box::new(ErrorObject::invalid_request(
            Some("resource_missing"),
            format!("No such verification_session: '{}'", echo(id)),
            Some(&echo(param)),
        )),
        executed: false,
    }
}

/// `No such verification_report: 'vr_x'`.
pub fn no_such_report(id: &str) -> Failure {
    Failure {
        status: 404,
        error: Box::new(ErrorObject::invalid_request(
            Some("resource_missing"),
            format!("No such verification_report: '{}'", echo(id)),
            Some("report"),
        )),
        executed: false,
    }
}

/// `No such event: 'evt_x'` (404; param `id` as the spec names the path's id, or the cursor).
pub fn no_such_event(id: &str, param: &str) -> Failure {
    Failure {
        status: 404,
        error: Box::new(ErrorObject::invalid_request(
            Some("resource_missing"),
            format!("No such event: '{}'", echo(id)),
            Some(&echo(param)),
        )),
        executed: false,
    }
}

/// An operation the session's state forbids. The API documents the rules but not this answer
/// (UNCONFIRMED): 400 `invalid_request_error`, code `verification_session_unexpected_state`,
/// no param. The answer is stored for idempotent replay, as the endpoint had begun.
pub fn unexpected_state(action: &str, status: &str, allowed: &str) -> Failure {
    Failure {
        status: 400,
        error: Box::new(ErrorObject::invalid_request(
            Some(UNEXPECTED_STATE),
            format!(
                "This VerificationSession cannot be {action} because its status is {status}; \
                 it must be {allowed}."
            ),
            None,
        )),
        executed: true,
    }
}

/// The code of [`unexpected_state`].
pub const UNEXPECTED_STATE: &str = "verification_session_unexpected_state";

/// A redacted session refuses changes (same code as [`unexpected_state`]).
pub fn redacted(action: &str) -> Failure {
    Failure {
        status: 400,
        error: Box::new(ErrorObject::invalid_request(
            Some(UNEXPECTED_STATE),
            format!("This VerificationSession has been redacted and cannot be {action}."),
            None,
        )),
        executed: true,
    }
}

/// The key was first used with other parameters (400 `idempotency_error`, no code).
pub fn idempotency_mismatch(key: &str) -> Failure {
    Failure {
        status: 400,
        error: Box::new(ErrorObject {
            error_type: "idempotency_error".into(),
            message: Some(format!(
                "Keys for idempotent requests can only be used with the same parameters they were first \
                 used with. Try using a key other than '{}' if you meant to execute a different request.",
                echo(key)
            )),
            ..Default::default()
        }),
        executed: false,
    }
}

/// An idempotency key over 255 characters.
pub fn idempotency_key_too_long() -> Failure {
    Failure::bad(
        None,
        "Idempotency keys must be at most 255 characters long.".to_string(),
        Some("Idempotency-Key"),
    )
}

/// An idempotency key with a character outside printable ASCII (the key is not quoted: it may
/// not even be text).
pub fn idempotency_key_invalid() -> Failure {
    Failure::bad(
        None,
        "Invalid Idempotency-Key: a key must be 1 to 255 printable ASCII characters (space to '~'); \
         this one holds another character."
            .to_string(),
        Some("Idempotency-Key"),
    )
}

/// `Unrecognized request URL (GET: /v1/x).` (404, no code).
pub fn unrecognized_url(method: &str, path: &str) -> Failure {
    Failure {
        status: 404,
        error: Box::new(ErrorObject::invalid_request(
            None,
            format!(
                "Unrecognized request URL ({}: {}). Please see https://stripe.com/docs or we can \
                 help at https://support.stripe.com/.",
                echo(method),
                echo(path)
            ),
            None,
        )),
        executed: false,
    }
}

/// The last name in a parameter path, skipping array indexes:
/// `options[document][allowed_types][1]` → `allowed_types`.
fn leaf(param: &str) -> &str {
    param
        .split(['[', ']'])
        .rfind(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or(param)
}

/// `No such webhook endpoint: 'we_x'` (404; the API's wording for this object).
pub fn no_such_webhook_endpoint(id: &str, param: &str) -> Failure {
    Failure {
        status: 404,
        error: Box::new(ErrorObject::invalid_request(
            Some("resource_missing"),
            format!("No such webhook endpoint: '{}'", echo(id)),
            Some(&echo(param)),
        )),
        executed: false,
    }
}

/// A webhook URL that is not an absolute `http` or `https` URL (wording UNCONFIRMED).
pub fn invalid_webhook_url(url: &str) -> Failure {
    Failure::bad(Some("url_invalid"), format!("Invalid URL: {}", echo(url)), Some("url"))
}

/// `enabled_events` sent empty.
pub fn no_enabled_events() -> Failure {
    Failure::bad(None, "enabled_events must name at least one event type.".into(), Some("enabled_events"))
}

/// More endpoints than the API allows an account (16).
pub fn too_many_webhook_endpoints(max: usize) -> Failure {
    Failure::bad(None, format!("You have reached the maximum of {max} test webhook endpoints."), Some("url"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_errors_name_the_parameter_not_the_index() {
        assert_eq!(leaf("options[document][allowed_types][1]"), "allowed_types");
        assert_eq!(leaf("type"), "type");
        let f = invalid_enum("options[document][allowed_types][1]", &["passport", "id_card"]);
        assert_eq!(
            f.error.message.as_deref(),
            Some("Invalid allowed_types: must be one of passport or id_card")
        );
        assert_eq!(f.error.param.as_deref(), Some("options[document][allowed_types][1]"));
    }
}
