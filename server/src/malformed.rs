//! Answers to malformed HTTP in the API's JSON shape.
//!
//! hyper answers a request it cannot parse (a bad request line or header, a bad
//! `Content-Length`, more than 100 headers, a URL or head too long) on its own, with an empty
//! `400`, `414` or `431`, and closes the connection; it has no hook to shape that answer. So the
//! bytes hyper writes are followed here, answer by answer: every answer the service makes
//! carries `Request-Id` and a `Content-Length`, which gives the framing, and an error answer
//! without `Request-Id` can only be hyper's own. That one is replaced by the same status with
//! `{"error":{"type":"invalid_request_error","message":...}}`, `Content-Type: application/json`,
//! a `Request-Id` and `Connection: close`.
//!
//! Anything unexpected (a head that does not parse as a response, chunked framing) turns the
//! follower off for the rest of the connection: bytes then pass unchanged.

use bytes::Bytes;
use hyper::StatusCode;
use stripe_identity::engine::ids;
use stripe_identity::error::ErrorObject;

/// Largest answer head followed; a longer one turns the follower off.
const MAX_HEAD: usize = 16 * 1024;

/// Most headers expected in an answer head.
const MAX_HEADERS: usize = 32;

/// The message of the JSON answer that replaces hyper's empty one.
pub fn message(status: u16) -> &'static str {
    match status {
        400 => {
            "Malformed HTTP request: the request line, a header or the Content-Length could not be \
             parsed."
        }
        414 => "The request URL is too long.",
        431 => "Request header fields too large: at most 100 headers, in a head of bounded size.",
        _ => "Malformed HTTP request.",
    }
}

/// Where the follower is in the stream of answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// The next byte starts an answer head.
    Head,
    /// This many bytes of the current answer (head and body) are still to come.
    Within(u64),
    /// Not followed any more: everything passes.
    Off,
}

/// What a complete head is.
enum Head {
    /// An answer to pass, with this many body bytes after it.
    Pass(u64),
    /// hyper's own empty error answer, with this status and `Date`.
    Automatic(u16, Option<String>),
    /// Not understood: stop following.
    Unknown,
}

/// What the next bytes written should become.
#[derive(Debug, PartialEq, Eq)]
pub enum Plan {
    /// Write the first `n` bytes as they are, then [`Answers::advance`] over what went out.
    Pass(usize),
    /// The first `consumed` bytes are taken; write `out` in their place (possibly nothing yet).
    Replace {
        /// Bytes of the input taken.
        consumed: usize,
        /// Bytes to write instead.
        out: Bytes,
    },
}

/// What [`Answers::advance`] saw go out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// An answer began.
    pub started: bool,
    /// An answer ended.
    pub finished: bool,
    /// The bytes stopped inside an answer.
    pub within: bool,
}

/// Follows the answers written on one connection.
#[derive(Debug)]
pub struct Answers {
    state: State,
    /// The start of a head that arrived in pieces.
    held: Vec<u8>,
    /// The last [`Plan::Pass`]: its length, and the walk's state and progress at its end, so
    /// that [`Answers::advance`] over exactly those bytes does not parse their heads again.
    planned: Option<(usize, State, Progress)>,
}

impl Default for Answers {
    fn default() -> Self {
        Answers { state: State::Head, held: Vec::new(), planned: None }
    }
}

impl Answers {
    /// Decides what to do with the next bytes to write, `buf` (not empty).
    pub fn plan(&mut self, buf: &[u8]) -> Plan {
        self.planned = None;
        if self.held.is_empty() {
            let (passable, state, progress) = walk(self.state, buf, buf.len());
            if passable > 0 {
                self.planned = Some((passable, state, progress));
                return Plan::Pass(passable);
            }
        }
        // At a head that `buf` does not complete, or that is hyper's own.
        self.take_head(buf)
    }

    /// Moves past the first `written` bytes of `buf`, the bytes a [`Plan::Pass`] was given.
    pub fn advance(&mut self, buf: &[u8], written: usize) -> Progress {
        let (_, state, mut progress) = match self.planned.take() {
            Some((planned, state, progress)) if planned == written => (written, state, progress),
            _ => walk(self.state, buf, written),
        };
        self.state = state;
        progress.within = matches!(state, State::Within(_));
        progress
    }

    /// Takes bytes of a head that starts the stream: keeps them while the head is unfinished,
    /// then gives back the head as it was, or a JSON answer in place of hyper's own.
    fn take_head(&mut self, buf: &[u8]) -> Plan {
        let already = self.held.len();
        // The end may straddle what was held and `buf`: look again at the last three bytes.
        let from = already.saturating_sub(3);
        self.held.extend_from_slice(buf);
        let Some(end) = head_end(&self.held[from..]).map(|e| e + from) else {
            if self.held.len() > MAX_HEAD {
                self.state = State::Off;
                return Plan::Replace {
                    consumed: buf.len(),
                    out: Bytes::from(std::mem::take(&mut self.held)),
                };
            }
            return Plan::Replace { consumed: buf.len(), out: Bytes::new() };
        };
        self.held.truncate(end);
        let head = std::mem::take(&mut self.held);
        let consumed = end - already;
        let out = match classify(&head) {
            Head::Pass(body) => {
                self.state = if body == 0 { State::Head } else { State::Within(body) };
                Bytes::from(head)
            }
            Head::Automatic(status, date) => Bytes::from(json_answer(status, date.as_deref())),
            Head::Unknown => {
                self.state = State::Off;
                Bytes::from(head)
            }
        };
        Plan::Replace { consumed, out }
    }
}

/// Walks the first `limit` bytes of `buf` from `state` over answers that pass unchanged (heads
/// are read whole from `buf`, even where `limit` cuts them); stops before a head that `buf` does
/// not complete or that is hyper's own. Returns how far it got, the state there and what went by.
fn walk(mut state: State, buf: &[u8], limit: usize) -> (usize, State, Progress) {
    let mut pos = 0;
    let mut progress = Progress::default();
    while pos < limit {
        match state {
            State::Off => return (limit, State::Off, progress),
            State::Within(left) => {
                let n = left.min((limit - pos) as u64);
                pos += n as usize;
                state = if n == left {
                    progress.finished = true;
                    State::Head
                } else {
                    State::Within(left - n)
                };
            }
            State::Head => {
                let Some(len) = head_end(&buf[pos..]) else { break };
                match classify(&buf[pos..pos + len]) {
                    Head::Pass(body) => {
                        progress.started = true;
                        state = State::Within(len as u64 + body);
                    }
                    Head::Automatic(..) => break,
                    Head::Unknown => return (limit, State::Off, progress),
                }
            }
        }
    }
    (pos, state, progress)
}

/// Length of the head at the start of `buf`, its blank line included.
fn head_end(buf: &[u8]) -> Option<usize> {
    memchr::memmem::find(buf, b"\r\n\r\n").map(|p| p + 4)
}

fn classify(head: &[u8]) -> Head {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let Ok(httparse::Status::Complete(_)) = response.parse(head) else { return Head::Unknown };
    let Some(status) = response.code else { return Head::Unknown };
    let find = |name: &str| response.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name));
    if find("transfer-encoding").is_some() {
        return Head::Unknown;
    }
    let length = match find("content-length") {
        None => 0,
        Some(h) => match std::str::from_utf8(h.value).ok().and_then(|v| v.trim().parse::<u64>().ok()) {
            Some(n) => n,
            None => return Head::Unknown,
        },
    };
    if status >= 400 && length == 0 && find("request-id").is_none() {
        let date = find("date").and_then(|h| std::str::from_utf8(h.value).ok()).map(String::from);
        return Head::Automatic(status, date);
    }
    Head::Pass(length)
}

/// A whole HTTP/1.1 answer: `status`, the API's error body, `Connection: close`.
fn json_answer(status: u16, date: Option<&str>) -> Vec<u8> {
    let error = ErrorObject::invalid_request(None, message(status), None);
    let body = serde_json::to_vec(&error.to_body()).unwrap_or_default();
    let reason = StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\nrequest-id: {}\r\ncontent-type: application/json\r\n\
         content-length: {}\r\nconnection: close\r\n",
        ids::request_id(),
        body.len()
    );
    if let Some(date) = date {
        out.push_str(&format!("date: {date}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const OURS: &[u8] = b"HTTP/1.1 200 OK\r\nrequest-id: req_1\r\ncontent-length: 2\r\n\r\n{}";
    const HYPERS: &[u8] =
        b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\ndate: D\r\n\r\n";

    /// Runs `chunks` through a follower whose socket takes at most `take` bytes a write.
    fn run(chunks: &[&[u8]], take: usize) -> Vec<u8> {
        let mut answers = Answers::default();
        let mut out = Vec::new();
        for chunk in chunks {
            let mut rest = *chunk;
            while !rest.is_empty() {
                match answers.plan(rest) {
                    Plan::Pass(n) => {
                        let passed = &rest[..n];
                        let n = n.min(take);
                        answers.advance(passed, n);
                        out.extend_from_slice(&rest[..n]);
                        rest = &rest[n..];
                    }
                    Plan::Replace { consumed, out: bytes } => {
                        assert!(consumed > 0);
                        out.extend_from_slice(&bytes);
                        rest = &rest[consumed..];
                    }
                }
            }
        }
        out
    }

    #[test]
    fn the_services_answers_pass_unchanged_however_they_are_cut() {
        let stream = [OURS, OURS, OURS].concat();
        for take in [1, 3, 7, 64, 10_000] {
            assert_eq!(run(&[&stream], take), stream, "take {take}");
            let pieces: Vec<&[u8]> = stream.chunks(5).collect();
            assert_eq!(run(&pieces, take), stream, "pieces, take {take}");
        }
    }

    #[test]
    fn hypers_empty_answer_becomes_json() {
        for (cut, take) in [(HYPERS.len(), 10_000), (10, 10_000), (HYPERS.len() - 2, 1)] {
            let stream = [OURS, HYPERS].concat();
            let (a, b) = stream.split_at(OURS.len() + cut);
            let out = String::from_utf8(run(&[a, b], take)).unwrap();
            let (first, second) = out.split_at(OURS.len());
            assert_eq!(first.as_bytes(), OURS);
            assert!(second.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "{second}");
            assert!(second.contains("content-type: application/json\r\n"), "{second}");
            assert!(second.contains("connection: close\r\n") && second.contains("date: D\r\n"), "{second}");
            let (head, body) = second.split_once("\r\n\r\n").unwrap();
            assert!(head.contains(&format!("content-length: {}\r\n", body.len())), "{head}");
            let json: serde_json::Value = serde_json::from_str(body).unwrap();
            assert_eq!(json["error"]["type"], "invalid_request_error");
            assert_eq!(json["error"]["message"], message(431));
        }
    }

    #[test]
    fn a_head_it_does_not_understand_turns_it_off() {
        let odd = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n".as_slice();
        let stream = [odd, HYPERS].concat();
        assert_eq!(run(&[&stream], 10_000), stream);
        let garbage = vec![b'x'; MAX_HEAD + 10];
        assert_eq!(run(&[&garbage[..100], &garbage[100..]], 10_000), garbage);
    }

    #[test]
    fn progress_marks_answers_starting_and_ending() {
        let mut answers = Answers::default();
        let p = answers.advance(OURS, OURS.len() - 1);
        assert_eq!(p, Progress { started: true, finished: false, within: true });
        let p = answers.advance(&OURS[OURS.len() - 1..], 1);
        assert_eq!(p, Progress { started: false, finished: true, within: false });
        let both = [OURS, OURS].concat();
        assert_eq!(
            answers.advance(&both, both.len()),
            Progress { started: true, finished: true, within: false }
        );
        let p = answers.advance(&both, both.len() - 1);
        assert_eq!(p, Progress { started: true, finished: true, within: true });
        // A head cut by the socket is still known whole.
        let mut answers = Answers::default();
        let p = answers.advance(OURS, 3);
        assert_eq!(p, Progress { started: true, finished: false, within: true });
        assert_eq!(answers.plan(&OURS[3..]), Plan::Pass(OURS.len() - 3));
    }
}
