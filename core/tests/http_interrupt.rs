//! Interrupting a call of the HTTP backend (`http::interrupt::with_check`), against loopback
//! servers that answer late, never, or only with a long `Retry-After`. The checks count how
//! often they are asked; only hang guards look at the clock.

use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};
use stripe_identity::client::Operation;
use stripe_identity::http::interrupt::with_check;
use stripe_identity::http::IDEMPOTENCY_KEY_PREFIX;
use stripe_identity::{Client, Error, ErrorKind, RequestOptions};

const KEY: &str = "sk_test_interrupt1234";

/// A check that says stop the `n`th time it is asked, and counts.
fn stop_at(n: usize) -> (Rc<dyn Fn() -> bool>, Rc<std::cell::Cell<usize>>) {
    let asked = Rc::new(std::cell::Cell::new(0));
    let counter = asked.clone();
    let check = Rc::new(move || {
        counter.set(counter.get() + 1);
        counter.get() >= n
    });
    (check, asked)
}

/// Reads one request (head and `Content-Length` body); `None` when the peer closed first.
fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_string();
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                })
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                return Some(head);
            }
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return None,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
}

fn respond(stream: &mut TcpStream, status: &str, headers: &str, body: &Value) {
    let body = body.to_string();
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{headers}\r\n{body}",
        body.len()
    );
}

/// A loopback server that runs `serve(connection number, stream)` for every connection on a
/// thread of its own, and counts connections and requests.
struct Server {
    url: String,
    connections: Arc<AtomicUsize>,
}

impl Server {
    fn start(serve: impl Fn(usize, TcpStream) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let count = connections.clone();
        let serve = Arc::new(serve);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let n = count.fetch_add(1, Ordering::SeqCst);
                let serve = serve.clone();
                thread::spawn(move || serve(n, stream));
            }
        });
        Server { url, connections }
    }

    fn client(&self, retries: u32) -> Client {
        Client::builder(KEY)
            .base_url(&self.url)
            .timeout(Duration::from_secs(20))
            .max_network_retries(retries)
            .build()
            .unwrap()
    }
}

fn create(client: &Client, opts: &RequestOptions) -> Result<Value, Error> {
    client.call_json(Operation::Create, None, json!({"type": "document"}), opts)
}

#[test]
fn a_call_waiting_for_an_answer_stops_when_the_check_says_so() {
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    // Reads each request and never answers; the connection stays open.
    let server = Server::start(move |_, mut stream| {
        while read_request(&mut stream).is_some() {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    let client = server.client(2);
    let started = Instant::now();
    let (check, asked) = stop_at(3);
    let e = with_check(check, || create(&client, &RequestOptions::default())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Interrupted, "{e:?}");
    assert_eq!(asked.get(), 3, "asked once per slice of waiting");
    let Error::Interrupted { idempotency_key: Some(key), .. } = &e else { panic!("{e:?}") };
    assert!(key.starts_with(IDEMPOTENCY_KEY_PREFIX), "{key}");
    assert!(e.message().contains(key.as_str()), "the message says how to retry safely: {e}");
    assert!(e.message().contains("1 attempt"), "{e}");
    // An interrupted call is not retried, although two retries were allowed.
    assert_eq!(server.connections.load(Ordering::SeqCst), 1);
    assert_eq!(requests.load(Ordering::SeqCst), 1);
    // A hang guard, not a benchmark: the timeout was twenty seconds.
    assert!(started.elapsed() < Duration::from_secs(10));

    // The caller's own key is the one named, and the attempt is logged as given up.
    let logs = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen_logs = logs.clone();
    let logged = Client::builder(KEY)
        .base_url(&server.url)
        .log_hook(move |record| seen_logs.lock().unwrap().push(record.clone()))
        .build()
        .unwrap();
    let opts = RequestOptions { idempotency_key: Some("order-42".into()), ..Default::default() };
    let e = with_check(stop_at(1).0, || create(&logged, &opts)).unwrap_err();
    assert!(matches!(&e, Error::Interrupted { idempotency_key: Some(k), .. } if k == "order-42"), "{e:?}");
    let logs = logs.lock().unwrap();
    assert_eq!(logs.len(), 1, "{logs:?}");
    assert_eq!(logs[0].retry_in, None, "an interrupted attempt is not followed by a retry");
    assert_eq!(logs[0].idempotency_key.as_deref(), Some("order-42"));
}

#[test]
fn a_wait_before_a_retry_stops_when_the_check_says_so() {
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = requests.clone();
    // Every request gets a 503 that asks for a 30 s wait before the retry.
    let server = Server::start(move |_, mut stream| {
        while read_request(&mut stream).is_some() {
            seen.fetch_add(1, Ordering::SeqCst);
            let body = json!({"error": {"type": "api_error", "message": "try later"}});
            respond(&mut stream, "503 Service Unavailable", "Retry-After: 30\r\n", &body);
        }
    });
    // The default sleeper: the one that can be interrupted.
    let client = server.client(2);
    let started = Instant::now();
    let (check, asked) = stop_at(2);
    let e = with_check(check, || create(&client, &RequestOptions::default())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Interrupted, "{e:?}");
    assert_eq!(asked.get(), 2);
    assert_eq!(requests.load(Ordering::SeqCst), 1, "stopped during the wait, before the retry");
    assert!(started.elapsed() < Duration::from_secs(10), "a hang guard: the wait asked was 30 s");

    // Without a check the same call retries (and gets the 503 in the end).
    let quick = Client::builder(KEY).base_url(&server.url).max_network_retries(1).sleeper(|_| {}).build();
    let e = create(&quick.unwrap(), &RequestOptions::default()).unwrap_err();
    assert_eq!(e.http_status(), Some(503));
    assert_eq!(requests.load(Ordering::SeqCst), 3);
}

#[test]
fn an_interrupted_connection_is_not_reused_and_the_client_goes_on_working() {
    // The first connection answers its request late, with a session nobody should see; later
    // connections answer at once.
    let server = Server::start(|n, mut stream| {
        while read_request(&mut stream).is_some() {
            if n == 0 {
                thread::sleep(Duration::from_millis(400));
                respond(&mut stream, "200 OK", "", &json!({"id": "vs_stale"}));
            } else {
                respond(&mut stream, "200 OK", "", &json!({"id": "vs_fresh"}));
            }
        }
    });
    let client = server.client(0);
    let e = with_check(stop_at(1).0, || create(&client, &RequestOptions::default())).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Interrupted);
    // Long enough for the late answer to arrive on the first connection, had it been kept.
    thread::sleep(Duration::from_millis(600));
    for _ in 0..3 {
        let s = create(&client, &RequestOptions::default()).unwrap();
        assert_eq!(s["id"], "vs_fresh");
    }
    assert_eq!(server.connections.load(Ordering::SeqCst), 2, "one new connection, then kept alive");
    // A check that never says stop changes nothing.
    let (check, _) = stop_at(usize::MAX);
    let s = with_check(check, || create(&client, &RequestOptions::default())).unwrap();
    assert_eq!(s["id"], "vs_fresh");
}
