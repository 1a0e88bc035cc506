//! The simulator's controls, which play the user and Stripe's checks: `submit`, `verify`,
//! `fail` and `complete_redaction`. `verify` and `fail` write a VerificationReport; `verify`
//! also the verified outputs. The data is Stripe's test-mode sample person.

use super::errors::{self, Failure};
use super::expand::Expand;
use super::ops::{answer, draft, event};
use super::state::State;
use super::{ids, Ctx};
use crate::api::enums::{
    DOCUMENT_ERROR_CODES, EMAIL_ERROR_CODES, ID_NUMBER_ERROR_CODES, PHONE_ERROR_CODES, SELFIE_ERROR_CODES,
};
use crate::model::{
    Address, CheckError, CheckStatus, ContactReport, Date, DocumentReport, DocumentType, Expandable,
    IdNumberReport, IdNumberType, LastError, LastErrorCode, RedactionStatus, ReportOptions, SelfieReport,
    Sex, VerificationReport, VerificationSession, VerificationStatus, VerificationType, VerifiedOutputs,
    REPORT_OBJECT,
};
use crate::wire::Node;

/// `submit`: `requires_input` → `processing`. The secret and URL are spent (the hosted page's
/// choices submit, so its token is spent here too).
pub fn submit(state: &mut State, ctx: &Ctx<'_>, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    Expand::parse(p, "")?;
    let mut d = draft(state, id)?;
    if d.session.status != VerificationStatus::RequiresInput || d.session.redaction.is_some() {
        return Err(errors::unexpected_state("submitted", d.session.status.as_str(), "requires_input"));
    }
    d.session.status = VerificationStatus::Processing;
    d.session.client_secret = None;
    d.session.url = None;
    state.save(d);
    event(state, ctx, "identity.verification_session.processing", id);
    answer(state, id, p)
}

/// `verify`: `processing` → `verified`, with a passing report and the verified outputs.
pub fn verify(state: &mut State, ctx: &Ctx<'_>, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    Expand::parse(p, "")?;
    let mut d = draft(state, id)?;
    require_processing(&d.session, "verified")?;
    let email = d.provided.as_ref().and_then(|d| d.email.clone());
    let phone = d.provided.as_ref().and_then(|d| d.phone.clone());
    let report = build_report(&d.session, ctx.now, None, email.as_deref(), phone.as_deref());
    d.outputs = Some(Box::new(sample_outputs(&d.session, email, phone)));
    d.session.status = VerificationStatus::Verified;
    d.session.last_error = None;
    d.session.last_verification_report = Some(Expandable::Id(report.id.clone()));
    d.reports.push(report.id.clone());
    state.save_report(report);
    state.save(d);
    event(state, ctx, "identity.verification_session.verified", id);
    answer(state, id, p)
}

/// `fail`: `processing` → `requires_input` with `last_error`, a report whose failing check
/// carries the error, and a fresh secret and URL for the next attempt. Codes that mean no
/// check ran (`abandoned`, `consent_declined`, `device_not_supported`) write no report.
pub fn fail(state: &mut State, ctx: &Ctx<'_>, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    Expand::parse(p, "")?;
    let code =
        LastErrorCode::parse(p.get("code").and_then(Node::as_str).ok_or_else(|| errors::missing("code"))?);
    let reason =
        p.get("reason").and_then(Node::as_str).map(String::from).unwrap_or_else(|| default_reason(&code));
    let mut d = draft(state, id)?;
    require_processing(&d.session, "failed")?;
    let email = d.provided.as_ref().and_then(|d| d.email.clone());
    let phone = d.provided.as_ref().and_then(|d| d.phone.clone());
    let failure =
        CheckError { code: Some(code.clone()), reason: Some(reason.clone()), extra: Default::default() };
    let report = check_of(&code)
        .map(|_| build_report(&d.session, ctx.now, Some(failure), email.as_deref(), phone.as_deref()));
    d.session.status = VerificationStatus::RequiresInput;
    d.session.last_error =
        Some(LastError { code: Some(code), reason: Some(reason), extra: Default::default() });
    d.session.client_secret = Some(ids::client_secret(id));
    d.session.url = Some(ids::hosted_url(&state.hosted_base, id));
    d.link.issued = ctx.now;
    if let Some(report) = report {
        d.session.last_verification_report = Some(Expandable::Id(report.id.clone()));
        d.reports.push(report.id.clone());
        state.save_report(report);
    }
    state.save(d);
    event(state, ctx, "identity.verification_session.requires_input", id);
    answer(state, id, p)
}

/// `complete_redaction`: `redaction.status` `processing` → `redacted`.
pub fn complete_redaction(state: &mut State, ctx: &Ctx<'_>, id: &str, p: &Node) -> Result<Vec<u8>, Failure> {
    Expand::parse(p, "")?;
    let mut d = draft(state, id)?;
    match d.session.redaction.as_mut() {
        Some(r) if r.status == RedactionStatus::Processing => r.status = RedactionStatus::Redacted,
        other => {
            let now = other.map_or("not redacted", |r| r.status.as_str()).to_string();
            return Err(Failure {
                status: 400,
                error: Box::new(crate::error::ErrorObject::invalid_request(
                    Some(errors::UNEXPECTED_STATE),
                    format!("This VerificationSession's redaction cannot be completed: it is {now}."),
                    None,
                )),
                executed: true,
            });
        }
    }
    state.save(d);
    event(state, ctx, "identity.verification_session.redacted", id);
    answer(state, id, p)
}

fn require_processing(s: &VerificationSession, action: &str) -> Result<(), Failure> {
    if s.status == VerificationStatus::Processing {
        Ok(())
    } else {
        Err(errors::unexpected_state(action, s.status.as_str(), "processing"))
    }
}

/// Which check a failure code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Document,
    IdNumber,
    Selfie,
    Email,
    Phone,
}

/// The check a `last_error` code fails, and the code its report shows: the code itself when
/// the spec's enum for that check lists it. `country_not_supported` and `under_supported_age`
/// fail the document, whose `error.code` the spec does not let carry them, so the report shows
/// `document_unverified_other` (with the session's reason). Codes that mean no check ran
/// (`abandoned`, `consent_declined`, `device_not_supported`) fail none.
fn check_of(code: &LastErrorCode) -> Option<(Check, &str)> {
    let s = code.as_str();
    let checks = [
        (Check::Document, DOCUMENT_ERROR_CODES),
        (Check::IdNumber, ID_NUMBER_ERROR_CODES),
        (Check::Selfie, SELFIE_ERROR_CODES),
        (Check::Email, EMAIL_ERROR_CODES),
        (Check::Phone, PHONE_ERROR_CODES),
    ];
    if let Some((check, _)) = checks.iter().find(|(_, codes)| codes.contains(&s)) {
        return Some((*check, s));
    }
    match code {
        LastErrorCode::CountryNotSupported | LastErrorCode::UnderSupportedAge => {
            Some((Check::Document, "document_unverified_other"))
        }
        _ => None,
    }
}

fn default_reason(code: &LastErrorCode) -> String {
    match code {
        LastErrorCode::Abandoned => "The user abandoned the verification.",
        LastErrorCode::ConsentDeclined => "The user declined to give consent.",
        LastErrorCode::CountryNotSupported => "The document's issuing country is not supported.",
        LastErrorCode::DeviceNotSupported => "The user's device is not supported.",
        LastErrorCode::DocumentExpired => "The document is expired.",
        LastErrorCode::DocumentTypeNotSupported => "The document type is not supported.",
        LastErrorCode::DocumentUnverifiedOther => "The document could not be verified.",
        LastErrorCode::EmailUnverifiedOther => "The email could not be verified.",
        LastErrorCode::EmailVerificationDeclined => "The user declined to verify the email.",
        LastErrorCode::IdNumberInsufficientDocumentData => {
            "The document lacks the data to check the ID number."
        }
        LastErrorCode::IdNumberMismatch => "The ID number does not match.",
        LastErrorCode::IdNumberUnverifiedOther => "The ID number could not be verified.",
        LastErrorCode::PhoneUnverifiedOther => "The phone number could not be verified.",
        LastErrorCode::PhoneVerificationDeclined => "The user declined to verify the phone number.",
        LastErrorCode::SelfieDocumentMissingPhoto => "The document has no photo to match the selfie.",
        LastErrorCode::SelfieFaceMismatch => "The selfie does not match the document photo.",
        LastErrorCode::SelfieManipulated => "The selfie appears to be manipulated.",
        LastErrorCode::SelfieUnverifiedOther => "The selfie could not be verified.",
        LastErrorCode::UnderSupportedAge => "The user is under the supported age.",
        LastErrorCode::Unknown(_) => "Verification failed.",
    }
    .to_string()
}

fn sample_address() -> Address {
    Address {
        city: Some("San Francisco".into()),
        country: Some("US".into()),
        line1: Some("1234 Main St.".into()),
        line2: None,
        postal_code: Some("94111".into()),
        state: Some("CA".into()),
        extra: Default::default(),
    }
}

fn date(day: i64, month: i64, year: i64) -> Date {
    Date { day: Some(day), month: Some(month), year: Some(year), extra: Default::default() }
}

fn wants_id_number(s: &VerificationSession) -> bool {
    s.r#type == VerificationType::IdNumber
        || s.options.as_ref().and_then(|o| o.document.as_ref()).and_then(|d| d.require_id_number)
            == Some(true)
}

fn sample_outputs(s: &VerificationSession, email: Option<String>, phone: Option<String>) -> VerifiedOutputs {
    let id_number = wants_id_number(s);
    let document = s.r#type != VerificationType::IdNumber;
    VerifiedOutputs {
        address: document.then(sample_address),
        dob: Some(Some(date(1, 1, 1901))),
        email,
        first_name: Some("Jenny".into()),
        id_number: Some(id_number.then(|| "000000000".into())),
        id_number_type: id_number.then_some(IdNumberType::UsSsn),
        last_name: Some("Rosen".into()),
        phone,
        sex: Some(document.then_some(Sex::Unknown_)),
        unparsed_place_of_birth: Some(None),
        unparsed_sex: Some(None),
        extra: Default::default(),
    }
}

/// A check's status and error in a report: unverified with the failure's code (as its check
/// may show it) when the failure is about this check.
fn status_for(failure: &Option<CheckError>, check: Check) -> (CheckStatus, Option<CheckError>) {
    match failure.as_ref().and_then(|e| Some((e, check_of(e.code.as_ref()?)?))) {
        Some((e, (failed, code))) if failed == check => {
            let error = CheckError { code: Some(LastErrorCode::parse(code)), ..e.clone() };
            (CheckStatus::Unverified, Some(error))
        }
        _ => (CheckStatus::Verified, None),
    }
}

/// Whether the failure is about this check: a failed check shows in the report even when the
/// session did not ask for it, so the report and `last_error` agree.
fn fails(failure: &Option<CheckError>, check: Check) -> bool {
    status_for(failure, check).0 == CheckStatus::Unverified
}

fn build_report(
    s: &VerificationSession,
    now: i64,
    failure: Option<CheckError>,
    email: Option<&str>,
    phone: Option<&str>,
) -> VerificationReport {
    let doc_opts = s.options.as_ref().and_then(|o| o.document.clone());
    let is_document = s.r#type != VerificationType::IdNumber;
    let selfie = doc_opts.as_ref().and_then(|d| d.require_matching_selfie) == Some(true);
    let front = ids::file_id();
    let document = (is_document || fails(&failure, Check::Document)).then(|| {
        let (status, error) = status_for(&failure, Check::Document);
        DocumentReport {
            address: Some(sample_address()),
            dob: Some(Some(date(1, 1, 1901))),
            error,
            expiration_date: Some(Some(date(1, 12, 2030))),
            files: Some(vec![front.clone(), ids::file_id()]),
            first_name: Some("Jenny".into()),
            issued_date: Some(date(1, 12, 2020)),
            issuing_country: Some("US".into()),
            last_name: Some("Rosen".into()),
            number: Some(Some("A1234567".into())),
            sex: Some(Some(Sex::Unknown_)),
            status,
            r#type: Some(
                doc_opts
                    .as_ref()
                    .and_then(|d| d.allowed_types.as_ref())
                    .and_then(|t| t.first().cloned())
                    .unwrap_or(DocumentType::DrivingLicense),
            ),
            unparsed_place_of_birth: Some(None),
            unparsed_sex: Some(None),
            extra: Default::default(),
        }
    });
    let id_number = (wants_id_number(s) || fails(&failure, Check::IdNumber)).then(|| {
        let (status, error) = status_for(&failure, Check::IdNumber);
        IdNumberReport {
            dob: Some(Some(date(1, 1, 1901))),
            error,
            first_name: Some("Jenny".into()),
            id_number: Some(Some("0000".into())),
            id_number_type: Some(IdNumberType::UsSsn),
            last_name: Some("Rosen".into()),
            status,
            extra: Default::default(),
        }
    });
    let selfie = ((is_document && selfie) || fails(&failure, Check::Selfie)).then(|| {
        let (status, error) = status_for(&failure, Check::Selfie);
        SelfieReport {
            document: Some(front.clone()),
            error,
            selfie: Some(ids::file_id()),
            status,
            extra: Default::default(),
        }
    });
    let contact = |value: Option<&str>, check: Check, is_email: bool| {
        (value.is_some() || fails(&failure, check)).then(|| {
            let (status, error) = status_for(&failure, check);
            let value = value.map(String::from);
            ContactReport {
                email: is_email.then(|| value.clone()),
                phone: (!is_email).then_some(value),
                error,
                status,
                extra: Default::default(),
            }
        })
    };
    VerificationReport {
        id: ids::report_id(),
        object: REPORT_OBJECT.into(),
        client_reference_id: s.client_reference_id.clone(),
        created: now,
        livemode: false,
        r#type: s.r#type.clone(),
        verification_flow: s.verification_flow.clone(),
        verification_session: Some(s.id.clone()),
        document,
        id_number,
        selfie,
        email: contact(email, Check::Email, true),
        phone: contact(phone, Check::Phone, false),
        options: Some(ReportOptions {
            document: doc_opts,
            id_number: (s.r#type == VerificationType::IdNumber).then(Default::default),
            extra: Default::default(),
        }),
        extra: Default::default(),
    }
}
