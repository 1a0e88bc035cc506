//! `HTTPS_PROXY` and `NO_PROXY` with this library's client against identity-mock over HTTPS,
//! through an HTTP CONNECT proxy on loopback written here. A binary of its own, with one test:
//! the variables are the process's, and nothing else runs while this test changes them.

mod common;

use common::certs::TestCa;
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use stripe_identity::{Client, ErrorKind};

use common::https::{client, document, https_server, KEY};

/// An HTTP CONNECT proxy on loopback that tunnels every `CONNECT host:port` to `target` (it is
/// the proxy that resolves names, so the client needs no DNS for the host), recording the
/// targets it was asked for.
struct ConnectProxy {
    addr: SocketAddr,
    asked: Arc<Mutex<Vec<String>>>,
}

impl ConnectProxy {
    fn start(target: SocketAddr) -> ConnectProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let asked: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = asked.clone();
        thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { return };
                let log = log.clone();
                thread::spawn(move || tunnel(client, target, &log));
            }
        });
        ConnectProxy { addr, asked }
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

fn tunnel(client: TcpStream, target: SocketAddr, log: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(client.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let (Some("CONNECT"), Some(authority)) = (parts.next(), parts.next()) else {
        let _ = (&client).write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n");
        return;
    };
    log.lock().unwrap().push(authority.to_string());
    // The rest of the head, up to its blank line.
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header == "\r\n" => break,
            Ok(_) => {}
        }
    }
    let Ok(server) = TcpStream::connect(target) else { return };
    if (&client).write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").is_err() {
        return;
    }
    let (mut from_server, mut to_client) = (server.try_clone().unwrap(), client.try_clone().unwrap());
    thread::spawn(move || {
        let _ = std::io::copy(&mut from_server, &mut to_client);
        let _ = to_client.shutdown(Shutdown::Write);
    });
    // Anything the client sent after the head is in the reader's buffer.
    let mut to_server = server;
    let _ = std::io::copy(&mut reader, &mut to_server);
    let _ = to_server.shutdown(Shutdown::Write);
}

#[test]
fn https_proxy_is_used_and_no_proxy_bypasses_it() {
    // A name only the proxy can resolve: a call that arrives proves it went through the proxy.
    const HOST: &str = "identity-mock.test";
    let ca = TestCa::new("proxy CA");
    let server = https_server(&ca, &[HOST]);
    let proxy = ConnectProxy::start(server.local_addr());
    let url = format!("https://{HOST}:{}", server.local_addr().port());
    for name in ["ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy"]
    {
        std::env::remove_var(name);
    }
    std::env::set_var("HTTPS_PROXY", format!("http://{}", proxy.addr));
    let attempts = Arc::new(AtomicUsize::new(0));

    let through = client(&url, Some(&ca), &attempts);
    let created = through.verification_sessions().create(&document()).expect("create through the proxy");
    through.verification_sessions().retrieve(&created.id, &Default::default()).expect("retrieve");
    through.test_helpers().submit(&created.id).expect("submit");
    assert_eq!(
        proxy.asked(),
        vec![format!("{HOST}:{}", server.local_addr().port())],
        "one tunnel, kept alive"
    );
    assert_eq!(server.accepted_connections(), 1);

    // The proxy does not change what is trusted: the certificate is still checked end to end.
    let e = client(&url, None, &attempts).verification_sessions().list(&Default::default()).unwrap_err();
    assert!(e.to_string().contains("UnknownIssuer"), "{e}");
    assert_eq!(proxy.asked().len(), 2);

    // NO_PROXY names the host: the client goes direct, where the name does not resolve.
    std::env::set_var("NO_PROXY", format!("localhost,{HOST}"));
    let before = attempts.load(Ordering::Relaxed);
    let direct =
        Client::builder(KEY).base_url(&url).ca_bundle(ca.pem()).max_network_retries(0).build().unwrap();
    let e = direct.verification_sessions().list(&Default::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ApiConnection, "{e}");
    // Rust's resolver says "failed to lookup address information".
    assert!(e.to_string().contains("lookup address"), "{e}");
    assert_eq!(proxy.asked().len(), 2, "the proxy saw nothing more");
    assert_eq!(attempts.load(Ordering::Relaxed), before);

    // A NO_PROXY for other hosts leaves the proxy in use.
    std::env::set_var("NO_PROXY", "example.com");
    let again = client(&url, Some(&ca), &attempts);
    again.verification_sessions().list(&Default::default()).expect("list through the proxy");
    assert_eq!(proxy.asked().len(), 3);
    for name in ["HTTPS_PROXY", "NO_PROXY"] {
        std::env::remove_var(name);
    }
}
