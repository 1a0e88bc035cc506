//! Redaction, in one place: which personal data a redacted session, its verified outputs,
//! its reports and its recorded events lose, and the placeholder that replaces it. Used by
//! `redact` (ops.rs); the controls (lifecycle.rs) only write data that this can later erase.

use super::state::Draft;
use crate::model::{
    Address, Redaction, RedactionStatus, Sex, VerificationReport, VerificationStatus, VerifiedOutputs,
};

/// The placeholder that replaces personal data on redaction.
pub const REDACTED: &str = "[redacted]";

/// Replaces personal data. `client_reference_id` is the caller's own reference, not personal
/// data, and stays (UNCONFIRMED which fields the API replaces).
pub(super) fn redact_draft(d: &mut Draft) {
    let s = &mut d.session;
    if s.status == VerificationStatus::RequiresInput {
        s.status = VerificationStatus::Canceled;
    }
    s.client_secret = None;
    s.url = None;
    s.metadata.clear();
    s.redaction = Some(Redaction { status: RedactionStatus::Processing, extra: Default::default() });
    if let Some(pd) = d.provided.as_mut() {
        for v in [&mut pd.email, &mut pd.phone].into_iter().flatten() {
            *v = REDACTED.into();
        }
    }
    if let Some(o) = d.outputs.as_mut() {
        redact_outputs(o);
    }
}

pub(super) fn redact_snapshot(snapshot: &str) -> String {
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(snapshot) else { return snapshot.into() };
    v["metadata"] = serde_json::json!({});
    v["client_secret"] = serde_json::Value::Null;
    v["url"] = serde_json::Value::Null;
    v.to_string()
}

fn redact_str(v: &mut Option<String>) {
    if v.is_some() {
        *v = Some(REDACTED.into());
    }
}

fn redact_address(a: &mut Option<Address>) {
    if let Some(a) = a.as_mut() {
        for v in [&mut a.city, &mut a.country, &mut a.line1, &mut a.line2, &mut a.postal_code, &mut a.state] {
            redact_str(v);
        }
    }
}

/// Replaces personal data in verified outputs; dates cannot hold the placeholder and become null.
pub fn redact_outputs(o: &mut VerifiedOutputs) {
    redact_address(&mut o.address);
    for v in [&mut o.email, &mut o.first_name, &mut o.last_name, &mut o.phone] {
        redact_str(v);
    }
    for v in [&mut o.id_number, &mut o.unparsed_place_of_birth, &mut o.unparsed_sex].into_iter().flatten() {
        redact_str(v);
    }
    if o.dob.is_some() {
        o.dob = Some(None);
    }
    if let Some(Some(_)) = o.sex {
        o.sex = Some(Some(Sex::Redacted));
    }
}

/// Replaces personal data in a report.
pub fn redact_report(r: &mut VerificationReport) {
    if let Some(d) = r.document.as_mut() {
        redact_address(&mut d.address);
        redact_str(&mut d.first_name);
        redact_str(&mut d.last_name);
        for v in [&mut d.number, &mut d.unparsed_place_of_birth, &mut d.unparsed_sex].into_iter().flatten() {
            redact_str(v);
        }
        if d.dob.is_some() {
            d.dob = Some(None);
        }
        if d.expiration_date.is_some() {
            d.expiration_date = Some(None);
        }
        d.issued_date = None;
        if let Some(Some(_)) = d.sex {
            d.sex = Some(Some(Sex::Redacted));
        }
    }
    if let Some(n) = r.id_number.as_mut() {
        redact_str(&mut n.first_name);
        redact_str(&mut n.last_name);
        if let Some(v) = n.id_number.as_mut() {
            redact_str(v);
        }
        if n.dob.is_some() {
            n.dob = Some(None);
        }
    }
    for c in [r.email.as_mut(), r.phone.as_mut()].into_iter().flatten() {
        for v in [c.email.as_mut(), c.phone.as_mut()].into_iter().flatten() {
            redact_str(v);
        }
    }
}
