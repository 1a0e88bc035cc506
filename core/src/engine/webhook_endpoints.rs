//! Webhook endpoints (`/v1/webhook_endpoints`): stored in the simulator's state, so
//! `Client::local()` and identity-mock both serve them, and consulted each time an event is
//! recorded to say which endpoints are owed a delivery.
//!
//! The simulator delivers nothing itself: a delivery worker (identity-mock's) registers with
//! [`Simulator::deliver_webhooks`](super::Simulator::deliver_webhooks), hears of each event with
//! its [`WebhookTarget`]s, and reports each success back through
//! [`Simulator::webhook_delivery_done`](super::Simulator::webhook_delivery_done). Without a worker
//! (`Client::local()`), no delivery is owed and `pending_webhooks` stays 0.
//!
//! Choices: at most 16 endpoints, as the API allows an account; `enabled_events` takes `*` and
//! the six identity types only (the simulator never emits others; see `differences.rs`);
//! `connect` and `api_version` are kept or accepted but change nothing (events are rendered with
//! the simulator's version). With a store attached (identity-mock's `--data`), endpoints and
//! their secrets are kept like sessions, so a restart keeps delivering to them.

use super::errors::{self, Failure};
use super::ops::{apply_metadata, json};
use super::state::State;
use super::{ids, schema, Ctx};
use crate::api::params::ENABLED_EVENTS;
use crate::model::{DeletedWebhookEndpoint, List, WebhookEndpoint, WEBHOOK_ENDPOINT_OBJECT};
use crate::wire::Node;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Path of the collection, also the list's `url`.
pub const WEBHOOK_ENDPOINTS: &str = "/v1/webhook_endpoints";

/// Most endpoints kept at once (the API's limit per account).
pub const MAX_WEBHOOK_ENDPOINTS: usize = 16;

/// Where one event must be delivered: an enabled endpoint whose `enabled_events` match it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    /// The endpoint's id (`we_...`).
    pub endpoint: String,
    /// Where to post.
    pub url: String,
    /// The endpoint's signing secret (`whsec_...`).
    pub secret: String,
}

/// One stored endpoint, as a store keeps it too.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    /// Creation order.
    pub seq: u64,
    /// The endpoint as answered (without its secret).
    pub endpoint: WebhookEndpoint,
    /// Its signing secret.
    pub secret: String,
}

/// Every endpoint, oldest first (at most [`MAX_WEBHOOK_ENDPOINTS`], so a list is enough).
#[derive(Debug, Default)]
pub struct Endpoints {
    stored: Vec<Stored>,
    /// Whether a delivery worker listens; without one no delivery is owed.
    pub delivering: bool,
}

impl Endpoints {
    /// Every endpoint, oldest first (for the store).
    pub fn all(&self) -> &[Stored] {
        &self.stored
    }

    /// Puts the endpoints back as they were (a write undone, or a restart).
    pub fn replace(&mut self, stored: Vec<Stored>) {
        self.stored = stored;
    }

    /// The endpoints owed a delivery of an event of type `kind`, when a worker delivers.
    pub fn targets(&self, kind: &str) -> Vec<WebhookTarget> {
        if !self.delivering {
            return Vec::new();
        }
        self.stored
            .iter()
            .filter(|s| s.endpoint.status == "enabled")
            .filter(|s| s.endpoint.enabled_events.iter().any(|e| e == "*" || e == kind))
            .map(|s| WebhookTarget {
                endpoint: s.endpoint.id.clone(),
                url: s.endpoint.url.clone(),
                secret: s.secret.clone(),
            })
            .collect()
    }

    fn find(&self, id: &str) -> Result<usize, Failure> {
        self.stored
            .iter()
            .position(|s| s.endpoint.id == id)
            .ok_or_else(|| errors::no_such_webhook_endpoint(id, "webhook_endpoint"))
    }
}

/// Tells the journal (when a store is attached) what the endpoints were before a change.
fn journal(state: &mut State) {
    if let Some(journal) = state.journal.as_mut() {
        journal.endpoints(state.webhooks.stored.clone());
    }
}

/// A signing secret: `whsec_` and 32 random base62 characters.
pub fn secret() -> String {
    ids::random_id("whsec", 32)
}

fn str_of<'a>(p: &'a Node, key: &str) -> Option<&'a str> {
    p.get(key).and_then(Node::as_str)
}

/// Nothing on an endpoint is expandable; `expand` naming anything is refused.
fn no_expand(p: &Node) -> Result<(), Failure> {
    let items = p.get("expand").and_then(Node::as_list).unwrap_or_default();
    match items.first() {
        Some(item) => Err(errors::cannot_expand(item.as_str().unwrap_or_default())),
        None => Ok(()),
    }
}

/// An absolute `http` or `https` URL with a host (the API wants `https` in live mode only).
fn check_url(url: &str) -> Result<(), Failure> {
    match url.parse::<ureq::http::Uri>() {
        Ok(uri)
            if matches!(uri.scheme_str(), Some("http" | "https"))
                && uri.host().is_some_and(|h| !h.is_empty()) =>
        {
            Ok(())
        }
        _ => Err(errors::invalid_webhook_url(url)),
    }
}

fn enabled_events(p: &Node) -> Result<Option<Vec<String>>, Failure> {
    let Some(node) = p.get("enabled_events") else { return Ok(None) };
    let events: Vec<String> =
        node.as_list().unwrap_or_default().iter().filter_map(|n| n.as_str()).map(String::from).collect();
    if events.is_empty() {
        return Err(errors::no_enabled_events());
    }
    if !events.iter().all(|e| ENABLED_EVENTS.contains(&e.as_str())) {
        return Err(errors::invalid_enum("enabled_events", ENABLED_EVENTS));
    }
    Ok(Some(events))
}

fn description(p: &Node) -> Option<Option<String>> {
    str_of(p, "description").map(|d| (!d.is_empty()).then(|| d.to_string()))
}

/// `POST /v1/webhook_endpoints`: the only answer that shows `secret`.
pub fn create(state: &mut State, ctx: &Ctx<'_>, p: &Node) -> Result<Vec<u8>, Failure> {
    no_expand(p)?;
    let url = str_of(p, "url").ok_or_else(|| errors::missing("url"))?;
    check_url(url)?;
    let events = enabled_events(p)?.ok_or_else(|| errors::missing("enabled_events"))?;
    let mut metadata = BTreeMap::new();
    apply_metadata(&mut metadata, p.get("metadata"))?;
    if state.webhooks.stored.len() >= MAX_WEBHOOK_ENDPOINTS {
        return Err(errors::too_many_webhook_endpoints(MAX_WEBHOOK_ENDPOINTS));
    }
    let endpoint = WebhookEndpoint {
        id: ids::random_id("we", 24),
        object: WEBHOOK_ENDPOINT_OBJECT.into(),
        api_version: str_of(p, "api_version").map(String::from),
        application: None,
        created: ctx.now,
        description: description(p).flatten(),
        enabled_events: events,
        livemode: false,
        metadata,
        secret: None,
        status: "enabled".into(),
        url: url.to_string(),
        extra: Default::default(),
    };
    let secret = secret();
    let mut answer = endpoint.clone();
    answer.secret = Some(secret.clone());
    let seq = state.next_seq;
    state.next_seq += 1;
    journal(state);
    state.webhooks.stored.push(Stored { seq, endpoint, secret });
    Ok(json(&answer))
}

/// `GET /v1/webhook_endpoints/:id`.
pub fn retrieve(state: &State, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    no_expand(p)?;
    let i = state.webhooks.find(id)?;
    Ok(json(&state.webhooks.stored[i].endpoint))
}

/// `POST /v1/webhook_endpoints/:id`.
pub fn update(state: &mut State, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    no_expand(p)?;
    let i = state.webhooks.find(id)?;
    let mut endpoint = state.webhooks.stored[i].endpoint.clone();
    if let Some(url) = str_of(p, "url") {
        check_url(url)?;
        endpoint.url = url.to_string();
    }
    if let Some(events) = enabled_events(p)? {
        endpoint.enabled_events = events;
    }
    if let Some(d) = description(p) {
        endpoint.description = d;
    }
    apply_metadata(&mut endpoint.metadata, p.get("metadata"))?;
    if let Some(disabled) = p.get("disabled") {
        endpoint.status = if schema::boolean(disabled) { "disabled" } else { "enabled" }.into();
    }
    journal(state);
    state.webhooks.stored[i].endpoint = endpoint;
    Ok(json(&state.webhooks.stored[i].endpoint))
}

/// `DELETE /v1/webhook_endpoints/:id`. Deliveries already queued for it are still attempted.
pub fn delete(state: &mut State, id: &str) -> Result<Vec<u8>, Failure> {
    let i = state.webhooks.find(id)?;
    journal(state);
    let gone = state.webhooks.stored.remove(i);
    Ok(json(&DeletedWebhookEndpoint {
        id: gone.endpoint.id,
        object: WEBHOOK_ENDPOINT_OBJECT.into(),
        deleted: true,
        extra: Default::default(),
    }))
}

/// `GET /v1/webhook_endpoints`: newest first, with `limit`, `starting_after`, `ending_before`.
pub fn list(state: &State, p: &Node) -> Result<Vec<u8>, Failure> {
    let limit = match p.get("limit") {
        Some(n) => schema::integer(n, "limit")?,
        None => 10,
    };
    if !(1..=100).contains(&limit) {
        return Err(errors::limit_out_of_range(limit));
    }
    no_expand(p)?;
    let limit = limit as usize;
    // Newest first: creation order reversed.
    let all: Vec<&WebhookEndpoint> = state.webhooks.stored.iter().rev().map(|s| &s.endpoint).collect();
    let at = |id: &str, param: &str| {
        all.iter().position(|e| e.id == id).ok_or_else(|| errors::no_such_webhook_endpoint(id, param))
    };
    let (data, has_more): (Vec<&WebhookEndpoint>, bool) =
        match (str_of(p, "starting_after"), str_of(p, "ending_before")) {
            (Some(_), Some(_)) => return Err(errors::exclusive("starting_after", "ending_before")),
            (Some(id), None) => {
                let rest = &all[at(id, "starting_after")? + 1..];
                (rest.iter().take(limit).copied().collect(), rest.len() > limit)
            }
            (None, Some(id)) => {
                let before = &all[..at(id, "ending_before")?];
                let start = before.len().saturating_sub(limit);
                (before[start..].to_vec(), start > 0)
            }
            (None, None) => (all.iter().take(limit).copied().collect(), all.len() > limit),
        };
    Ok(json(&List {
        object: "list".into(),
        url: WEBHOOK_ENDPOINTS.into(),
        has_more,
        data,
        extra: Default::default(),
    }))
}
