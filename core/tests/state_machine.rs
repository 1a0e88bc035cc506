//! Model-based property test of the simulator's lifecycle, driven through the client.
//!
//! Random sequences of operations (create, update, cancel, redact, submit, verify, fail,
//! complete_redaction, retrieve, list, clock advance) run against a local client and, beside it,
//! a small reference state machine that says for every operation whether the API allows it and
//! what the session looks like afterwards. After every operation the answer must agree with the
//! reference (success or the right error, and the exact resulting state), and the invariants
//! must hold: no session is ever both canceled and verified, a status only moves along the
//! lifecycle's edges, `client_secret`/`url` are set exactly in `requires_input`, a redacted
//! session has no metadata. At the end, walking the whole list forwards and backwards returns
//! every session exactly once, newest first (creation order breaking ties within a second), and
//! every status filter returns exactly the reference's sessions in that status.

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use stripe_identity::engine::{ManualClock, Simulator};
use stripe_identity::model::{
    LastErrorCode, RedactionStatus, RequestedVerificationType, VerificationSession, VerificationStatus,
    VerificationType,
};
use stripe_identity::params::{
    CreateVerificationSession, ListVerificationSessions, Metadata, UpdateVerificationSession,
};
use stripe_identity::{Client, Error};

const START: i64 = 1_700_000_000;
const UNEXPECTED_STATE: &str = "verification_session_unexpected_state";
/// Ids that never exist; the second must stay inside its path segment.
const UNKNOWN_IDS: [&str; 2] = ["vs_doesnotexist0000000000", "vs_a/b c?d"];
const KEYS: [&str; 4] = ["k0", "k1", "k2", "k3"];
const VALUES: [&str; 4] = ["v0", "v1", "v2", "v3"];
const REFERENCES: [&str; 3] = ["ref_a", "ref_b", "ref_c"];
const STATUSES: [VerificationStatus; 4] = [
    VerificationStatus::RequiresInput,
    VerificationStatus::Processing,
    VerificationStatus::Verified,
    VerificationStatus::Canceled,
];

/// Which session an operation is about.
#[derive(Debug, Clone)]
enum Target {
    /// An existing session (an unknown id while there is none).
    Existing(Index),
    /// The session created `n`-th (modulo their number), for scripted runs.
    At(usize),
    /// The `n`-th newest session (modulo their number), so that chains of transitions on one
    /// session are common.
    Recent(usize),
    /// One of [`UNKNOWN_IDS`].
    Unknown(usize),
}

/// A metadata change of update.
#[derive(Debug, Clone)]
enum MetaChange {
    /// `metadata=`: unset every key.
    Clear,
    /// Set (`Some`) or unset (`None`) some keys; indexes into [`KEYS`] and [`VALUES`].
    Set(Vec<(usize, Option<usize>)>),
}

/// Direction of a list cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    StartingAfter,
    EndingBefore,
}

#[derive(Debug, Clone)]
enum Op {
    Create { id_number: bool, metadata: Option<Vec<(usize, Option<usize>)>>, reference: Option<usize> },
    Update(Target, Option<MetaChange>),
    Cancel(Target),
    Redact(Target),
    Submit(Target),
    Verify(Target),
    Fail(Target, usize),
    CompleteRedaction(Target),
    Retrieve(Target),
    List { limit: i64, status: Option<usize>, reference: Option<usize>, cursor: Option<(Dir, Target)> },
    Advance(i64),
}

/// What the reference knows of one session.
#[derive(Debug, Clone)]
struct RefSession {
    id: String,
    created: i64,
    r#type: VerificationType,
    reference: Option<String>,
    status: VerificationStatus,
    redaction: Option<RedactionStatus>,
    last_error: Option<LastErrorCode>,
    metadata: BTreeMap<String, String>,
}

impl RefSession {
    fn awaits_input(&self) -> bool {
        self.status == VerificationStatus::RequiresInput && self.redaction.is_none()
    }
}

/// The client under test, the reference, and what has been observed so far.
struct Harness {
    client: Client,
    clock: ManualClock,
    /// In creation order.
    sessions: Vec<RefSession>,
    /// Last status seen per id, and whether it was ever seen canceled / verified.
    seen: HashMap<String, (VerificationStatus, bool, bool)>,
}

fn fail_msg(msg: String) -> TestCaseError {
    TestCaseError::fail(msg)
}

fn is_edge(from: &VerificationStatus, to: &VerificationStatus) -> bool {
    use VerificationStatus::*;
    from == to
        || matches!(
            (from, to),
            (RequiresInput, Processing)
                | (RequiresInput, Canceled)
                | (Processing, Verified)
                | (Processing, RequiresInput)
        )
}

fn meta_from(changes: &[(usize, Option<usize>)]) -> Metadata {
    changes.iter().map(|&(k, v)| (KEYS[k], v.map_or("", |v| VALUES[v]))).collect()
}

/// What the API does with a metadata parameter: an empty map unsets all, an empty value one key.
fn apply_meta(metadata: &mut BTreeMap<String, String>, param: &Metadata) {
    if param.0.is_empty() {
        metadata.clear();
        return;
    }
    for (k, v) in &param.0 {
        if v.is_empty() {
            metadata.remove(k);
        } else {
            metadata.insert(k.clone(), v.clone());
        }
    }
}

fn expect_refused<T: std::fmt::Debug>(res: Result<T, Error>, what: &str) -> Result<(), TestCaseError> {
    match res {
        Ok(v) => Err(fail_msg(format!("{what}: expected 400 {UNEXPECTED_STATE}, got success: {v:?}"))),
        Err(e) => {
            prop_assert_eq!(e.http_status(), Some(400), "{}: {}", what, e);
            prop_assert_eq!(e.error_type(), Some("invalid_request_error"), "{}: {}", what, e);
            prop_assert_eq!(e.code(), Some(UNEXPECTED_STATE), "{}: {}", what, e);
            Ok(())
        }
    }
}

fn expect_missing<T: std::fmt::Debug>(
    res: Result<T, Error>,
    param: &str,
    what: &str,
) -> Result<(), TestCaseError> {
    match res {
        Ok(v) => Err(fail_msg(format!("{what}: expected 404 resource_missing, got success: {v:?}"))),
        Err(e) => {
            prop_assert_eq!(e.http_status(), Some(404), "{}: {}", what, e);
            prop_assert_eq!(e.error_type(), Some("invalid_request_error"), "{}: {}", what, e);
            prop_assert_eq!(e.code(), Some("resource_missing"), "{}: {}", what, e);
            prop_assert_eq!(e.param(), Some(param), "{}: {}", what, e);
            Ok(())
        }
    }
}

/// The answer equals the reference's session, field by field.
fn check_session(s: &VerificationSession, r: &RefSession, what: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(&s.id, &r.id, "{}", what);
    prop_assert_eq!(s.object.as_str(), "identity.verification_session", "{}", what);
    prop_assert_eq!(&s.status, &r.status, "{}: status of {}", what, r.id);
    prop_assert_eq!(s.created, r.created, "{}: created of {}", what, r.id);
    prop_assert_eq!(&s.r#type, &r.r#type, "{}", what);
    prop_assert_eq!(&s.client_reference_id, &r.reference, "{}", what);
    prop_assert!(!s.livemode, "{}: livemode", what);
    prop_assert_eq!(&s.metadata, &r.metadata, "{}: metadata of {}", what, r.id);
    prop_assert_eq!(
        s.redaction.as_ref().map(|x| x.status.clone()),
        r.redaction.clone(),
        "{}: redaction",
        what
    );
    prop_assert_eq!(s.last_error.is_some(), r.last_error.is_some(), "{}: last_error of {}", what, r.id);
    prop_assert_eq!(
        s.last_error.as_ref().and_then(|e| e.code.clone()),
        r.last_error.clone(),
        "{}: last_error.code",
        what
    );
    if let Some(e) = &s.last_error {
        prop_assert!(e.reason.as_deref().is_some_and(|r| !r.is_empty()), "{}: last_error.reason", what);
    }
    let open = s.status == VerificationStatus::RequiresInput;
    prop_assert_eq!(s.client_secret.is_some(), open, "{}: client_secret with status {}", what, s.status);
    prop_assert_eq!(s.url.is_some(), open, "{}: url with status {}", what, s.status);
    if s.redaction.is_some() {
        prop_assert!(s.metadata.is_empty(), "{}: redacted session keeps metadata", what);
    }
    Ok(())
}

impl Harness {
    fn new() -> Harness {
        let clock = ManualClock::new(START).expect("a valid start");
        let sim = Simulator::with_clock(Arc::new(clock.clone()));
        Harness {
            client: Client::local_with(Arc::new(sim)),
            clock,
            sessions: Vec::new(),
            seen: HashMap::new(),
        }
    }

    fn resolve(&self, t: &Target) -> (Option<usize>, String) {
        match t {
            Target::Existing(ix) if !self.sessions.is_empty() => {
                let i = ix.index(self.sessions.len());
                (Some(i), self.sessions[i].id.clone())
            }
            Target::At(n) if !self.sessions.is_empty() => {
                let i = n % self.sessions.len();
                (Some(i), self.sessions[i].id.clone())
            }
            Target::Recent(n) if !self.sessions.is_empty() => {
                let i = self.sessions.len() - 1 - n % self.sessions.len();
                (Some(i), self.sessions[i].id.clone())
            }
            Target::Existing(_) | Target::At(_) | Target::Recent(_) => (None, UNKNOWN_IDS[0].to_string()),
            Target::Unknown(u) => (None, UNKNOWN_IDS[*u % UNKNOWN_IDS.len()].to_string()),
        }
    }

    /// Invariants on every session the API shows: statuses move along edges; a session is
    /// never seen both canceled and verified.
    fn observe(&mut self, s: &VerificationSession, what: &str) -> Result<(), TestCaseError> {
        let canceled = s.status == VerificationStatus::Canceled;
        let verified = s.status == VerificationStatus::Verified;
        match self.seen.get_mut(&s.id) {
            None => {
                prop_assert_eq!(
                    &s.status,
                    &VerificationStatus::RequiresInput,
                    "{}: first sight of {}",
                    what,
                    s.id
                );
                self.seen.insert(s.id.clone(), (s.status.clone(), canceled, verified));
            }
            Some((last, was_canceled, was_verified)) => {
                prop_assert!(is_edge(last, &s.status), "{}: {} moved {} -> {}", what, s.id, last, s.status);
                *last = s.status.clone();
                *was_canceled |= canceled;
                *was_verified |= verified;
                prop_assert!(
                    !(*was_canceled && *was_verified),
                    "{}: {} both canceled and verified",
                    what,
                    s.id
                );
            }
        }
        Ok(())
    }

    /// Retrieves a session and compares it with the reference (after a refused operation, to
    /// show it changed nothing).
    fn recheck(&mut self, i: usize, what: &str) -> Result<(), TestCaseError> {
        let s = self
            .client
            .verification_sessions()
            .retrieve(&self.sessions[i].id, &Default::default())
            .map_err(|e| fail_msg(format!("{what}: retrieve after: {e}")))?;
        self.observe(&s, what)?;
        check_session(&s, &self.sessions[i], what)
    }

    /// One operation on an existing or unknown session. `next` is the reference's rule: the
    /// state after the operation, or `None` when the API must refuse it.
    fn transition(
        &mut self,
        idx: Option<usize>,
        res: Result<VerificationSession, Error>,
        what: &str,
        next: impl FnOnce(&RefSession) -> Option<RefSession>,
    ) -> Result<(), TestCaseError> {
        let Some(i) = idx else { return expect_missing(res, "session", what) };
        match next(&self.sessions[i]) {
            Some(after) => {
                let s = res.map_err(|e| {
                    fail_msg(format!("{what}: refused though allowed from {:?}: {e}", self.sessions[i]))
                })?;
                self.sessions[i] = after;
                self.observe(&s, what)?;
                check_session(&s, &self.sessions[i], what)
            }
            None => {
                expect_refused(res, &format!("{what} from {:?}", self.sessions[i]))?;
                self.recheck(i, what)
            }
        }
    }

    fn step(&mut self, op: &Op) -> Result<(), TestCaseError> {
        let what = format!("{op:?}");
        let what = what.as_str();
        let client = self.client.clone();
        let vs = client.verification_sessions();
        let helpers = client.test_helpers();
        match op {
            Op::Create { id_number, metadata, reference } => {
                let r#type = if *id_number { VerificationType::IdNumber } else { VerificationType::Document };
                let meta = metadata.as_deref().map(meta_from);
                let reference = reference.map(|r| REFERENCES[r].to_string());
                let params = CreateVerificationSession {
                    r#type: Some(RequestedVerificationType::parse(r#type.as_str())),
                    metadata: meta.clone(),
                    client_reference_id: reference.clone(),
                    ..Default::default()
                };
                let s = vs.create(&params).map_err(|e| fail_msg(format!("{what}: {e}")))?;
                prop_assert!(s.id.starts_with("vs_"), "{}: id {}", what, s.id);
                prop_assert!(self.sessions.iter().all(|r| r.id != s.id), "{}: duplicate id {}", what, s.id);
                let mut metadata = BTreeMap::new();
                if let Some(m) = &meta {
                    apply_meta(&mut metadata, m);
                }
                let r = RefSession {
                    id: s.id.clone(),
                    created: self.clock_now(),
                    r#type,
                    reference,
                    status: VerificationStatus::RequiresInput,
                    redaction: None,
                    last_error: None,
                    metadata,
                };
                self.observe(&s, what)?;
                check_session(&s, &r, what)?;
                self.sessions.push(r);
                Ok(())
            }
            Op::Update(t, change) => {
                let (idx, id) = self.resolve(t);
                let metadata = change.as_ref().map(|c| match c {
                    MetaChange::Clear => Metadata::clear(),
                    MetaChange::Set(v) => meta_from(v),
                });
                let res = vs.update(
                    &id,
                    &UpdateVerificationSession { metadata: metadata.clone(), ..Default::default() },
                );
                self.transition(idx, res, what, |r| {
                    r.awaits_input().then(|| {
                        let mut r = r.clone();
                        if let Some(m) = &metadata {
                            apply_meta(&mut r.metadata, m);
                        }
                        r
                    })
                })
            }
            Op::Cancel(t) => {
                let (idx, id) = self.resolve(t);
                let res = vs.cancel(&id, &Default::default());
                self.transition(idx, res, what, |r| {
                    r.awaits_input().then(|| RefSession { status: VerificationStatus::Canceled, ..r.clone() })
                })
            }
            Op::Submit(t) => {
                let (idx, id) = self.resolve(t);
                let res = helpers.submit(&id);
                self.transition(idx, res, what, |r| {
                    r.awaits_input()
                        .then(|| RefSession { status: VerificationStatus::Processing, ..r.clone() })
                })
            }
            Op::Verify(t) => {
                let (idx, id) = self.resolve(t);
                let res = helpers.verify(&id);
                self.transition(idx, res, what, |r| {
                    (r.status == VerificationStatus::Processing).then(|| RefSession {
                        status: VerificationStatus::Verified,
                        last_error: None,
                        ..r.clone()
                    })
                })
            }
            Op::Fail(t, code) => {
                let (idx, id) = self.resolve(t);
                let code = LastErrorCode::parse(LastErrorCode::KNOWN[*code % LastErrorCode::KNOWN.len()]);
                let res = helpers.fail(&id, code.clone(), None);
                self.transition(idx, res, what, |r| {
                    (r.status == VerificationStatus::Processing).then(|| RefSession {
                        status: VerificationStatus::RequiresInput,
                        last_error: Some(code),
                        ..r.clone()
                    })
                })
            }
            Op::Redact(t) => {
                let (idx, id) = self.resolve(t);
                let res = vs.redact(&id, &Default::default());
                self.transition(idx, res, what, |r| {
                    if r.redaction.is_some() {
                        // Already redacted (or redacting): a no-op success.
                        return Some(r.clone());
                    }
                    let status = match r.status {
                        VerificationStatus::RequiresInput => VerificationStatus::Canceled,
                        VerificationStatus::Verified => VerificationStatus::Verified,
                        _ => return None,
                    };
                    Some(RefSession {
                        status,
                        redaction: Some(RedactionStatus::Processing),
                        metadata: BTreeMap::new(),
                        ..r.clone()
                    })
                })
            }
            Op::CompleteRedaction(t) => {
                let (idx, id) = self.resolve(t);
                let res = helpers.complete_redaction(&id);
                self.transition(idx, res, what, |r| {
                    (r.redaction == Some(RedactionStatus::Processing))
                        .then(|| RefSession { redaction: Some(RedactionStatus::Redacted), ..r.clone() })
                })
            }
            Op::Retrieve(t) => {
                let (idx, id) = self.resolve(t);
                let res = vs.retrieve(&id, &Default::default());
                self.transition(idx, res, what, |r| Some(r.clone()))
            }
            Op::List { limit, status, reference, cursor } => {
                self.list(what, *limit, *status, *reference, cursor)
            }
            Op::Advance(n) => {
                self.clock.advance(*n).expect("a valid step");
                Ok(())
            }
        }
    }

    fn clock_now(&self) -> i64 {
        use stripe_identity::engine::Clock;
        self.clock.now()
    }

    /// Indexes of every session, newest first (created desc, then creation order desc).
    fn newest_first(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.sessions.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse((self.sessions[i].created, i)));
        order
    }

    fn list(
        &mut self,
        what: &str,
        limit: i64,
        status: Option<usize>,
        reference: Option<usize>,
        cursor: &Option<(Dir, Target)>,
    ) -> Result<(), TestCaseError> {
        let status = status.map(|s| STATUSES[s].clone());
        let reference = reference.map(|r| REFERENCES[r].to_string());
        let mut params = ListVerificationSessions {
            limit: Some(limit),
            status: status.clone(),
            client_reference_id: reference.clone(),
            ..Default::default()
        };
        let cursor = cursor.as_ref().map(|(dir, t)| (*dir, self.resolve(t)));
        match &cursor {
            Some((Dir::StartingAfter, (_, id))) => params.starting_after = Some(id.clone()),
            Some((Dir::EndingBefore, (_, id))) => params.ending_before = Some(id.clone()),
            None => {}
        }
        let res = self.client.verification_sessions().list(&params);
        if let Some((dir, (None, _))) = &cursor {
            let param = if *dir == Dir::StartingAfter { "starting_after" } else { "ending_before" };
            return expect_missing(res, param, what);
        }
        let page = res.map_err(|e| fail_msg(format!("{what}: {e}")))?;
        prop_assert_eq!(page.object.as_str(), "list");
        prop_assert_eq!(page.url.as_str(), "/v1/identity/verification_sessions");

        let key = |i: usize| (self.sessions[i].created, i);
        let matching: Vec<usize> = self
            .newest_first()
            .into_iter()
            .filter(|&i| status.iter().all(|s| &self.sessions[i].status == s))
            .filter(|&i| reference.is_none() || self.sessions[i].reference == reference)
            .collect();
        let limit = limit as usize;
        let (expected, has_more): (Vec<usize>, bool) = match &cursor {
            None => (matching.iter().copied().take(limit).collect(), matching.len() > limit),
            Some((Dir::StartingAfter, (Some(c), _))) => {
                let older: Vec<usize> = matching.iter().copied().filter(|&i| key(i) < key(*c)).collect();
                (older.iter().copied().take(limit).collect(), older.len() > limit)
            }
            Some((Dir::EndingBefore, (Some(c), _))) => {
                let newer: Vec<usize> = matching.iter().copied().filter(|&i| key(i) > key(*c)).collect();
                let skip = newer.len().saturating_sub(limit);
                (newer[skip..].to_vec(), newer.len() > limit)
            }
            Some((_, (None, _))) => unreachable!("answered above"),
        };
        let got: Vec<&str> = page.data.iter().map(|s| s.id.as_str()).collect();
        let want: Vec<&str> = expected.iter().map(|&i| self.sessions[i].id.as_str()).collect();
        prop_assert_eq!(got, want, "{}: page", what);
        prop_assert_eq!(page.has_more, has_more, "{}: has_more", what);
        for (s, &i) in page.data.iter().zip(&expected) {
            self.observe(s, what)?;
            check_session(s, &self.sessions[i], what)?;
        }
        Ok(())
    }

    /// End of a run: whole-list walks in both directions, status filters, counts, events.
    fn finish(&mut self, forward_page: i64, backward_page: i64) -> Result<(), TestCaseError> {
        let client = self.client.clone();
        let vs = client.verification_sessions();
        let newest_first: Vec<String> =
            self.newest_first().into_iter().map(|i| self.sessions[i].id.clone()).collect();

        let forward: Vec<VerificationSession> = vs
            .list_auto(&ListVerificationSessions { limit: Some(forward_page), ..Default::default() })
            .collect::<Result<_, _>>()
            .map_err(|e| fail_msg(format!("list_auto forwards: {e}")))?;
        let ids: Vec<String> = forward.iter().map(|s| s.id.clone()).collect();
        prop_assert_eq!(&ids, &newest_first, "list_auto forwards (page {})", forward_page);
        let unique: HashSet<&String> = ids.iter().collect();
        prop_assert_eq!(unique.len(), ids.len(), "a session listed twice");
        let by_id: HashMap<&str, usize> =
            self.sessions.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
        for s in &forward {
            check_session(s, &self.sessions[by_id[s.id.as_str()]], "list_auto forwards")?;
        }

        // Backwards: from the oldest, towards newer sessions, each page oldest first.
        if let Some(oldest) = newest_first.last() {
            let params = ListVerificationSessions {
                limit: Some(backward_page),
                ending_before: Some(oldest.clone()),
                ..Default::default()
            };
            let mut ids = vec![oldest.clone()];
            for s in vs.list_auto(&params) {
                ids.push(s.map_err(|e| fail_msg(format!("list_auto backwards: {e}")))?.id);
            }
            ids.reverse();
            prop_assert_eq!(&ids, &newest_first, "list_auto backwards (page {})", backward_page);

            // And by hand: pages of `ending_before` from the oldest must tile the list exactly.
            let mut pages: Vec<Vec<String>> = Vec::new();
            let mut before = oldest.clone();
            loop {
                let params = ListVerificationSessions {
                    limit: Some(backward_page),
                    ending_before: Some(before.clone()),
                    ..Default::default()
                };
                let page = vs.list(&params).map_err(|e| fail_msg(format!("page backwards: {e}")))?;
                let ids: Vec<String> = page.data.iter().map(|s| s.id.clone()).collect();
                prop_assert!(ids.len() <= backward_page as usize);
                let Some(first) = ids.first().cloned() else {
                    prop_assert!(!page.has_more, "an empty page says has_more");
                    break;
                };
                pages.push(ids);
                if !page.has_more {
                    break;
                }
                prop_assert!(pages.len() <= newest_first.len(), "backwards paging does not end");
                before = first;
            }
            let mut tiled: Vec<String> = pages.into_iter().rev().flatten().collect();
            tiled.push(oldest.clone());
            prop_assert_eq!(&tiled, &newest_first, "pages backwards (page {})", backward_page);
        }

        // Status filters, and the simulator's own counts.
        let sim = client.simulator().expect("a local client has a simulator").clone();
        prop_assert_eq!(sim.session_count(), self.sessions.len());
        for status in &STATUSES {
            let want: Vec<String> = self
                .newest_first()
                .into_iter()
                .filter(|&i| &self.sessions[i].status == status)
                .map(|i| self.sessions[i].id.clone())
                .collect();
            let params = ListVerificationSessions {
                limit: Some(forward_page),
                status: Some(status.clone()),
                ..Default::default()
            };
            let got: Vec<String> = vs
                .list_auto(&params)
                .map(|s| s.map(|s| s.id))
                .collect::<Result<_, _>>()
                .map_err(|e| fail_msg(format!("list_auto status={status}: {e}")))?;
            prop_assert_eq!(&got, &want, "list_auto status={}", status);
            prop_assert_eq!(sim.count_status(status), want.len(), "count_status({})", status);
        }

        // One `created` event per session.
        let created: Vec<String> = sim
            .events()
            .into_iter()
            .filter(|e| e.r#type == "identity.verification_session.created")
            .filter_map(|e| e.data.object.get("id").and_then(|v| v.as_str()).map(String::from))
            .collect();
        let mut want: Vec<String> = self.sessions.iter().map(|r| r.id.clone()).collect();
        let mut got = created;
        want.sort();
        got.sort();
        prop_assert_eq!(got, want, "created events");
        Ok(())
    }
}

/// Runs a sequence of operations, then the end-of-run checks.
fn run(ops: &[Op], forward_page: i64, backward_page: i64) -> Result<(), TestCaseError> {
    let mut h = Harness::new();
    for (n, op) in ops.iter().enumerate() {
        h.step(op).map_err(|e| fail_msg(format!("op #{n}: {e}")))?;
    }
    h.finish(forward_page, backward_page)
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        8 => any::<Index>().prop_map(Target::Existing),
        5 => (0..3usize).prop_map(Target::Recent),
        1 => (0..UNKNOWN_IDS.len()).prop_map(Target::Unknown),
    ]
}

fn meta_entries(unset: bool) -> impl Strategy<Value = Vec<(usize, Option<usize>)>> {
    let value = if unset {
        prop::option::weighted(0.75, 0..VALUES.len()).boxed()
    } else {
        (0..VALUES.len()).prop_map(Some).boxed()
    };
    prop::collection::vec((0..KEYS.len(), value), 1..4)
}

fn op() -> impl Strategy<Value = Op> {
    let create =
        (any::<bool>(), prop::option::of(meta_entries(false)), prop::option::of(0..REFERENCES.len()))
            .prop_map(|(id_number, metadata, reference)| Op::Create { id_number, metadata, reference });
    let change = prop::option::weighted(
        0.8,
        prop_oneof![1 => Just(MetaChange::Clear), 5 => meta_entries(true).prop_map(MetaChange::Set)],
    );
    let cursor = prop::option::weighted(
        0.5,
        (prop_oneof![Just(Dir::StartingAfter), Just(Dir::EndingBefore)], target()),
    );
    let list = (
        1..=100i64,
        prop::option::of(0..STATUSES.len()),
        prop::option::weighted(0.2, 0..REFERENCES.len()),
        cursor,
    )
        .prop_map(|(limit, status, reference, cursor)| Op::List { limit, status, reference, cursor });
    // Small limits matter most: they are what makes pages and cursors interesting.
    let small_list = (
        1..=5i64,
        prop::option::of(0..STATUSES.len()),
        Just(None),
        prop::option::of((prop_oneof![Just(Dir::StartingAfter), Just(Dir::EndingBefore)], target())),
    )
        .prop_map(|(limit, status, reference, cursor)| Op::List { limit, status, reference, cursor });
    prop_oneof![
        5 => create,
        2 => (target(), change).prop_map(|(t, c)| Op::Update(t, c)),
        1 => target().prop_map(Op::Cancel),
        2 => target().prop_map(Op::Redact),
        4 => target().prop_map(Op::Submit),
        2 => target().prop_map(Op::Verify),
        2 => (target(), 0..LastErrorCode::KNOWN.len()).prop_map(|(t, c)| Op::Fail(t, c)),
        1 => target().prop_map(Op::CompleteRedaction),
        1 => target().prop_map(Op::Retrieve),
        1 => list,
        2 => small_list,
        2 => (0..3i64).prop_map(Op::Advance),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn lifecycle_matches_the_reference(
        ops in prop::collection::vec(op(), 0..=60),
        forward_page in prop_oneof![1..=5i64, 1..=100i64],
        backward_page in prop_oneof![1..=5i64, 1..=100i64],
    ) {
        run(&ops, forward_page, backward_page)?;
    }
}

fn at(i: usize) -> Target {
    Target::At(i)
}

/// Every edge and every refusal once, with sessions sharing a second.
#[test]
fn scripted_walk_through_every_edge() {
    use Op::*;
    let ops = vec![
        Create { id_number: false, metadata: Some(vec![(0, Some(0)), (1, Some(1))]), reference: Some(0) },
        Update(at(0), Some(MetaChange::Set(vec![(0, None), (2, Some(2))]))),
        Submit(at(0)),
        Update(at(0), None),
        Cancel(at(0)),
        Submit(at(0)),
        Fail(at(0), 4),
        Update(at(0), Some(MetaChange::Clear)),
        Submit(at(0)),
        Redact(at(0)),
        Verify(at(0)),
        Verify(at(0)),
        Fail(at(0), 0),
        Cancel(at(0)),
        CompleteRedaction(at(0)),
        Redact(at(0)),
        Redact(at(0)),
        CompleteRedaction(at(0)),
        CompleteRedaction(at(0)),
        Redact(at(0)),
        // Cancel, then redact refused from canceled.
        Create { id_number: true, metadata: None, reference: None },
        Cancel(at(1)),
        Cancel(at(1)),
        Redact(at(1)),
        // Redact from requires_input cancels; a redacted session refuses everything else.
        Create { id_number: false, metadata: Some(vec![(3, Some(3))]), reference: Some(2) },
        Redact(at(2)),
        Cancel(at(2)),
        Update(at(2), Some(MetaChange::Set(vec![(1, Some(1))]))),
        Submit(at(2)),
        CompleteRedaction(at(2)),
        Retrieve(at(2)),
        Retrieve(Target::Unknown(0)),
        Cancel(Target::Unknown(1)),
        List {
            limit: 3,
            status: None,
            reference: None,
            cursor: Some((Dir::StartingAfter, Target::Unknown(0))),
        },
        List {
            limit: 3,
            status: None,
            reference: None,
            cursor: Some((Dir::EndingBefore, Target::Unknown(1))),
        },
    ];
    run(&ops, 2, 2).unwrap();
}

/// Many sessions in one second and a few seconds: the list order and both walk directions.
#[test]
fn scripted_same_second_ordering() {
    use Op::*;
    let mut ops = Vec::new();
    for n in 0..12 {
        ops.push(Create { id_number: n % 2 == 0, metadata: None, reference: Some(n % 3) });
        if n % 5 == 4 {
            ops.push(Advance(1));
        }
    }
    for n in 0..12 {
        ops.push(List {
            limit: 1 + n as i64 % 4,
            status: None,
            reference: None,
            cursor: Some((Dir::StartingAfter, at(n))),
        });
        ops.push(List {
            limit: 1 + n as i64 % 4,
            status: None,
            reference: None,
            cursor: Some((Dir::EndingBefore, at(n))),
        });
        ops.push(List {
            limit: 2,
            status: Some(0),
            reference: Some(n % 3),
            cursor: Some((Dir::EndingBefore, at(n))),
        });
    }
    ops.push(Redact(at(3)));
    ops.push(List { limit: 100, status: Some(3), reference: None, cursor: None });
    run(&ops, 1, 1).unwrap();
    run(&ops, 5, 3).unwrap();
}
