//! API keys: reading the `Authorization` header the way the API does, and its 401 answers.
//!
//! The API takes a key as `Authorization: Bearer <key>` (what the SDKs send) or as the user name
//! of HTTP Basic with an empty password (what `curl -u sk_test_...:` sends). The simulator keeps
//! no list of keys, so any well-formed secret or restricted key is accepted: `sk_test_`,
//! `sk_live_`, `rk_test_`, `rk_live_` followed by letters and digits.
//!
//! Choices where the API's answer is not public (facts §5, UNCONFIRMED item 4):
//! - a malformed key gets `Invalid API Key provided: <masked>`, no `code`; the mask keeps the
//!   `xx_test_`/`xx_live_` prefix and the last four characters, with `****` between;
//! - a publishable key (`pk_test_`, `pk_live_`) is refused with 401 as well, code
//!   `secret_key_required`, message `This API call cannot be made with a publishable API key. ...`;
//! - an `Authorization` header of another scheme, or a Basic value that does not decode, counts
//!   as a malformed key.
//!
//! A refused key is only ever shown masked, whatever its length (quoted through
//! `engine::errors::echo`, like every value an error quotes).

use base64::Engine as _;
use stripe_identity::engine::errors;
use stripe_identity::error::ErrorObject;

/// The 401 status every refusal here answers with.
pub const UNAUTHORIZED: u16 = 401;

/// Message when no key came with the request (the API's wording, as in many user logs).
pub const NO_KEY_MESSAGE: &str = "You did not provide an API key. You need to provide your API key in the \
     Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See \
     https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/// Message for a publishable key.
pub const PUBLISHABLE_MESSAGE: &str =
    "This API call cannot be made with a publishable API key. Please use a \
     secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.";

/// Prefixes of the keys the simulator serves.
pub const SECRET_PREFIXES: [&str; 4] = ["sk_test_", "sk_live_", "rk_test_", "rk_live_"];

/// Prefixes of publishable keys, which cannot call this API.
pub const PUBLISHABLE_PREFIXES: [&str; 2] = ["pk_test_", "pk_live_"];

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization` header, or an empty key.
    Missing,
    /// A key that is not a well-formed secret or restricted key; holds it masked.
    Invalid(String),
    /// A publishable key.
    Publishable,
}

impl Refusal {
    /// The `error` object of the 401 answer.
    pub fn to_error(&self) -> ErrorObject {
        match self {
            Refusal::Missing => ErrorObject::invalid_request(None, NO_KEY_MESSAGE, None),
            Refusal::Invalid(masked) => ErrorObject::invalid_request(
                None,
                format!("Invalid API Key provided: {}", errors::echo(masked)),
                None,
            ),
            Refusal::Publishable => {
                ErrorObject::invalid_request(Some("secret_key_required"), PUBLISHABLE_MESSAGE, None)
            }
        }
    }
}

/// Reads the key from an `Authorization` header value (`None` when the header is absent) and
/// returns it when it may call the API.
pub fn authenticate(header: Option<&[u8]>) -> Result<String, Refusal> {
    let Some(raw) = header else { return Err(Refusal::Missing) };
    let value = String::from_utf8_lossy(raw);
    let value = value.trim();
    if value.is_empty() {
        return Err(Refusal::Missing);
    }
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let rest = rest.trim();
    let key = if scheme.eq_ignore_ascii_case("bearer") {
        rest.to_string()
    } else if scheme.eq_ignore_ascii_case("basic") {
        if rest.is_empty() {
            return Err(Refusal::Missing);
        }
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .ok_or_else(|| Refusal::Invalid(mask(rest)))?;
        // The key is the user name; the password is ignored, as the API does.
        decoded.split_once(':').map(|(user, _)| user.to_string()).unwrap_or(decoded)
    } else {
        return Err(Refusal::Invalid(mask(value)));
    };
    check_key(&key).map(|()| key)
}

/// Whether a key is one the simulator serves.
pub fn check_key(key: &str) -> Result<(), Refusal> {
    if key.is_empty() {
        return Err(Refusal::Missing);
    }
    let well_formed = |prefix: &&str| {
        key.strip_prefix(*prefix)
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
    };
    if SECRET_PREFIXES.iter().any(well_formed) {
        Ok(())
    } else if PUBLISHABLE_PREFIXES.iter().any(well_formed) {
        Err(Refusal::Publishable)
    } else {
        Err(Refusal::Invalid(mask(key)))
    }
}

/// `sk_test_****abcd`: the `xx_test_`/`xx_live_` prefix, four stars, the last four characters.
pub fn mask(key: &str) -> String {
    let prefix_len = known_prefix_len(key);
    let (prefix, rest) = key.split_at(prefix_len);
    let chars: Vec<char> = rest.chars().collect();
    let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    format!("{prefix}****{tail}")
}

/// Length of a leading `<letters>_test_` or `<letters>_live_`, else 0.
fn known_prefix_len(key: &str) -> usize {
    let Some((kind, rest)) = key.split_once('_') else { return 0 };
    if kind.is_empty() || kind.len() > 4 || !kind.bytes().all(|b| b.is_ascii_lowercase()) {
        return 0;
    }
    for mode in ["test_", "live_"] {
        if rest.starts_with(mode) {
            return kind.len() + 1 + mode.len();
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(user_pass: &str) -> Vec<u8> {
        format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(user_pass)).into_bytes()
    }

    #[test]
    fn accepts_bearer_and_basic() {
        assert_eq!(authenticate(Some(b"Bearer sk_test_123abc")), Ok("sk_test_123abc".into()));
        assert_eq!(authenticate(Some(b"bearer rk_live_X9")), Ok("rk_live_X9".into()));
        assert_eq!(authenticate(Some(&basic("sk_test_abc:"))), Ok("sk_test_abc".into()));
        assert_eq!(authenticate(Some(&basic("sk_live_abc:whatever"))), Ok("sk_live_abc".into()));
        assert_eq!(authenticate(Some(&basic("sk_test_abc"))), Ok("sk_test_abc".into()));
    }

    #[test]
    fn refuses_missing_malformed_and_publishable() {
        assert_eq!(authenticate(None), Err(Refusal::Missing));
        assert_eq!(authenticate(Some(b"")), Err(Refusal::Missing));
        assert_eq!(authenticate(Some(b"Bearer ")), Err(Refusal::Missing));
        assert_eq!(authenticate(Some(&basic(":"))), Err(Refusal::Missing));
        assert_eq!(
            authenticate(Some(b"Bearer sk_test_bad-key-abcd")),
            Err(Refusal::Invalid("sk_test_****abcd".into()))
        );
        assert_eq!(authenticate(Some(b"Bearer sk_test_")), Err(Refusal::Invalid("sk_test_****".into())));
        assert_eq!(authenticate(Some(b"Bearer nope1234")), Err(Refusal::Invalid("****1234".into())));
        assert_eq!(authenticate(Some(b"Token sk_test_abc")), Err(Refusal::Invalid("****_abc".into())));
        assert_eq!(authenticate(Some(b"Basic !!!")), Err(Refusal::Invalid("****!!!".into())));
        assert_eq!(authenticate(Some(b"Bearer pk_test_abc")), Err(Refusal::Publishable));
    }

    #[test]
    fn refusal_bodies() {
        let e = Refusal::Missing.to_error();
        assert_eq!(e.error_type, "invalid_request_error");
        assert!(e.message.unwrap().starts_with("You did not provide an API key."));
        let e = Refusal::Invalid("sk_test_****abcd".into()).to_error();
        assert_eq!(e.message.as_deref(), Some("Invalid API Key provided: sk_test_****abcd"));
        assert_eq!(e.code, None);
        let e = Refusal::Publishable.to_error();
        assert_eq!(e.code.as_deref(), Some("secret_key_required"));
    }

    #[test]
    fn a_huge_key_gives_a_small_answer() {
        let huge = format!("Bearer sk_test_{}-", "x".repeat(600_000));
        let refusal = authenticate(Some(huge.as_bytes())).unwrap_err();
        assert_eq!(refusal, Refusal::Invalid("sk_test_****xxx-".into()));
        let basic = format!("Basic {}", "!".repeat(600_000));
        let refusal = authenticate(Some(basic.as_bytes())).unwrap_err();
        let message = refusal.to_error().message.unwrap();
        assert_eq!(message, "Invalid API Key provided: ****!!!!");
        let scheme = format!("{} sk_test_abc", "Z".repeat(600_000));
        let message = authenticate(Some(scheme.as_bytes())).unwrap_err().to_error().message.unwrap();
        assert!(message.len() < 100, "{}", message.len());
    }

    #[test]
    fn masks() {
        assert_eq!(mask("sk_test_4eC39HqLyjWDarjtT1zdp7dc"), "sk_test_****p7dc");
        assert_eq!(mask("rk_live_ab"), "rk_live_****ab");
        assert_eq!(mask("ünïcødé"), "****cødé");
    }
}
