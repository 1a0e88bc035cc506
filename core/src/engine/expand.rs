//! `expand[]`: which includable fields an answer carries, and rendering a stored session with
//! them.
//!
//! Includable paths (facts §1): `provided_details` and `verified_outputs` are absent unless
//! expanded; inside `verified_outputs`, `dob`, `id_number`, `sex` and the `unparsed_*` keys need
//! their own path (`verified_outputs.dob`, …; UNCONFIRMED verbatim, consistent with the SDK
//! types); `last_verification_report` becomes the report, whose own sensitive keys
//! (`document.dob`, `document.number`, …) need their own path too. `last_error`, `options` and
//! `redaction` are listed as expandable by the spec but are always present, so they are accepted
//! and change nothing. A restricted key is not required by the simulator.

use super::errors::{self, Failure};
use super::state::Record;
use crate::api::models::VERIFICATION_SESSION;
use crate::model::{Expandable, VerificationReport, VerifiedOutputs};
use crate::wire::Node;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;

/// Deepest expansion the API allows.
pub const MAX_DEPTH: usize = 4;

const PATHS: &[&str] = &[
    "provided_details",
    "verified_outputs",
    "verified_outputs.dob",
    "verified_outputs.id_number",
    "verified_outputs.sex",
    "verified_outputs.unparsed_place_of_birth",
    "verified_outputs.unparsed_sex",
    "last_verification_report",
    "last_verification_report.document.dob",
    "last_verification_report.document.expiration_date",
    "last_verification_report.document.number",
    "last_verification_report.document.sex",
    "last_verification_report.document.unparsed_place_of_birth",
    "last_verification_report.document.unparsed_sex",
    "last_verification_report.id_number.dob",
    "last_verification_report.id_number.id_number",
    "last_error",
    "options",
    "redaction",
];

/// The set of paths a request expanded: bit `i` is `PATHS[i]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expand(u32);

impl Expand {
    fn has(self, path: &str) -> bool {
        PATHS.iter().position(|p| *p == path).is_some_and(|i| self.0 & (1 << i) != 0)
    }

    /// Nothing expanded.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Reads `expand` of a session answer; `prefix` is `"data."` for lists.
    pub fn parse(root: &Node, prefix: &str) -> Result<Expand, Failure> {
        let Some(node) = root.get("expand") else { return Ok(Expand::default()) };
        let mut bits = 0u32;
        for item in node.as_list().unwrap_or_default() {
            let raw = item.as_str().unwrap_or_default();
            let path = raw.strip_prefix(prefix).ok_or_else(|| errors::cannot_expand(raw))?;
            if raw.split('.').count() > MAX_DEPTH {
                return Err(errors::cannot_expand(raw));
            }
            let Some(i) = PATHS.iter().position(|p| *p == path) else {
                // Any other field the description marks expandable (`related_person`) is always
                // present when set, so expanding it is accepted and changes nothing.
                if VERIFICATION_SESSION.field(path).is_some_and(|f| f.expandable) {
                    continue;
                }
                return Err(errors::cannot_expand(raw));
            };
            bits |= 1 << i;
            // Asking for a key inside an object implies the object.
            if let Some((parent, _)) = path.split_once('.') {
                bits |= 1 << PATHS.iter().position(|p| *p == parent).unwrap_or(0);
            }
        }
        Ok(Expand(bits))
    }
}

/// The session as an answer with these expansions: the stored text when nothing is expanded.
pub fn render<'a>(
    rec: &'a Record,
    reports: &HashMap<String, VerificationReport>,
    ex: Expand,
) -> Cow<'a, RawValue> {
    if ex.is_empty() {
        return Cow::Borrowed(&rec.json);
    }
    let d = rec.load();
    let mut s = d.session;
    if ex.has("provided_details") {
        s.provided_details = Some(d.provided);
    }
    if ex.has("verified_outputs") {
        s.verified_outputs = Some(d.outputs.as_deref().map(|o| outputs_view(o, ex)));
    }
    if ex.has("last_verification_report") {
        if let Some(Expandable::Id(id)) = &s.last_verification_report {
            if let Some(report) = reports.get(id) {
                s.last_verification_report = Some(Expandable::Object(Box::new(report_view(report, ex))));
            }
        }
    }
    Cow::Owned(serde_json::value::to_raw_value(&s).expect("a session always serializes"))
}

fn outputs_view(full: &VerifiedOutputs, ex: Expand) -> VerifiedOutputs {
    let mut o = full.clone();
    let keep = |path: &str| ex.has(path);
    if !keep("verified_outputs.dob") {
        o.dob = None;
    }
    if !keep("verified_outputs.id_number") {
        o.id_number = None;
    }
    if !keep("verified_outputs.sex") {
        o.sex = None;
    }
    if !keep("verified_outputs.unparsed_place_of_birth") {
        o.unparsed_place_of_birth = None;
    }
    if !keep("verified_outputs.unparsed_sex") {
        o.unparsed_sex = None;
    }
    o
}

/// A report with only the sensitive keys that were asked for (`prefix` is the path of the
/// report in the request: `last_verification_report.` from a session).
pub fn report_view(full: &VerificationReport, ex: Expand) -> VerificationReport {
    let mut r = full.clone();
    let keep = |path: &str| ex.has(&format!("last_verification_report.{path}"));
    if let Some(d) = r.document.as_mut() {
        if !keep("document.dob") {
            d.dob = None;
        }
        if !keep("document.expiration_date") {
            d.expiration_date = None;
        }
        if !keep("document.number") {
            d.number = None;
        }
        if !keep("document.sex") {
            d.sex = None;
        }
        if !keep("document.unparsed_place_of_birth") {
            d.unparsed_place_of_birth = None;
        }
        if !keep("document.unparsed_sex") {
            d.unparsed_sex = None;
        }
    }
    if let Some(n) = r.id_number.as_mut() {
        if !keep("id_number.dob") {
            n.dob = None;
        }
        if !keep("id_number.id_number") {
            n.id_number = None;
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(paths: &[&str]) -> Node {
        Node::Map(vec![(
            "expand".into(),
            Node::List(paths.iter().map(|p| Node::Str(p.to_string())).collect()),
        )])
    }

    #[test]
    fn parses_known_paths_and_implies_parents() {
        let ex = Expand::parse(&expand(&["verified_outputs.dob"]), "").unwrap();
        assert!(ex.has("verified_outputs") && ex.has("verified_outputs.dob"));
        assert!(!ex.has("verified_outputs.id_number"));
        let ex = Expand::parse(&expand(&["data.last_verification_report"]), "data.").unwrap();
        assert!(ex.has("last_verification_report"));
    }

    #[test]
    fn refuses_unknown_paths_missing_prefixes_and_depth() {
        for bad in [&["colour"][..], &["verified_outputs.shoe_size"], &["a.b.c.d.e"]] {
            let e = Expand::parse(&expand(bad), "").unwrap_err();
            assert_eq!(e.error.param.as_deref(), Some("expand"));
        }
        assert!(Expand::parse(&expand(&["verified_outputs"]), "data.").is_err());
    }
}
