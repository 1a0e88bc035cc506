//! `make demo`: the whole lifecycle of VerificationSessions on the embedded simulator.

use stripe_identity::model::{LastErrorCode, RequestedVerificationType, VerificationSession};
use stripe_identity::params::{
    CreateVerificationSession, DocumentOptionsParams, Emptyable, ExpandParams, ListVerificationSessions,
    Metadata, OptionsParams, ProvidedDetailsParams, UpdateVerificationSession,
};
use stripe_identity::{Client, Error, RequestOptions};

fn show(step: &str, s: &VerificationSession) {
    let err = s
        .last_error
        .as_ref()
        .and_then(|e| e.code.as_ref())
        .map(|c| format!(" last_error={c}"))
        .unwrap_or_default();
    let redaction = s.redaction.as_ref().map(|r| format!(" redaction={}", r.status)).unwrap_or_default();
    println!(
        "{step:<28} {} status={:<14} type={} metadata={:?} url={}{err}{redaction}",
        s.id,
        s.status,
        s.r#type,
        s.metadata,
        if s.url.is_some() { "yes" } else { "no" }
    );
}

fn main() -> Result<(), Error> {
    let client = Client::local();
    let vs = client.verification_sessions();
    let helpers = client.test_helpers();

    println!("== create with options, metadata and provided details");
    let create = CreateVerificationSession {
        r#type: Some(RequestedVerificationType::Document),
        client_reference_id: Some("user_42".into()),
        metadata: Some([("order", "42"), ("channel", "web")].into_iter().collect()),
        options: Some(OptionsParams {
            document: Some(Emptyable::Set(DocumentOptionsParams {
                require_matching_selfie: Some(true),
                require_id_number: Some(true),
                ..Default::default()
            })),
            ..Default::default()
        }),
        provided_details: Some(ProvidedDetailsParams {
            email: Some("jenny@example.com".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let opts = RequestOptions { idempotency_key: Some("order-42-verify".into()), ..Default::default() };
    let s = vs.with_options(opts.clone()).create(&create)?;
    show("created", &s);
    let again = vs.with_options(opts).create(&create)?;
    println!("{:<28} same id: {}", "replayed with same key", again.id == s.id);

    println!("== update: unset one metadata key, add another");
    let s = vs.update(
        &s.id,
        &UpdateVerificationSession {
            metadata: Some([("channel", ""), ("campaign", "autumn")].into_iter().collect::<Metadata>()),
            ..Default::default()
        },
    )?;
    show("updated", &s);

    println!("== list with pagination (25 more sessions, pages of 10)");
    for i in 0..25 {
        vs.create(&CreateVerificationSession {
            r#type: Some(RequestedVerificationType::IdNumber),
            client_reference_id: Some(format!("batch_{i}")),
            ..Default::default()
        })?;
    }
    let mut params = ListVerificationSessions { limit: Some(10), ..Default::default() };
    let mut page_no = 1;
    loop {
        let page = vs.list(&params)?;
        println!("page {page_no}: {} sessions, has_more={}", page.data.len(), page.has_more);
        match page.data.last() {
            Some(last) if page.has_more => params.starting_after = Some(last.id.clone()),
            _ => break,
        }
        page_no += 1;
    }
    let all = vs.list_auto(&ListVerificationSessions { limit: Some(7), ..Default::default() }).count();
    println!("list_auto walked {all} sessions");

    println!("== lifecycle: submit, fail, submit again, verify");
    show("submitted", &helpers.submit(&s.id)?);
    show("failed", &helpers.fail(&s.id, LastErrorCode::DocumentExpired, None)?);
    show("submitted again", &helpers.submit(&s.id)?);
    show("verified", &helpers.verify(&s.id)?);

    println!("== retrieve with expand");
    let full = vs.retrieve(
        &s.id,
        &ExpandParams {
            expand: vec![
                "verified_outputs".into(),
                "verified_outputs.dob".into(),
                "last_verification_report".into(),
            ],
            ..Default::default()
        },
    )?;
    let outputs = full.verified_outputs.clone().flatten().unwrap_or_default();
    println!(
        "verified_outputs: {} {} dob={:?} email={:?}",
        outputs.first_name.unwrap_or_default(),
        outputs.last_name.unwrap_or_default(),
        outputs.dob.flatten().map(|d| (d.year, d.month, d.day)),
        outputs.email
    );
    let report = full.last_verification_report.as_ref().and_then(|r| r.as_object());
    println!(
        "report {}: document={:?} selfie={:?} id_number={:?}",
        report.map(|r| r.id.as_str()).unwrap_or("-"),
        report.and_then(|r| r.document.as_ref()).map(|d| d.status.to_string()),
        report.and_then(|r| r.selfie.as_ref()).map(|d| d.status.to_string()),
        report.and_then(|r| r.id_number.as_ref()).map(|d| d.status.to_string()),
    );

    println!("== redact the verified session");
    show("redacting", &vs.redact(&s.id, &Default::default())?);
    show("redacted", &helpers.complete_redaction(&s.id)?);
    let gone =
        vs.retrieve(&s.id, &ExpandParams { expand: vec!["verified_outputs".into()], ..Default::default() })?;
    println!("first_name after redaction: {:?}", gone.verified_outputs.flatten().and_then(|o| o.first_name));

    println!("== cancel another session, then try to cancel it again");
    let other = vs.create(&CreateVerificationSession {
        r#type: Some(RequestedVerificationType::Document),
        ..Default::default()
    })?;
    show("canceled", &vs.cancel(&other.id, &Default::default())?);
    match vs.cancel(&other.id, &Default::default()) {
        Err(e) => {
            println!("second cancel refused: HTTP {:?} {:?}: {}", e.http_status(), e.code(), e.message())
        }
        Ok(_) => println!("second cancel unexpectedly succeeded"),
    }
    match vs.retrieve("vs_does_not_exist", &Default::default()) {
        Err(e) => println!("unknown id: HTTP {:?} {:?} param={:?}", e.http_status(), e.code(), e.param()),
        Ok(_) => println!("unknown id unexpectedly found"),
    }

    let events = client.simulator().map(|s| s.events()).unwrap_or_default();
    println!("== {} events recorded; the last five:", events.len());
    for e in events.iter().rev().take(5).rev() {
        println!("  {} {}", e.id, e.r#type);
    }
    Ok(())
}
