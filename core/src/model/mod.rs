//! Typed API objects. Every enum is open and every object keeps the fields it does not know,
//! so a response from a newer API survives a round trip unchanged.

mod expandable;
mod list;
mod report;
mod session;
mod webhook_endpoint;

// The enums' values belong to the API's description; the model uses them as types.
pub use crate::api::enums::*;
pub use expandable::{double_option, Expandable, HasId};
pub use list::{Event, EventData, EventRequest, List};
pub use report::*;
pub use session::*;
pub use webhook_endpoint::*;

/// `object` of a session.
pub const SESSION_OBJECT: &str = "identity.verification_session";
/// `object` of a report.
pub const REPORT_OBJECT: &str = "identity.verification_report";

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> serde_json::Value {
        json!({
            "id": "vs_1", "object": "identity.verification_session", "client_reference_id": null,
            "client_secret": "vs_1_secret_x", "created": 1700000000,
            "last_error": {"code": "document_expired", "reason": "old", "hint": "new field"},
            "last_verification_report": "vr_1", "livemode": false, "metadata": {"a": "b"},
            "options": {"document": {"allowed_types": ["passport", "residence_permit"],
                                     "require_matching_selfie": true}, "biometrics": {"x": 1}},
            "provided_details": null, "redaction": null, "related_customer": null,
            "related_customer_account": null, "status": "requires_review", "type": "document",
            "url": "https://verify.stripe.com/start/test_x", "brand_new_field": [1, 2, {"deep": true}]
        })
    }

    #[test]
    fn unknown_fields_and_values_survive_a_round_trip() {
        let v = sample();
        let s: VerificationSession = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(s.status, VerificationStatus::Unknown("requires_review".into()));
        assert_eq!(s.extra["brand_new_field"][2]["deep"], true);
        let allowed = s.options.as_ref().unwrap().document.as_ref().unwrap().allowed_types.clone().unwrap();
        assert_eq!(allowed, vec![DocumentType::Passport, DocumentType::Unknown("residence_permit".into())]);
        assert_eq!(serde_json::to_value(&s).unwrap(), v);
    }

    #[test]
    fn absent_and_null_keys_stay_as_they_came() {
        let mut v = sample();
        let s: VerificationSession = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(s.provided_details, Some(None));
        assert_eq!(s.verified_outputs, None);
        v["verified_outputs"] = json!(null);
        v.as_object_mut().unwrap().remove("provided_details");
        let s: VerificationSession = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(s.verified_outputs, Some(None));
        assert_eq!(s.provided_details, None);
        assert_eq!(serde_json::to_value(&s).unwrap(), v);
    }

    #[test]
    fn expandable_holds_an_id_or_the_object() {
        let mut v = sample();
        let s: VerificationSession = serde_json::from_value(v.clone()).unwrap();
        let r = s.last_verification_report.unwrap();
        assert_eq!(r.id(), "vr_1");
        assert!(r.as_object().is_none());
        v["last_verification_report"] = json!({
            "id": "vr_1", "object": "identity.verification_report", "client_reference_id": null,
            "created": 1700000001, "livemode": false, "type": "document", "verification_session": "vs_1",
            "document": {"status": "verified", "error": null, "first_name": "Jenny", "files": ["file_1"],
                         "issued_date": {"day": 1, "month": 2, "year": 2020}, "new": "x"}
        });
        let s: VerificationSession = serde_json::from_value(v.clone()).unwrap();
        let r = s.last_verification_report.as_ref().unwrap();
        assert_eq!(r.id(), "vr_1");
        let doc = r.as_object().unwrap().document.as_ref().unwrap();
        assert_eq!(doc.status, CheckStatus::Verified);
        assert_eq!(doc.extra["new"], "x");
        assert!(serde_json::from_value::<Expandable<VerificationReport>>(json!(5)).is_err());
    }
}
