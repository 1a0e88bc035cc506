//! The hosted verification page's rules: which token opens which session, when a token is
//! spent or expired, and what each of the page's choices does. identity-mock renders the page
//! (`server/src/hosted/`); everything it decides is here, so it is the same wherever it is
//! served and is tested in core.
//!
//! - A session's `url` is `{base}/start/<token>`, the token `test_<session>_<random>` (the
//!   session id without `vs_`, then 24 random characters). The base is `https://verify.stripe.com`
//!   unless set ([`Simulator::set_hosted_base`]): `Client::local()` keeps it, identity-mock sets
//!   its own address (or `--public-url`).
//! - A token opens its session while it is the session's current `url`, for 48 hours after it
//!   was issued ([`URL_LIFETIME`], by the simulator's clock). Opening the page spends nothing, so
//!   a reload works; a choice that submits (verify, fail) spends it, as `submit` clears `url`.
//!   `fail` issues a new `url` with a new token for the next attempt.
//! - A token that was issued but is no longer its session's `url` (submitted, canceled,
//!   redacted, or replaced by a later one) is spent: [`Refusal::Spent`], HTTP 410. One whose 48
//!   hours have passed is [`Refusal::Expired`], 410. One that names no session is
//!   [`Refusal::Unknown`], 404. Since the token names its session, nothing but the session is
//!   kept, and a restart from `--data` tells spent tokens as before. (A made-up token that names
//!   an existing session reads as spent: the page then says only that this link cannot be used.)
//! - The choices run the simulator's own controls, the functions the test-helper endpoints
//!   call: verify is `submit` then `verify`, a failure is `submit` then `fail` with the code,
//!   in one write, so their events (and webhooks) follow as they do from the endpoints.
//!   Abandoning (leaving the page) changes nothing: the session stays `requires_input` and its
//!   `url` stays valid until it expires.
//!
//! # Example
//!
//! ```
//! use stripe_identity::backend::{Method, Request};
//! use stripe_identity::engine::hosted::{token_of, Choice, Refusal};
//! use stripe_identity::engine::Simulator;
//!
//! let sim = Simulator::new();
//! sim.set_hosted_base("http://127.0.0.1:12111");
//! let answer = sim.handle(&Request::new(
//!     Method::Post,
//!     "/v1/identity/verification_sessions",
//!     "type=document&return_url=http%3A%2F%2F127.0.0.1%3A4242%2Fdone",
//! ));
//! let session: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
//! let url = session["url"].as_str().unwrap();
//! assert!(url.starts_with("http://127.0.0.1:12111/start/test_"));
//!
//! let token = token_of(url).unwrap();
//! let page = sim.hosted_session(token).expect("opening spends nothing");
//! assert_eq!(page.return_url.as_deref(), Some("http://127.0.0.1:4242/done"));
//! let after = sim.hosted_choose(token, &Choice::Verify).unwrap();
//! assert_eq!(after.session.status.as_str(), "verified");
//! assert_eq!(sim.hosted_session(token).unwrap_err(), Refusal::Spent);
//! ```

use super::errors::Failure;
use super::state::State;
use super::{ids, lifecycle, schema, Ctx, Dispatch, Simulator};
use crate::api::enums::{
    DOCUMENT_ERROR_CODES, EMAIL_ERROR_CODES, ID_NUMBER_ERROR_CODES, PHONE_ERROR_CODES, SELFIE_ERROR_CODES,
};
use crate::api::Operation;
use crate::model::{LastErrorCode, VerificationSession, VerificationType};
use crate::wire::Node;

/// Where `Client::local()`'s sessions point: Stripe's hosted page.
pub const DEFAULT_BASE: &str = "https://verify.stripe.com";

/// How long a `url` stays valid after it is issued, in seconds: 48 hours, as the API documents.
pub const URL_LIFETIME: i64 = 48 * 3600;

/// How long a `client_secret` stays valid after it is issued (with its `url`), in seconds: 24
/// hours, as the API documents.
pub const SECRET_LIFETIME: i64 = 24 * 3600;

/// The token of a hosted `url`: what follows its last `/start/`.
pub fn token_of(url: &str) -> Option<&str> {
    url.rsplit_once("/start/").map(|(_, token)| token).filter(|t| !t.is_empty())
}

/// Why a token opens no page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Never issued (or spent before a restart).
    Unknown,
    /// Issued, and no longer the session's `url`.
    Spent,
    /// Issued more than [`URL_LIFETIME`] ago.
    Expired,
}

impl Refusal {
    /// The page's HTTP status: 404 for an unknown token, 410 Gone for a spent or expired one.
    pub fn status(self) -> u16 {
        match self {
            Refusal::Unknown => 404,
            Refusal::Spent | Refusal::Expired => 410,
        }
    }

    /// What the page says.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Unknown => "This verification link does not exist.",
            Refusal::Spent => {
                "This verification link has already been used. Return to the site that sent you \
                 here to get a new one."
            }
            Refusal::Expired => {
                "This verification link has expired (links last 48 hours). Return to the site that \
                 sent you here to get a new one."
            }
        }
    }
}

/// What the page shows of a session.
#[derive(Debug, Clone)]
pub struct HostedSession {
    /// The session as the API answers it.
    pub session: VerificationSession,
    /// Where the user goes back to, as given at creation.
    pub return_url: Option<String>,
    /// When the token expires, unix seconds.
    pub expires_at: i64,
    /// Whether `provided_details` holds an email (its check may fail).
    pub has_email: bool,
    /// Whether `provided_details` holds a phone number.
    pub has_phone: bool,
}

impl HostedSession {
    /// The `last_error` codes the page offers: those that fit the session's checks (the document
    /// and its selfie and ID number as `options` asks, the ID number alone for `id_number`
    /// sessions, email and phone when provided), and those that fit any session. `abandoned` is
    /// the page's own choice (leaving), so it is not offered as a failure.
    pub fn failure_codes(&self) -> Vec<LastErrorCode> {
        let s = &self.session;
        let doc = s.options.as_ref().and_then(|o| o.document.as_ref());
        let document = s.r#type != VerificationType::IdNumber;
        let selfie = document && doc.and_then(|d| d.require_matching_selfie) == Some(true);
        let id_number = !document || doc.and_then(|d| d.require_id_number) == Some(true);
        let mut codes: Vec<&str> = vec!["consent_declined", "device_not_supported"];
        if document {
            codes.extend(DOCUMENT_ERROR_CODES);
            codes.extend(["country_not_supported", "under_supported_age"]);
        }
        if selfie {
            codes.extend(SELFIE_ERROR_CODES);
        }
        if id_number {
            codes.extend(ID_NUMBER_ERROR_CODES);
        }
        if self.has_email {
            codes.extend(EMAIL_ERROR_CODES);
        }
        if self.has_phone {
            codes.extend(PHONE_ERROR_CODES);
        }
        codes.into_iter().map(LastErrorCode::parse).collect()
    }
}

/// A choice on the page that acts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The checks pass: `submit`, then `verify`.
    Verify,
    /// A check fails with this code: `submit`, then `fail`.
    Fail(LastErrorCode),
}

/// Why a choice was not carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceError {
    /// The token opens no page.
    Refused(Refusal),
    /// The code is not one the page offers for this session.
    Code(String),
    /// The simulator refused or could not store the change (its status and message).
    Failed(u16, String),
}

/// The session a token names: `test_<session>_<random>` names `vs_<session>`.
fn session_of(token: &str) -> Option<String> {
    let (session, random) = token.strip_prefix("test_")?.split_once('_')?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (plain(session) && plain(random)).then(|| format!("vs_{session}"))
}

fn look_up(state: &State, token: &str, now: i64) -> Result<(String, HostedSession), Refusal> {
    let id = session_of(token).ok_or(Refusal::Unknown)?;
    let record = state.sessions.get(&id).ok_or(Refusal::Unknown)?;
    let draft = record.load();
    if draft.session.url.as_deref().and_then(token_of) != Some(token) {
        return Err(Refusal::Spent);
    }
    let expires_at = draft.link.issued.saturating_add(URL_LIFETIME);
    if now >= expires_at {
        return Err(Refusal::Expired);
    }
    let provided = draft.provided.as_ref();
    Ok((
        id,
        HostedSession {
            return_url: draft.link.return_url.as_deref().map(String::from),
            expires_at,
            has_email: provided.is_some_and(|p| p.email.is_some()),
            has_phone: provided.is_some_and(|p| p.phone.is_some()),
            session: draft.session,
        },
    ))
}

impl Simulator {
    /// Serves hosted pages under `base` (`http://127.0.0.1:12111`, no trailing `/`): sessions
    /// created, and `url`s issued, from now on point there.
    pub fn set_hosted_base(&self, base: &str) {
        self.state.write().hosted_base = base.trim_end_matches('/').to_string();
    }

    /// The base of hosted `url`s.
    pub fn hosted_base(&self) -> String {
        self.state.read().hosted_base.clone()
    }

    /// The hosted page a `client_secret` leads to (a front end's `stripe.verifyIdentity(secret)`
    /// pointed at identity-mock's stand-in for Stripe.js): the session's current `url`, while
    /// the secret is the session's current one and younger than [`SECRET_LIFETIME`]. Spends
    /// nothing: the page's choice does.
    pub fn hosted_url_for_secret(&self, client_secret: &str) -> Result<String, Refusal> {
        let now = self.clock.now();
        let state = self.state.read();
        let (id, _) = client_secret.split_once("_secret_").ok_or(Refusal::Unknown)?;
        let draft = state.sessions.get(id).ok_or(Refusal::Unknown)?.load();
        if draft.session.client_secret.as_deref() != Some(client_secret) {
            return Err(Refusal::Spent);
        }
        if now >= draft.link.issued.saturating_add(SECRET_LIFETIME) {
            return Err(Refusal::Expired);
        }
        let url = draft.session.url.ok_or(Refusal::Spent)?;
        let token = token_of(&url).ok_or(Refusal::Unknown)?;
        look_up(&state, token, now)?;
        Ok(url)
    }

    /// The session a token opens, or why it opens none. Spends nothing.
    pub fn hosted_session(&self, token: &str) -> Result<HostedSession, Refusal> {
        let now = self.clock.now();
        look_up(&self.state.read(), token, now).map(|(_, s)| s)
    }

    /// Carries out a choice made on the page, under the same lock as the API's writes, with
    /// the controls the test-helper endpoints run; returns the session after it.
    pub fn hosted_choose(&self, token: &str, choice: &Choice) -> Result<HostedSession, ChoiceError> {
        let mut state = self.state.write();
        let now = self.clock.now();
        let (id, before) = look_up(&state, token, now).map_err(ChoiceError::Refused)?;
        let second = match choice {
            Choice::Verify => (Operation::Verify, Node::empty()),
            Choice::Fail(code) => {
                if !before.failure_codes().contains(code) {
                    return Err(ChoiceError::Code(code.as_str().to_string()));
                }
                (Operation::Fail, Node::Map(vec![("code".into(), Node::Str(code.as_str().into()))]))
            }
        };
        let request_id = ids::request_id();
        let ctx = Ctx { now, request_id: &request_id, idempotency_key: None };
        self.begin(&mut state);
        let result = lifecycle::submit(&mut state, &ctx, &id, &Node::empty()).and_then(|_| {
            let (op, params) = &second;
            schema::check(params, op.desc().params)?;
            match op {
                Operation::Verify => lifecycle::verify(&mut state, &ctx, &id, params),
                _ => lifecycle::fail(&mut state, &ctx, &id, params),
            }
        });
        let result = match self.finish(&mut state, Dispatch::Fresh(result)) {
            Dispatch::Fresh(result) => result,
            Dispatch::Replayed(_) => unreachable!("a hosted choice carries no idempotency key"),
        };
        // Both steps act on a session the look-up found awaiting input, so neither fails unless
        // the store does, and then `finish` has undone both.
        let after = result.map(|_| state.sessions.get(&id).map(|r| r.load().session));
        let outbox = std::mem::take(&mut state.outbox);
        drop(state);
        self.notify(outbox);
        let after = after.map_err(|Failure { status, error, .. }| {
            ChoiceError::Failed(status, error.message.unwrap_or_default())
        })?;
        Ok(HostedSession { session: after.unwrap_or(before.session.clone()), ..before })
    }
}
