//! identity-mock with `--data`: state in an SQLite file that outlives the process.
//!
//! - `kill -9` in the middle of a load of creates with idempotency keys, twice, while 5% of
//!   requests are also dropped after acting (so some unanswered calls were committed): after
//!   each restart on the same file, every acknowledged create is there, and retrying every call
//!   that got no answer (with its key) and every call that did makes no second session.
//! - A graceful restart keeps every answer byte for byte: retrieve, list, reports, events and
//!   idempotent replays; keys still expire a day after first use.
//! - A file in use by another server, or not identity-mock's, is refused with a clear error.

mod common;

use common::{agent, call, ok, start, SESSIONS};
use identity_mock::{store, Config, Server};
use parking_lot::Mutex;
use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use stripe_identity::engine::ManualClock;
use stripe_identity::model::RequestedVerificationType;
use stripe_identity::params::{CreateVerificationSession, ListVerificationSessions};
use stripe_identity::{Client, RequestOptions};

const BIN: &str = env!("CARGO_BIN_EXE_identity-mock");
const THREADS: usize = 4;
/// Acknowledged creates (in the round) after which the server is killed.
const KILL_AFTER: usize = 300;
/// Most creates one thread sends in a round; the kill comes long before.
const MOST_PER_THREAD: usize = 20_000;
const HELPERS: &str = "/v1/test_helpers/identity/verification_sessions";

/// A fresh directory for one test's data file.
fn data_dir(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("persistence-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary on a free port with `--data` and `extra` arguments; its URL.
fn spawn(data: &Path, extra: &[&str]) -> (Child, String) {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--data"])
        .arg(data)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("identity-mock starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("identity-mock listening on ").unwrap_or_else(|| {
        let mut err = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut err);
        panic!("unexpected first line {line:?}, stderr {err:?}")
    });
    (child, url.to_string())
}

fn client(url: &str) -> Client {
    // No retries: a call either gets its answer or is recorded as unanswered, to retry by hand.
    Client::builder("sk_test_persist1234")
        .base_url(url)
        .max_network_retries(0)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

fn create_params(key: &str) -> CreateVerificationSession {
    CreateVerificationSession {
        r#type: Some(RequestedVerificationType::Document),
        metadata: Some([("key", key)].into_iter().collect()),
        ..Default::default()
    }
}

fn create(client: &Client, key: &str) -> Result<String, stripe_identity::Error> {
    let opts = RequestOptions { idempotency_key: Some(key.to_string()), ..Default::default() };
    client.verification_sessions().with_options(opts).create(&create_params(key)).map(|s| s.id)
}

/// Every session's `metadata[key]` and id, by listing.
fn list_all(client: &Client) -> Vec<(String, String)> {
    let params = ListVerificationSessions { limit: Some(100), ..Default::default() };
    client
        .verification_sessions()
        .list_auto(&params)
        .map(|s| {
            let s = s.expect("a page");
            (s.metadata.get("key").cloned().unwrap_or_default(), s.id)
        })
        .collect()
}

/// What one round of load saw: acknowledged creates (key → id), keys left unanswered by an
/// injected drop, and keys whose call the kill cut.
#[derive(Default)]
struct Round {
    acked: Mutex<Vec<(String, String)>>,
    dropped: Mutex<Vec<String>>,
    cut: Mutex<Vec<String>>,
}

/// Creates from several threads until the server is killed after `KILL_AFTER` answers.
fn load_and_kill(round_no: usize, mut child: Child, url: &str) -> Round {
    let round = Arc::new(Round::default());
    let answered = Arc::new(AtomicUsize::new(0));
    let killing = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let (round, answered, killing, client) =
                (round.clone(), answered.clone(), killing.clone(), client(url));
            std::thread::spawn(move || {
                for i in 0..MOST_PER_THREAD {
                    let key = format!("kill-{round_no}-{t}-{i}");
                    match create(&client, &key) {
                        Ok(id) => {
                            round.acked.lock().push((key, id));
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        Err(e) => {
                            // An injected drop, or the kill, which ends this thread's load.
                            assert_eq!(e.kind(), stripe_identity::ErrorKind::ApiConnection, "{e:?}");
                            if killing.load(Ordering::SeqCst) {
                                round.cut.lock().push(key);
                                return;
                            }
                            round.dropped.lock().push(key);
                        }
                    }
                }
                panic!("thread {t} sent {MOST_PER_THREAD} creates and the server was never killed");
            })
        })
        .collect();
    let started = Instant::now();
    while answered.load(Ordering::SeqCst) < KILL_AFTER {
        assert!(started.elapsed() < Duration::from_secs(120), "the load stalled");
        std::thread::sleep(Duration::from_millis(2));
    }
    killing.store(true, Ordering::SeqCst);
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    for t in threads {
        t.join().expect("a load thread panicked");
    }
    Arc::try_unwrap(round).ok().expect("threads are done")
}

#[test]
fn kill_9_mid_load_loses_no_acknowledged_create_and_duplicates_none() {
    let data = data_dir("kill").join("state.db");
    let faults = ["--fault-rate", "0.05", "--faults", "drop_after", "--fault-seed", "7"];
    // key → id of every session the client knows of, acknowledged or found after a retry.
    let mut known: HashMap<String, String> = HashMap::new();
    let mut acknowledged = 0;
    // Unanswered calls: (dropped, of which committed), (cut by the kill, of which committed).
    let mut dropped = (0, 0);
    let mut cut = (0, 0);
    let mut url = String::new();
    let mut checking: Option<Child> = None;
    for round_no in 0..2 {
        if let Some(mut child) = checking.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
        let (loaded, load_url) = spawn(&data, &faults);
        let round = load_and_kill(round_no, loaded, &load_url);
        let acked = round.acked.into_inner();
        let (dropped_keys, cut_keys) = (round.dropped.into_inner(), round.cut.into_inner());
        assert!(acked.len() >= KILL_AFTER);
        acknowledged += acked.len();
        dropped.0 += dropped_keys.len();
        cut.0 += cut_keys.len();

        // Checked and retried without faults.
        let (child, check_url) = spawn(&data, &[]);
        (checking, url) = (Some(child), check_url);
        let c = client(&url);
        let listed: HashMap<String, String> = list_all(&c).into_iter().collect();
        // Every acknowledged create is there, under its id.
        for (key, id) in &acked {
            assert_eq!(listed.get(key), Some(id), "acknowledged create {key} lost");
            known.insert(key.clone(), id.clone());
        }
        // Each call that got no answer is retried with its key: it either replays what was
        // committed before the kill, or acts now.
        for (keys, counts) in [(&dropped_keys, &mut dropped), (&cut_keys, &mut cut)] {
            for key in keys {
                let id = create(&c, key).expect("the retry succeeds");
                if let Some(before) = listed.get(key) {
                    assert_eq!(&id, before, "retry of {key} made a second session");
                    counts.1 += 1;
                }
                known.insert(key.clone(), id);
            }
        }
    }

    // Retrying every call again, answered or not, makes no second session.
    let c = client(&url);
    for (key, id) in &known {
        assert_eq!(&create(&c, key).unwrap(), id, "retry of {key} made a second session");
    }
    let listed = list_all(&c);
    let mut per_key: BTreeMap<&str, usize> = BTreeMap::new();
    for (key, _) in &listed {
        *per_key.entry(key).or_default() += 1;
    }
    let duplicated = per_key.values().filter(|n| **n > 1).count();
    let lost = known.keys().filter(|k| !per_key.contains_key(k.as_str())).count();
    println!(
        "kill -9 twice under {THREADS} threads of creates: acknowledged {acknowledged}; unanswered: dropped after \
         acting {} ({} found committed), cut by the kills {} ({} found committed); sessions {}, lost {lost}, \
         duplicated {duplicated}",
        dropped.0,
        dropped.1,
        cut.0,
        cut.1,
        listed.len()
    );
    assert_eq!((lost, duplicated), (0, 0));
    assert_eq!(listed.len(), known.len());
    assert_eq!(listed.len(), acknowledged + dropped.0 + cut.0);
    // A drop after acting always follows a commit.
    assert_eq!(dropped.1, dropped.0);
    assert!(dropped.0 > 0 && cut.0 > 0);
    if let Some(mut child) = checking {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// Every answer a client could read: sessions plain and expanded, the list page by page,
/// reports, and the event log.
fn snapshot(server: &Server, ids: &[String], reports: &[String]) -> Vec<(u16, serde_json::Value)> {
    let agent = agent();
    let mut out = Vec::new();
    let expand = "expand[]=provided_details&expand[]=verified_outputs&expand[]=last_verification_report";
    for id in ids {
        for params in ["", expand] {
            let a = ok(&agent, server, "GET", &format!("{SESSIONS}/{id}"), params);
            out.push((a.status, a.body));
        }
    }
    for params in ["limit=2", "limit=100", "status=verified"] {
        let a = ok(&agent, server, "GET", SESSIONS, params);
        out.push((a.status, a.body));
    }
    for id in reports {
        let a = ok(&agent, server, "GET", &format!("/v1/identity/verification_reports/{id}"), "");
        out.push((a.status, a.body));
    }
    out.push((0, serde_json::to_value(server.simulator().events()).unwrap()));
    out
}

#[test]
fn a_restart_keeps_every_answer_and_replays_every_key() {
    let data = data_dir("restart").join("state.db");
    let config = || Config { data: Some(data.clone()), ..Config::default() };
    let server = start(config());
    let agent = agent();
    let post = |server: &Server, path: &str, params: &str, key: Option<&str>| {
        let headers: Vec<(&str, &str)> = key.iter().map(|k| ("Idempotency-Key", *k)).collect();
        call(&agent, server, "POST", path, params, &headers).expect("an answer")
    };
    let mut keyed = Vec::new();
    let mut ids = Vec::new();
    for (i, params) in
        ["type=document&provided_details[email]=a@example.com", "type=id_number", "type=document"]
            .iter()
            .enumerate()
    {
        let key = format!("restart-{i}");
        let a = post(&server, SESSIONS, &format!("{params}&metadata[i]={i}"), Some(&key));
        assert_eq!(a.status, 200);
        ids.push(a.body["id"].as_str().unwrap().to_string());
        keyed.push((SESSIONS.to_string(), format!("{params}&metadata[i]={i}"), key, a));
    }
    for (id, action, params) in [
        (&ids[0], "submit", ""),
        (&ids[0], "fail", "code=selfie_face_mismatch"),
        (&ids[0], "submit", ""),
        (&ids[0], "verify", ""),
        (&ids[1], "submit", ""),
        (&ids[1], "verify", ""),
    ] {
        assert_eq!(post(&server, &format!("{HELPERS}/{id}/{action}"), params, None).status, 200);
    }
    let redact = format!("{SESSIONS}/{}/redact", ids[1]);
    let a = post(&server, &redact, "", Some("redact"));
    keyed.push((redact, String::new(), "redact".into(), a));
    let cancel = format!("{SESSIONS}/{}/cancel", ids[2]);
    let a = post(&server, &cancel, "", Some("cancel"));
    keyed.push((cancel.clone(), String::new(), "cancel".into(), a));
    let refused = post(&server, &cancel, "", Some("cancel-again"));
    assert_eq!(refused.status, 400);
    keyed.push((cancel, String::new(), "cancel-again".into(), refused));
    let report = |id: &String| {
        let a = ok(&agent, &server, "GET", &format!("{SESSIONS}/{id}"), "");
        a.body["last_verification_report"].as_str().unwrap().to_string()
    };
    let reports = vec![report(&ids[0]), report(&ids[1])];

    let before = snapshot(&server, &ids, &reports);
    server.shutdown();
    let server = start(config());
    assert_eq!(server.simulator().session_count(), 3);
    let after = snapshot(&server, &ids, &reports);
    assert_eq!(before.len(), after.len());
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b, a);
    }
    for (path, params, key, first) in &keyed {
        let replay = post(&server, path, params, Some(key));
        assert_eq!(replay.header("idempotent-replayed"), Some("true"), "{path} {key}");
        assert_eq!((replay.status, &replay.body), (first.status, &first.body), "{path} {key}");
    }
    // The same key with other parameters is still refused.
    assert_eq!(post(&server, SESSIONS, "type=id_number", Some("restart-0")).status, 400);
    server.shutdown();
}

#[test]
fn idempotency_keys_expire_a_day_after_first_use_across_restarts() {
    let data = data_dir("expiry").join("state.db");
    let clock = ManualClock::new(1_700_000_000).unwrap();
    let serve = || {
        let simulator = store::open(&data, Arc::new(clock.clone())).expect("the data file opens");
        Server::start_with(Config { port: 0, ..Config::default() }, Arc::new(simulator)).unwrap()
    };
    let agent = agent();
    let first = |server: &Server| {
        call(&agent, server, "POST", SESSIONS, "type=document", &[("Idempotency-Key", "daily")]).unwrap()
    };
    let server = serve();
    let original = first(&server);
    server.shutdown();
    clock.advance(24 * 3600 - 1).unwrap();
    let server = serve();
    let replay = first(&server);
    assert_eq!(replay.header("idempotent-replayed"), Some("true"));
    assert_eq!(replay.body, original.body);
    server.shutdown();
    clock.advance(1).unwrap();
    let server = serve();
    let fresh = first(&server);
    assert_eq!(fresh.header("idempotent-replayed"), None);
    assert_ne!(fresh.body["id"], original.body["id"]);
    server.shutdown();
}

#[test]
fn a_data_file_in_use_or_not_ours_is_refused_with_a_clear_error() {
    let dir = data_dir("refused");
    let data = dir.join("state.db");
    let (mut child, _url) = spawn(&data, &[]);
    let out = Command::new(BIN).args(["--port", "0", "--data"]).arg(&data).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is in use by another process"), "{stderr}");
    let _ = child.kill();
    let _ = child.wait();

    let junk = dir.join("junk.db");
    std::fs::write(&junk, vec![b'x'; 4096]).unwrap();
    let err = Server::start(Config { port: 0, data: Some(junk), ..Config::default() }).unwrap_err();
    assert!(err.to_string().contains("is not an SQLite database"), "{err}");

    // An SQLite file that is someone else's database.
    let foreign = dir.join("foreign.db");
    rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t (x INTEGER);").unwrap();
    let err = Server::start(Config { port: 0, data: Some(foreign), ..Config::default() }).unwrap_err();
    assert!(err.to_string().contains("holds another database"), "{err}");
}
