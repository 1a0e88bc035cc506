//! `GET /v1/events/:id` and `GET /v1/events`: the event log read as the API's Event resource,
//! newest first, with the API's filters and cursors.
//!
//! The log is bounded ([`super::DEFAULT_EVENT_CAPACITY`] events and
//! [`super::DEFAULT_EVENT_BYTES`] bytes; the real API keeps events for 30 days). An event that
//! has fallen out of it is gone: retrieving it answers 404 `resource_missing`, a list returns
//! only the events still held (so `has_more` is false after the oldest kept one), and a cursor
//! (`starting_after`, `ending_before`) naming a dropped event answers 404 naming that cursor.
//! A page fetched before events were dropped stays valid as long as its last id is still held.

use super::errors::{self, Failure};
use super::ops::json;
use super::reports::created_bounds;
use super::state::{State, StoredEvent};
use super::{paging, schema};
use crate::model::List;
use crate::wire::Node;

/// Path of the collection, also the list's `url`.
pub const EVENTS: &str = "/v1/events";

/// Most entries of `types`, as the API allows.
const MAX_TYPES: usize = 20;

/// `GET /v1/events/:id`.
pub fn retrieve(state: &State, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    refuse_expand(p, "")?;
    let event = state.events.iter().find(|e| e.id == id).ok_or_else(|| errors::no_such_event(id, "id"))?;
    Ok(json(&event.to_event()))
}

/// `GET /v1/events`.
pub fn list(state: &State, p: &Node) -> Result<Vec<u8>, Failure> {
    let limit = match p.get("limit") {
        Some(n) => schema::integer(n, "limit")?,
        None => 10,
    };
    if !(1..=100).contains(&limit) {
        return Err(errors::limit_out_of_range(limit));
    }
    refuse_expand(p, "data.")?;
    let text = |k: &str| p.get(k).and_then(Node::as_str);
    let types: Vec<&str> = p
        .get("types")
        .and_then(Node::as_list)
        .unwrap_or_default()
        .into_iter()
        .filter_map(Node::as_str)
        .collect();
    if text("type").is_some() && !types.is_empty() {
        return Err(errors::exclusive("type", "types"));
    }
    if types.len() > MAX_TYPES {
        return Err(errors::invalid_shape("types", &format!("array of at most {MAX_TYPES} event types")));
    }
    let delivery_success = p.get("delivery_success").map(schema::boolean);
    let (min, max) = created_bounds(p)?;
    let position = |id: &str, param: &str| {
        state.events.iter().position(|e| e.id == id).ok_or_else(|| errors::no_such_event(id, param))
    };
    let cursor = match (text("starting_after"), text("ending_before")) {
        (Some(_), Some(_)) => return Err(errors::exclusive("starting_after", "ending_before")),
        (Some(id), None) => Some((position(id, "starting_after")?, true)),
        (None, Some(id)) => Some((position(id, "ending_before")?, false)),
        (None, None) => None,
    };
    let matches = |e: &StoredEvent| {
        text("type").is_none_or(|t| type_matches(t, e.r#type))
            && (types.is_empty() || types.contains(&e.r#type))
            // Events owed no delivery match neither value (UNCONFIRMED: the API does not say).
            && delivery_success.is_none_or(|want| e.delivery_success == Some(want))
            && min.is_none_or(|t| e.created >= t)
            && max.is_none_or(|t| e.created <= t)
    };
    // The log is oldest first; the list is newest first. `starting_after` goes to older
    // events, `ending_before` to newer ones.
    let (page, has_more) =
        paging::newest_first(state.events.iter().enumerate(), cursor, limit as usize, |e| matches(e));
    let data: Vec<_> = page.into_iter().map(StoredEvent::to_event).collect();
    Ok(json(&List { object: "list".into(), url: EVENTS.into(), has_more, data, extra: Default::default() }))
}

/// `type` matches an event type exactly, or with each `*` standing for any text (the API's
/// wildcard, `identity.verification_session.*`).
fn type_matches(pattern: &str, kind: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = kind.strip_prefix(first) else { return false };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else { return rest.is_empty() };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Events expand nothing here: `data.object` is a snapshot, never expanded (facts §9).
fn refuse_expand(p: &Node, prefix: &str) -> Result<(), Failure> {
    let asked = p.get("expand").and_then(Node::as_list).unwrap_or_default();
    match asked.first() {
        Some(first) => Err(errors::cannot_expand(first.as_str().unwrap_or(prefix))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::{list, type_matches};
    use crate::engine::state::{State, StoredEvent};
    use crate::wire::Node;

    #[test]
    fn delivery_success_filters_on_what_delivery_recorded() {
        let mut state = State::default();
        for (i, delivered) in [Some(true), Some(false), None].into_iter().enumerate() {
            state.record_event(StoredEvent {
                id: format!("evt_{i}"),
                r#type: "identity.verification_session.created",
                created: 1,
                session_id: "vs_1".into(),
                snapshot: "{}".into(),
                request_id: None,
                idempotency_key: None,
                pending_webhooks: u32::from(delivered == Some(false)),
                delivery_success: delivered,
            });
        }
        let ids = |value: &str| -> Vec<String> {
            let p = Node::Map(vec![("delivery_success".into(), Node::Str(value.into()))]);
            let page: serde_json::Value = serde_json::from_slice(&list(&state, &p).unwrap()).unwrap();
            page["data"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect()
        };
        assert_eq!(ids("true"), ["evt_0"]);
        assert_eq!(ids("false"), ["evt_1"]);
        let all: serde_json::Value =
            serde_json::from_slice(&list(&state, &Node::Map(vec![])).unwrap()).unwrap();
        assert_eq!(all["data"][1]["pending_webhooks"], 1);
    }

    #[test]
    fn type_wildcards() {
        let t = "identity.verification_session.verified";
        assert!(type_matches(t, t));
        assert!(type_matches("identity.verification_session.*", t));
        assert!(type_matches("*", t));
        assert!(type_matches("identity.*.verified", t));
        assert!(type_matches("*.verified", t));
        assert!(!type_matches("identity.verification_session.verifie", t));
        assert!(!type_matches("*.canceled", t));
        assert!(!type_matches("identity.*.verified.*x", t));
        assert!(!type_matches("", t));
    }
}
