//! The six operations on sessions, over the stored state. Parameters arrive as a checked
//! [`Node`] tree (see [`schema`](super::schema)); answers leave as JSON bytes.

use super::errors::{self, Failure};
use super::expand::{render, Expand};
use super::redaction::{redact_draft, redact_report, redact_snapshot};
use super::schema::{self, METADATA_MAX_KEYS};
use super::state::{Cursor, Draft, Link, ListFilter, Record, State, StoredEvent};
use super::{ids, Ctx};
use crate::model::{
    DocumentOptions, List, ProvidedDetails, RelatedPerson, SessionOptions, VerificationSession,
    VerificationStatus, VerificationType, SESSION_OBJECT,
};
use crate::wire::Node;
use std::collections::BTreeMap;

/// Path of the collection, also the list's `url`.
pub const COLLECTION: &str = "/v1/identity/verification_sessions";
pub use super::redaction::REDACTED;

fn str_of<'a>(p: &'a Node, key: &str) -> Option<&'a str> {
    p.get(key).and_then(Node::as_str)
}

pub(super) fn json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    // Serializing the model cannot fail: every map key is a string.
    serde_json::to_vec(value).unwrap_or_default()
}

/// Renders a session with the request's `expand`.
pub(super) fn answer(state: &State, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    let ex = Expand::parse(p, "")?;
    let rec = find(state, id)?;
    Ok(render(rec, &state.reports, ex).get().as_bytes().to_vec())
}

/// Records an event about a session.
pub(super) fn event(state: &mut State, ctx: &Ctx<'_>, kind: &'static str, id: &str) {
    if state.event_capacity == 0 && !state.outbox_enabled && !state.webhooks.delivering {
        return;
    }
    let Some(rec) = state.sessions.get(id) else { return };
    let snapshot = rec.json.get().to_string();
    state.record_and_announce(StoredEvent {
        id: ids::event_id(),
        r#type: kind,
        created: ctx.now,
        session_id: id.to_string(),
        snapshot,
        request_id: Some(ctx.request_id.to_string()),
        idempotency_key: ctx.idempotency_key.map(String::from),
        pending_webhooks: 0,
        delivery_success: None,
    });
}

/// The stored session, or the API's 404.
pub(super) fn find<'a>(state: &'a State, id: &str) -> Result<&'a Record, Failure> {
    state.sessions.get(id).ok_or_else(|| errors::no_such_session(id, "session"))
}

/// The stored session as a [`Draft`] to change, or the API's 404.
pub(super) fn draft(state: &State, id: &str) -> Result<Draft, Failure> {
    find(state, id).map(Record::load)
}

/// Whether a request's parameters are kept after its operation: with an idempotency key they
/// are, for replays; otherwise nothing reads them again, and their strings are moved into the
/// session rather than copied.
fn params_kept(ctx: &Ctx<'_>) -> bool {
    ctx.idempotency_key.is_some()
}

/// The scalar `key`: moved out of `p` unless `kept`, copied otherwise.
fn string_of(p: &mut Node, key: &str, kept: bool) -> Option<String> {
    match p.get_mut(key)? {
        Node::Str(s) if kept => Some(s.clone()),
        Node::Str(s) => Some(std::mem::take(s)),
        _ => None,
    }
}

/// [`apply_metadata`] with `p`'s `metadata`, its keys and values moved unless `kept`.
fn take_metadata(metadata: &mut BTreeMap<String, String>, p: &mut Node, kept: bool) -> Result<(), Failure> {
    match p.get_mut("metadata") {
        Some(Node::Map(entries)) if !kept => {
            for (k, v) in entries.iter_mut() {
                match v {
                    Node::Str(s) if !s.is_empty() => {
                        metadata.insert(std::mem::take(k), std::mem::take(s));
                    }
                    _ => {
                        metadata.remove(k.as_str());
                    }
                }
            }
            if metadata.len() > METADATA_MAX_KEYS {
                return Err(errors::metadata_too_many_keys(metadata.len()));
            }
            Ok(())
        }
        node => apply_metadata(metadata, node.map(|n| &*n)),
    }
}

/// `POST /v1/identity/verification_sessions`.
pub fn create(state: &mut State, ctx: &Ctx<'_>, p: &mut Node) -> Result<Vec<u8>, Failure> {
    let kept = params_kept(ctx);
    let flow = str_of(p, "verification_flow").map(String::from);
    let r#type = match (str_of(p, "type"), &flow) {
        (Some(_), Some(_)) => return Err(errors::exclusive("type", "verification_flow")),
        (Some(t), None) => VerificationType::parse(t),
        (None, Some(_)) => VerificationType::VerificationFlow,
        (None, None) => return Err(errors::missing("type")),
    };
    let ex = Expand::parse(p, "")?;
    let mut metadata = BTreeMap::new();
    take_metadata(&mut metadata, p, kept)?;
    let mut options = SessionOptions::default();
    apply_options(&mut options, p.get("options"));
    let related_person = match p.get("related_person") {
        Some(rp) => Some(RelatedPerson {
            account: str_of(rp, "account").ok_or_else(|| errors::missing("related_person[account]"))?.into(),
            person: str_of(rp, "person").ok_or_else(|| errors::missing("related_person[person]"))?.into(),
            extra: Default::default(),
        }),
        None => None,
    };
    let mut provided = None;
    apply_provided(&mut provided, p.get("provided_details"));
    let client_reference_id = string_of(p, "client_reference_id", kept);
    let related_customer = string_of(p, "related_customer", kept);
    let related_customer_account = string_of(p, "related_customer_account", kept);
    let return_url = string_of(p, "return_url", kept).map(String::into_boxed_str);

    let id = ids::session_id();
    let session = VerificationSession {
        client_secret: Some(ids::client_secret(&id)),
        url: Some(ids::hosted_url(&state.hosted_base, &id)),
        object: SESSION_OBJECT.into(),
        client_reference_id,
        created: ctx.now,
        last_error: None,
        last_verification_report: None,
        livemode: false,
        metadata,
        options: Some(options),
        provided_details: None,
        redaction: None,
        related_customer,
        related_customer_account,
        related_person,
        status: VerificationStatus::RequiresInput,
        r#type,
        verification_flow: flow,
        verified_outputs: None,
        extra: Default::default(),
        id: id.clone(),
    };
    let seq = state.next_seq;
    state.next_seq += 1;
    let link = Link { return_url, issued: ctx.now };
    state.save(Draft { seq, session, provided, outputs: None, reports: Vec::new(), link });
    event(state, ctx, "identity.verification_session.created", &id);
    Ok(render(&state.sessions[&id], &state.reports, ex).get().as_bytes().to_vec())
}

/// `GET /v1/identity/verification_sessions/:id`.
///
/// A session awaiting input carries a valid `client_secret` and `url`: the ones stored, which
/// stay valid until a submission spends them (`fail` then issues fresh ones).
pub fn retrieve(state: &State, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    answer(state, id, p)
}

/// `POST /v1/identity/verification_sessions/:id`.
pub fn update(state: &mut State, ctx: &Ctx<'_>, id: &str, p: &mut Node) -> Result<Vec<u8>, Failure> {
    Expand::parse(p, "")?;
    let mut d = draft(state, id)?;
    if d.session.redaction.is_some() {
        return Err(errors::redacted("updated"));
    }
    if d.session.status != VerificationStatus::RequiresInput {
        return Err(errors::unexpected_state("updated", d.session.status.as_str(), "requires_input"));
    }
    // `d` is a copy: a refusal half-way through leaves the stored session as it was.
    take_metadata(&mut d.session.metadata, p, params_kept(ctx))?;
    if let Some(t) = str_of(p, "type") {
        d.session.r#type = VerificationType::parse(t);
    }
    apply_options(d.session.options.get_or_insert_with(Default::default), p.get("options"));
    apply_provided(&mut d.provided, p.get("provided_details"));
    state.save(d);
    answer(state, id, p)
}

/// `POST /v1/identity/verification_sessions/:id/cancel`.
///
/// `last_error` from an earlier failed attempt is kept: it is history, not state
/// (UNCONFIRMED; the API's example shows `null` for a session that never failed).
pub fn cancel(state: &mut State, ctx: &Ctx<'_>, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    Expand::parse(p, "")?;
    let mut d = draft(state, id)?;
    if d.session.redaction.is_some() {
        return Err(errors::redacted("canceled"));
    }
    if d.session.status != VerificationStatus::RequiresInput {
        return Err(errors::unexpected_state("canceled", d.session.status.as_str(), "requires_input"));
    }
    d.session.status = VerificationStatus::Canceled;
    d.session.client_secret = None;
    d.session.url = None;
    state.save(d);
    event(state, ctx, "identity.verification_session.canceled", id);
    answer(state, id, p)
}

/// `POST /v1/identity/verification_sessions/:id/redact`.
///
/// From `requires_input` (which also cancels) or `verified`. Redacting a session whose
/// redaction already started answers it unchanged: the request asks for a state that holds.
/// A `canceled` session redacted earlier is therefore accepted too; one canceled without
/// redaction, or `processing`, is refused.
pub fn redact(state: &mut State, ctx: &Ctx<'_>, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    Expand::parse(p, "")?;
    let mut d = draft(state, id)?;
    if d.session.redaction.is_some() {
        return answer(state, id, p);
    }
    let was = d.session.status.clone();
    match was {
        VerificationStatus::RequiresInput | VerificationStatus::Verified => {}
        _ => return Err(errors::unexpected_state("redacted", was.as_str(), "requires_input or verified")),
    }
    redact_draft(&mut d);
    // Every report of the session, not only the last: earlier failed attempts hold personal
    // data too.
    for report_id in &d.reports {
        state.update_report(report_id, redact_report);
    }
    state.save(d);
    state.rewrite_snapshots(id, redact_snapshot);
    if was == VerificationStatus::RequiresInput {
        event(state, ctx, "identity.verification_session.canceled", id);
    }
    answer(state, id, p)
}

/// `GET /v1/identity/verification_sessions`.
pub fn list(state: &State, p: &Node) -> Result<Vec<u8>, Failure> {
    let limit = match p.get("limit") {
        Some(n) => schema::integer(n, "limit")?,
        None => 10,
    };
    if !(1..=100).contains(&limit) {
        return Err(errors::limit_out_of_range(limit));
    }
    let ex = Expand::parse(p, "data.")?;
    let after = str_of(p, "starting_after");
    let before = str_of(p, "ending_before");
    let cursor = match (after, before) {
        (Some(_), Some(_)) => return Err(errors::exclusive("starting_after", "ending_before")),
        (Some(id), None) => Cursor::After(cursor_key(state, id, "starting_after")?),
        (None, Some(id)) => Cursor::Before(cursor_key(state, id, "ending_before")?),
        (None, None) => Cursor::Start,
    };
    let mut filter = ListFilter {
        status: str_of(p, "status"),
        client_reference_id: str_of(p, "client_reference_id"),
        related_customer: str_of(p, "related_customer"),
        related_customer_account: str_of(p, "related_customer_account"),
        ..Default::default()
    };
    if let Some(created) = p.get("created") {
        let bound = |key: &str| -> Result<Option<i64>, Failure> {
            created.get(key).map(|n| schema::integer(n, &format!("created[{key}]"))).transpose()
        };
        match created {
            Node::Map(_) => {
                let min =
                    [bound("gte")?, bound("gt")?.map(|t| t.saturating_add(1))].into_iter().flatten().max();
                let max =
                    [bound("lte")?, bound("lt")?.map(|t| t.saturating_sub(1))].into_iter().flatten().min();
                filter.created_min = min;
                filter.created_max = max;
            }
            _ => {
                let t = schema::integer(created, "created")?;
                filter.created_min = Some(t);
                filter.created_max = Some(t);
            }
        }
    }
    let (page, has_more) = state.page(&filter, cursor, limit as usize);
    let data: Vec<_> = page.into_iter().map(|rec| render(rec, &state.reports, ex)).collect();
    // Sized up front: a page of 100 sessions is tens of kilobytes, which growing by doubling
    // would copy several times over.
    let size = data.iter().map(|s| s.get().len() + 1).sum::<usize>() + 128;
    let page =
        List { object: "list".into(), url: COLLECTION.into(), has_more, data, extra: Default::default() };
    let mut out = Vec::with_capacity(size);
    // Serializing the model cannot fail: every map key is a string.
    serde_json::to_writer(&mut out, &page).unwrap_or_default();
    Ok(out)
}

fn cursor_key(state: &State, id: &str, param: &str) -> Result<(i64, u64), Failure> {
    state.sessions.get(id).map(Record::key).ok_or_else(|| errors::no_such_session(id, param))
}

pub(super) fn apply_metadata(
    metadata: &mut BTreeMap<String, String>,
    node: Option<&Node>,
) -> Result<(), Failure> {
    match node {
        None => {}
        Some(n) if n.is_unset() => metadata.clear(),
        Some(n) => {
            for (k, v) in n.entries() {
                match v.as_str() {
                    Some("") | None => {
                        metadata.remove(k);
                    }
                    Some(v) => {
                        metadata.insert(k.clone(), v.to_string());
                    }
                }
            }
        }
    }
    if metadata.len() > METADATA_MAX_KEYS {
        return Err(errors::metadata_too_many_keys(metadata.len()));
    }
    Ok(())
}

/// `options[document]` replaces the document options whole; `options[document]=` removes them.
fn apply_options(options: &mut SessionOptions, node: Option<&Node>) {
    let Some(doc) = node.and_then(|o| o.get("document")) else { return };
    if doc.is_unset() {
        options.document = None;
        return;
    }
    let flag = |k: &str| doc.get(k).map(schema::boolean);
    options.document = Some(DocumentOptions {
        allowed_types: doc.get("allowed_types").and_then(Node::as_list).map(|items| {
            items.into_iter().filter_map(Node::as_str).map(crate::model::DocumentType::parse).collect()
        }),
        require_id_number: flag("require_id_number"),
        require_live_capture: flag("require_live_capture"),
        require_matching_selfie: flag("require_matching_selfie"),
        extra: Default::default(),
    });
}

/// Each of `email` and `phone` is set or kept.
fn apply_provided(provided: &mut Option<ProvidedDetails>, node: Option<&Node>) {
    let Some(node) = node else { return };
    let pd = provided.get_or_insert_with(Default::default);
    // The schema refuses empty values here, so each key is either set or kept.
    for (key, slot) in [("email", &mut pd.email), ("phone", &mut pd.phone)] {
        if let Some(v) = node.get(key).and_then(Node::as_str) {
            *slot = Some(v.to_string());
        }
    }
}
