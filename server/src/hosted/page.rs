//! The hosted page's HTML: plain, server-rendered, one inline style sheet, no script and no
//! external asset. Every value that comes from a request (the session's fields, the return
//! URL, a code) goes through `html_escape`; the rest is fixed text.

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use stripe_identity::engine::hosted::HostedSession;
use stripe_identity::model::{VerificationSession, VerificationType};

/// Dark text on white and white on a dark violet (contrast above 7:1 and 6:1), and a thick
/// focus ring, so the page reads and tabs well.
const STYLE: &str = "\
*{box-sizing:border-box}\
body{margin:0;background:#f6f8fa;color:#1a1f36;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}\
main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid #d5dbe1;border-radius:12px}\
h1{font-size:1.5rem;margin:0 0 .5rem}\
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}\
.mode{display:inline-block;margin:0 0 1rem;padding:.1rem .5rem;border-radius:4px;background:#fff3cd;color:#5c3b00;font-size:.85rem;font-weight:600}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}\
dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}\
form{margin:1rem 0 0}\
label{display:block;font-weight:600;margin:0 0 .25rem}\
select{width:100%;padding:.5rem;font:inherit;color:#1a1f36;border:1px solid #6b7280;border-radius:6px;background:#fff}\
button{margin-top:.5rem;padding:.6rem 1.2rem;font:inherit;font-weight:600;border-radius:6px;cursor:pointer;border:2px solid #3d2bb5}\
.primary{background:#3d2bb5;color:#fff}\
.secondary{background:#fff;color:#3d2bb5}\
.quiet{background:#fff;color:#1a1f36;border-color:#6b7280}\
:focus-visible{outline:3px solid #d97706;outline-offset:2px}\
.note{color:#414552;font-size:.9rem}\
";

fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>{} · identity-mock</title><style>{STYLE}</style></head>\
         <body><main>{body}</main></body></html>\n",
        text(title)
    )
}

fn yes_no(value: Option<bool>) -> &'static str {
    if value == Some(true) {
        "required"
    } else {
        "not required"
    }
}

/// What the session asks for, as a definition list.
fn asks(s: &VerificationSession, page: &HostedSession) -> String {
    let mut rows: Vec<(&str, String)> = vec![("Session", s.id.clone()), ("Type", s.r#type.as_str().into())];
    if let Some(reference) = &s.client_reference_id {
        rows.push(("Reference", reference.clone()));
    }
    let doc = s.options.as_ref().and_then(|o| o.document.as_ref());
    if s.r#type != VerificationType::IdNumber {
        let types = doc
            .and_then(|d| d.allowed_types.as_ref())
            .filter(|t| !t.is_empty())
            .map(|t| t.iter().map(|t| t.as_str().replace('_', " ")).collect::<Vec<_>>().join(", "))
            .unwrap_or_else(|| "driving license, id card, passport".into());
        rows.push(("Document", types));
        rows.push(("Live capture", yes_no(doc.and_then(|d| d.require_live_capture)).into()));
        rows.push(("Selfie", yes_no(doc.and_then(|d| d.require_matching_selfie)).into()));
        rows.push(("ID number", yes_no(doc.and_then(|d| d.require_id_number)).into()));
    } else {
        rows.push(("ID number", "required".into()));
    }
    if page.has_email {
        rows.push(("Email", "to verify".into()));
    }
    if page.has_phone {
        rows.push(("Phone", "to verify".into()));
    }
    let items: String =
        rows.iter().map(|(k, v)| format!("<dt>{}</dt><dd>{}</dd>", text(k), text(v))).collect();
    format!("<dl>{items}</dl>")
}

/// The page a valid token opens: what the session asks for and the three choices.
pub fn start(page: &HostedSession, now: i64) -> String {
    let s = &page.session;
    // Rounded up: a fresh link says 48, one with minutes left says 1.
    let hours = ((page.expires_at - now).max(0) + 3599) / 3600;
    let options: String = page
        .failure_codes()
        .iter()
        .map(|c| format!("<option value=\"{}\">{}</option>", attr(c.as_str()), text(c.as_str())))
        .collect();
    let back = match &page.return_url {
        Some(url) => format!("<p class=\"note\">Afterwards you return to <code>{}</code>.</p>", text(url)),
        None => "<p class=\"note\">No return URL was given: the outcome is shown here.</p>".into(),
    };
    let last = match s.last_error.as_ref().and_then(|e| e.code.as_ref()) {
        Some(code) => {
            format!("<p>The last attempt failed: <code>{}</code>. Try again.</p>", text(code.as_str()))
        }
        None => String::new(),
    };
    let body = format!(
        "<p class=\"mode\">Test mode · identity-mock</p>\
         <h1>Verify your identity</h1>\
         <p>This page stands in for Stripe's hosted verification flow. Choose the outcome of the \
         checks; the session moves as it would, and its events and webhooks follow.</p>{last}\
         <h2>This session asks for</h2>{}\
         <h2>Outcome</h2>\
         <form method=\"post\"><input type=\"hidden\" name=\"outcome\" value=\"verify\">\
         <button type=\"submit\" class=\"primary\" id=\"verify\">Verify</button></form>\
         <form method=\"post\"><input type=\"hidden\" name=\"outcome\" value=\"fail\">\
         <label for=\"code\">Fail with</label><select id=\"code\" name=\"code\">{options}</select>\
         <button type=\"submit\" class=\"secondary\" id=\"fail\">Fail verification</button></form>\
         <form method=\"post\"><input type=\"hidden\" name=\"outcome\" value=\"abandon\">\
         <button type=\"submit\" class=\"quiet\" id=\"abandon\">Leave without verifying</button></form>\
         {back}<p class=\"note\">This link works until you verify or fail, and for {hours} more hours.</p>",
        asks(s, page)
    );
    layout("Verify your identity", &body)
}

/// The outcome, shown when there is no return URL to go back to (or it cannot be followed).
pub fn outcome(s: &VerificationSession, heading: &str, return_url: Option<&str>) -> String {
    let error = match s.last_error.as_ref().and_then(|e| e.code.as_ref()) {
        Some(code) => format!("<dt>Last error</dt><dd><code>{}</code></dd>", text(code.as_str())),
        None => String::new(),
    };
    let back = match return_url {
        Some(url) => {
            format!("<p>Return to <code>{}</code> (not followed: not an http or https URL).</p>", text(url))
        }
        None => String::new(),
    };
    let body = format!(
        "<p class=\"mode\">Test mode · identity-mock</p><h1>{}</h1>\
         <dl><dt>Session</dt><dd>{}</dd><dt>Status</dt><dd id=\"status\">{}</dd>{error}</dl>{back}",
        text(heading),
        text(&s.id),
        text(s.status.as_str())
    );
    layout(heading, &body)
}

/// A page that explains why nothing can be done here.
pub fn problem(heading: &str, message: &str) -> String {
    let body = format!(
        "<p class=\"mode\">Test mode · identity-mock</p><h1>{}</h1><p id=\"problem\">{}</p>",
        text(heading),
        text(message)
    );
    layout(heading, &body)
}
