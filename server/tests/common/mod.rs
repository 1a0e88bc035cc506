//! Helpers shared by the server's tests: start a server on `127.0.0.1:0`, talk to it with ureq.

#![allow(dead_code)]

pub mod certs;
pub mod https;

use identity_mock::{Config, Server};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub const KEY: &str = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
pub const SESSIONS: &str = "/v1/identity/verification_sessions";

/// A server on a free loopback port.
pub fn start(config: Config) -> Server {
    Server::start(Config { host: "127.0.0.1".into(), port: 0, ..config }).expect("server starts")
}

/// A server with the default settings on a free loopback port.
pub fn start_default() -> Server {
    start(Config::default())
}

/// An agent that returns error statuses as responses and keeps connections alive.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .new_agent()
}

/// One answer: status, headers (names lower-cased), body as JSON (`Null` if not JSON).
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    pub fn error(&self, field: &str) -> &Value {
        &self.body["error"][field]
    }
}

/// A request with the default key. `params` go in the query string for GET/DELETE and in a
/// form body for POST; `headers` are added as given.
pub fn call(
    agent: &ureq::Agent,
    server: &Server,
    method: &str,
    path: &str,
    params: &str,
    headers: &[(&str, &str)],
) -> Result<Answer, ureq::Error> {
    let auth = format!("Bearer {KEY}");
    let mut all: Vec<(&str, &str)> = vec![("Authorization", auth.as_str())];
    all.extend_from_slice(headers);
    raw_call(agent, server, method, path, params, &all)
}

/// Like [`call`] without the default key.
pub fn raw_call(
    agent: &ureq::Agent,
    server: &Server,
    method: &str,
    path: &str,
    params: &str,
    headers: &[(&str, &str)],
) -> Result<Answer, ureq::Error> {
    let base = format!("{}{}", server.url(), path);
    let response = match method {
        "POST" => {
            let mut req = agent.post(&base).content_type("application/x-www-form-urlencoded");
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            req.send(params.as_bytes())?
        }
        _ => {
            let url = if params.is_empty() { base } else { format!("{base}?{params}") };
            let mut req = match method {
                "GET" => agent.get(&url),
                "DELETE" => agent.delete(&url),
                other => panic!("no helper for {other}"),
            };
            for (k, v) in headers {
                req = req.header(*k, *v);
            }
            req.call()?
        }
    };
    Ok(read(response))
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> Answer {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_ascii_lowercase(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer { status, headers, body }
}

/// [`call`] that must get an answer.
pub fn ok(agent: &ureq::Agent, server: &Server, method: &str, path: &str, params: &str) -> Answer {
    call(agent, server, method, path, params, &[]).expect("an answer")
}

/// Creates a session and returns its id.
pub fn create(agent: &ureq::Agent, server: &Server, params: &str) -> String {
    let answer = ok(agent, server, "POST", SESSIONS, params);
    assert_eq!(answer.status, 200, "{:?}", answer.body);
    answer.body["id"].as_str().expect("an id").to_string()
}

/// Writes raw bytes on a fresh connection and reads until the server closes it or `wait`
/// passes; returns what was read.
pub fn raw_exchange(server: &Server, bytes: &[u8], wait: Duration) -> String {
    let mut stream = TcpStream::connect(server.local_addr()).expect("connect");
    stream.set_read_timeout(Some(wait)).unwrap();
    stream.write_all(bytes).expect("write");
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}
