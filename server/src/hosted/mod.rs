//! The hosted verification page: what a session's `url` opens on identity-mock.
//!
//! - `GET /start/<token>` shows what the session asks for and the choices of Stripe's test
//!   mode: verify, fail with one of the `last_error` codes that fit its checks, or leave.
//!   Opening (and reloading) the page spends nothing.
//! - `POST /start/<token>` (a form: `outcome=verify`, `outcome=fail&code=...`,
//!   `outcome=abandon`) carries the choice out through the simulator
//!   ([`Simulator::hosted_choose`]: `submit` then `verify` or `fail`, the test helpers' own
//!   controls, so events and webhooks follow), then answers `303 See Other` to the session's
//!   `return_url` when it is an http or https URL, or shows the outcome (`200`). Leaving changes
//!   nothing and goes back the same way.
//! - A spent or expired token gets `410 Gone`, an unknown one `404`, a form without a known
//!   outcome or with a code the page does not offer `400`, another method `405`: each a short
//!   HTML page saying why.
//!
//! - `GET /stripe.js` is a stand-in for Stripe.js whose `Stripe(key).verifyIdentity(client_secret)`
//!   sends the browser to `GET /verify-identity/<client_secret>`, which answers `303` to the
//!   session's `url` while the secret is valid (24 hours, until a choice spends it), else the
//!   same refusal pages. It opens no modal, unlike Stripe.js: see `stripe.js`.
//!
//! The rules (which token is valid, when it is spent or expires) are the engine's
//! (`stripe_identity::engine::hosted`); this module only reads the form and renders. The page
//! needs no API key, as Stripe's does not, and faults are never injected into it.

mod page;

use crate::service::HttpResponse;
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use hyper::{Method, StatusCode};
use stripe_identity::engine::hosted::{Choice, ChoiceError, Refusal};
use stripe_identity::engine::Simulator;
use stripe_identity::model::LastErrorCode;
use stripe_identity::wire::{self, Limits, Node};

/// Where hosted pages are served.
pub const PREFIX: &str = "/start/";

/// Where the stand-in for Stripe.js sends `verifyIdentity(client_secret)`.
pub const SECRET_PREFIX: &str = "/verify-identity/";

/// The stand-in for Stripe.js.
pub const SCRIPT_PATH: &str = "/stripe.js";

const SCRIPT: &str = include_str!("stripe.js");

/// The page's security headers: nothing loads from anywhere, no script runs, no frame holds it.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'";

/// Whether a path is a hosted page's.
pub fn serves(path: &str) -> bool {
    path.starts_with(PREFIX) || path.starts_with(SECRET_PREFIX) || path == SCRIPT_PATH
}

/// Answers a request for a hosted page.
pub fn respond(simulator: &Simulator, method: &Method, path: &str, body: &[u8]) -> HttpResponse {
    let reading = matches!(*method, Method::GET | Method::HEAD);
    if path == SCRIPT_PATH && reading {
        let mut response = html(StatusCode::OK, SCRIPT.to_string());
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8"));
        return response;
    }
    if let Some(secret) = path.strip_prefix(SECRET_PREFIX).filter(|_| reading) {
        // A secret is letters, digits and `_`, which `encodeURIComponent` leaves as they are.
        return match simulator.hosted_url_for_secret(secret).map(|url| HeaderValue::from_str(&url)) {
            Ok(Ok(location)) => {
                let mut response = html(
                    StatusCode::SEE_OTHER,
                    page::problem("Verify your identity", "Continue to the page."),
                );
                response.headers_mut().insert(LOCATION, location);
                response
            }
            Ok(Err(_)) => refused(Refusal::Unknown),
            Err(refusal) => refused(refusal),
        };
    }
    let Some(token) = path.strip_prefix(PREFIX) else {
        // The script and the secret's redirect, asked with another method.
        return method_not_allowed("GET, HEAD");
    };
    match *method {
        Method::GET | Method::HEAD => match simulator.hosted_session(token) {
            Ok(session) => html(StatusCode::OK, page::start(&session, simulator.clock().now())),
            Err(refusal) => refused(refusal),
        },
        Method::POST => choose(simulator, token, body),
        _ => method_not_allowed("GET, HEAD, POST"),
    }
}

fn method_not_allowed(allow: &'static str) -> HttpResponse {
    let mut response = html(
        StatusCode::METHOD_NOT_ALLOWED,
        page::problem("Method not allowed", &format!("This address answers {allow} only.")),
    );
    response.headers_mut().insert(ALLOW, HeaderValue::from_static(allow));
    response
}

fn choose(simulator: &Simulator, token: &str, body: &[u8]) -> HttpResponse {
    // The form is decoded as the API's bodies are, with the same bounds.
    let decoded = match wire::form_text(body) {
        Ok(text) => wire::decode(text, &Limits::default()),
        Err(error) => Err(error),
    };
    let form = match decoded {
        Ok(form) => form,
        Err(error) => return bad_form(error.message.as_deref().unwrap_or("The form could not be read.")),
    };
    let field = |name: &str| form.get(name).and_then(Node::as_str);
    let choice = match field("outcome") {
        Some("verify") => Choice::Verify,
        Some("fail") => match field("code") {
            Some(code) if !code.is_empty() => Choice::Fail(LastErrorCode::parse(code)),
            _ => return bad_form("Choose a failure code."),
        },
        Some("abandon") => {
            return match simulator.hosted_session(token) {
                Ok(page) => leave(&page.session, "You left without verifying", page.return_url.as_deref()),
                Err(refusal) => refused(refusal),
            }
        }
        _ => return bad_form("Choose an outcome: verify, fail or abandon."),
    };
    match simulator.hosted_choose(token, &choice) {
        Ok(page) => {
            let heading = match choice {
                Choice::Verify => "Verification submitted: verified",
                Choice::Fail(_) => "Verification submitted: it failed",
            };
            leave(&page.session, heading, page.return_url.as_deref())
        }
        Err(ChoiceError::Refused(refusal)) => refused(refusal),
        Err(ChoiceError::Code(code)) => {
            bad_form(&format!("The code {code} is not one this session's checks can fail with."))
        }
        Err(ChoiceError::Failed(status, message)) => html(
            StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            page::problem("Nothing was changed", &message),
        ),
    }
}

/// After a choice: back to `return_url` when the browser can follow it, else the outcome.
fn leave(
    session: &stripe_identity::model::VerificationSession,
    heading: &str,
    return_url: Option<&str>,
) -> HttpResponse {
    let followable = return_url.filter(|u| {
        u.parse::<hyper::Uri>()
            .is_ok_and(|uri| matches!(uri.scheme_str(), Some("http" | "https")) && uri.authority().is_some())
    });
    if let Some(location) = followable.and_then(|u| HeaderValue::from_str(u).ok()) {
        let mut response = html(StatusCode::SEE_OTHER, page::outcome(session, heading, None));
        response.headers_mut().insert(LOCATION, location);
        return response;
    }
    html(StatusCode::OK, page::outcome(session, heading, return_url))
}

fn refused(refusal: Refusal) -> HttpResponse {
    let heading = match refusal {
        Refusal::Unknown => "Link not found",
        Refusal::Spent => "Link already used",
        Refusal::Expired => "Link expired",
    };
    let status = StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::NOT_FOUND);
    html(status, page::problem(heading, refusal.message()))
}

fn bad_form(message: &str) -> HttpResponse {
    html(StatusCode::BAD_REQUEST, page::problem("Nothing was changed", message))
}

fn html(status: StatusCode, body: String) -> HttpResponse {
    let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("content-security-policy", HeaderValue::from_static(POLICY));
    headers.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    response
}
