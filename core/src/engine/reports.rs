//! VerificationReports: storing them in creation order, retrieving one, and listing them
//! newest first with the API's filters and cursors.
//!
//! A report retrieved or listed on its own shows its sensitive keys (`document.dob`, …) only
//! when expanded by name. The sub-objects the spec lists as expandable (`document`, `selfie`,
//! `id_number`, `email`, `phone`, `options`) are always present, so expanding them is accepted
//! and changes nothing, as for a session's `options`.

use super::errors::{self, Failure};
use super::expand::{self, Expand};
use super::ops::json;
use super::state::State;
use super::{paging, schema};
use crate::api::models::VERIFICATION_REPORT;
use crate::model::{List, VerificationReport};
use crate::wire::Node;

/// Path of the collection, also the list's `url`.
pub const REPORTS: &str = "/v1/identity/verification_reports";

/// `GET /v1/identity/verification_reports/:id`.
pub fn retrieve(state: &State, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    let report = state.reports.get(id).ok_or_else(|| errors::no_such_report(id))?;
    let ex = parse_expand(p, "")?;
    Ok(json(&expand::report_view(report, ex)))
}

/// `GET /v1/identity/verification_reports`.
pub fn list(state: &State, p: &Node) -> Result<Vec<u8>, Failure> {
    let limit = match p.get("limit") {
        Some(n) => schema::integer(n, "limit")?,
        None => 10,
    };
    if !(1..=100).contains(&limit) {
        return Err(errors::limit_out_of_range(limit));
    }
    let ex = parse_expand(p, "data.")?;
    let text = |k: &str| p.get(k).and_then(Node::as_str);
    let (min, max) = created_bounds(p)?;
    let cursor = match (text("starting_after"), text("ending_before")) {
        (Some(_), Some(_)) => return Err(errors::exclusive("starting_after", "ending_before")),
        (Some(id), None) => Some((key_of(state, id, "starting_after")?, true)),
        (None, Some(id)) => Some((key_of(state, id, "ending_before")?, false)),
        (None, None) => None,
    };
    let matches = |r: &VerificationReport| {
        text("client_reference_id").is_none_or(|v| r.client_reference_id.as_deref() == Some(v))
            && text("type").is_none_or(|v| r.r#type.as_str() == v)
            && text("verification_session").is_none_or(|v| r.verification_session.as_deref() == Some(v))
            && min.is_none_or(|t| r.created >= t)
            && max.is_none_or(|t| r.created <= t)
    };
    let all = state.report_order.iter().filter_map(|(k, id)| Some((*k, state.reports.get(id)?)));
    // Newest first; `starting_after` goes to older ones, `ending_before` to newer ones.
    let (page, has_more) = paging::newest_first(all, cursor, limit as usize, |r| matches(r));
    let data = page.into_iter().map(|r| expand::report_view(r, ex)).collect();
    Ok(json(&List { object: "list".into(), url: REPORTS.into(), has_more, data, extra: Default::default() }))
}

/// `created`: exactly a time, or a range (`gt`, `gte`, `lt`, `lte`), as inclusive bounds.
pub(super) fn created_bounds(p: &Node) -> Result<(Option<i64>, Option<i64>), Failure> {
    let Some(created) = p.get("created") else { return Ok((None, None)) };
    if !matches!(created, Node::Map(_)) {
        let t = schema::integer(created, "created")?;
        return Ok((Some(t), Some(t)));
    }
    let bound = |key: &str| -> Result<Option<i64>, Failure> {
        created.get(key).map(|n| schema::integer(n, &format!("created[{key}]"))).transpose()
    };
    let min = [bound("gte")?, bound("gt")?.map(|t| t.saturating_add(1))].into_iter().flatten().max();
    let max = [bound("lte")?, bound("lt")?.map(|t| t.saturating_sub(1))].into_iter().flatten().min();
    Ok((min, max))
}

/// Where a cursor's report sits in the order, or the API's 404 naming the cursor.
fn key_of(state: &State, id: &str, param: &str) -> Result<(i64, u64), Failure> {
    let missing = || {
        let mut f = errors::no_such_report(id);
        f.error.param = Some(param.to_string());
        f
    };
    let created = state.reports.get(id).ok_or_else(missing)?.created;
    state
        .report_order
        .range((created, 0)..=(created, u64::MAX))
        .find(|(_, each)| each.as_str() == id)
        .map(|(k, _)| *k)
        .ok_or_else(missing)
}

/// Reads `expand` of reports answered on their own (`prefix` is `data.` for a list): the
/// report's expandable sub-objects (from the API's description), and its sensitive keys by
/// name (`document.dob`), read as the same bits a session's
/// `last_verification_report.document.dob` sets.
fn parse_expand(p: &Node, prefix: &str) -> Result<Expand, Failure> {
    let Some(list) = p.get("expand").and_then(Node::as_list) else { return Ok(Expand::default()) };
    let mut keys = Vec::with_capacity(list.len());
    for n in list {
        let raw = n.as_str().unwrap_or_default();
        let path = raw.strip_prefix(prefix).ok_or_else(|| errors::cannot_expand(raw))?;
        if VERIFICATION_REPORT.field(path).is_some_and(|f| f.expandable) {
            continue;
        }
        // Only the report's own sensitive keys can be expanded beyond that.
        if !path.starts_with("document.") && !path.starts_with("id_number.") {
            return Err(errors::cannot_expand(raw));
        }
        keys.push(Node::Str(format!("last_verification_report.{path}")));
    }
    Expand::parse(&Node::Map(vec![("expand".into(), Node::List(keys))]), "").map_err(|mut f| {
        if let Some(m) = f.error.message.as_mut() {
            *m = m.replace("last_verification_report.", prefix);
        }
        f
    })
}
