//! The call-script format shared by the `json_params` and `c_api` targets: one operation per
//! line, as a binding would make it.
//!
//! ```text
//! # a comment
//! create - k1|acct_1| {"type":"document","metadata":{"order":"42"}}
//! submit $0 -
//! fail $0 - {"code":"document_expired"}
//! +86400
//! retrieve $0 - {"expand":["verified_outputs"]}
//! ```
//!
//! - `<op> <id> <options> <params>`: `op` is an operation's name (`create`, `complete_redaction`,
//!   …); `id` is `-` for none, `$N` for the id of the N-th session created so far (modulo how
//!   many there are), or literal bytes; `options` is `-` or `key|account|version` (an empty
//!   part is none); `params` is the rest of the line, JSON text (none at all is `null`).
//! - `+N` moves the simulator's clock forward by N seconds (at most a year per line).
//! - `$N` inside the parameters is replaced the same way (`{"starting_after":"$0"}`).
//! - `client <key> <base_url>` (C only) makes an HTTP client with these settings and frees it
//!   without sending anything.
//!
//! Lines are bytes, not text: an id or parameters that are not UTF-8 reach the binding as they
//! are, which is the point for the C target. Unknown lines are skipped.

/// One line of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line<'a> {
    /// An operation.
    Call(Call<'a>),
    /// Move the clock forward.
    Advance(i64),
    /// Make and free an HTTP client.
    NewClient { key: &'a [u8], base_url: &'a [u8] },
}

/// An operation and its arguments, still as bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call<'a> {
    /// The operation's name.
    pub op: &'a [u8],
    /// The id argument.
    pub id: Id<'a>,
    /// Request options: idempotency key, account, version.
    pub options: Option<[Option<&'a [u8]>; 3]>,
    /// JSON text of the parameters (`$N` not yet replaced); `None` when the line has none.
    pub params: Option<&'a [u8]>,
}

/// The id argument of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Id<'a> {
    /// No id (`-`).
    None,
    /// The id of the N-th session created so far (and the `$N` text, for when there is none).
    Created(usize, &'a [u8]),
    /// Literal bytes.
    Literal(&'a [u8]),
}

impl Id<'_> {
    /// The id's bytes, with `$N` looked up in `created` (the literal `$N` while there is none).
    pub fn resolve(&self, created: &[String]) -> Option<Vec<u8>> {
        match *self {
            Id::None => None,
            Id::Literal(bytes) => Some(bytes.to_vec()),
            Id::Created(_, raw) if created.is_empty() => Some(raw.to_vec()),
            Id::Created(n, _) => Some(created[n % created.len()].as_bytes().to_vec()),
        }
    }
}

/// `$N` → the id of the N-th session created so far (left as it is while there is none).
pub fn substitute(text: &[u8], created: &[String]) -> Vec<u8> {
    if created.is_empty() || !text.contains(&b'$') {
        return text.to_vec();
    }
    let mut out = Vec::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(at) = rest.iter().position(|&b| b == b'$') {
        out.extend_from_slice(&rest[..at]);
        let digits = rest[at + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        let number =
            std::str::from_utf8(&rest[at + 1..at + 1 + digits]).ok().and_then(|d| d.parse::<usize>().ok());
        match number {
            Some(n) => out.extend_from_slice(created[n % created.len()].as_bytes()),
            None => out.extend_from_slice(&rest[at..at + 1 + digits]),
        }
        rest = &rest[at + 1 + digits..];
    }
    out.extend_from_slice(rest);
    out
}

/// Most lines a script may hold: more only slows each run without reaching new code.
pub const MAX_LINES: usize = 64;

/// Splits a script into lines (at most [`MAX_LINES`]).
pub fn parse(input: &[u8]) -> Vec<Line<'_>> {
    input
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty() && l[0] != b'#')
        .filter_map(parse_line)
        .take(MAX_LINES)
        .collect()
}

fn parse_line(line: &[u8]) -> Option<Line<'_>> {
    if let Some(n) = line.strip_prefix(b"+") {
        let seconds: i64 = std::str::from_utf8(n).ok()?.trim().parse().ok()?;
        return Some(Line::Advance(seconds.clamp(0, 366 * 86_400)));
    }
    let mut parts = line.splitn(4, |&b| b == b' ');
    let op = parts.next()?;
    let second = parts.next().unwrap_or_default();
    if op == b"client" {
        let base_url = parts.next().unwrap_or_default();
        return Some(Line::NewClient { key: second, base_url });
    }
    let id = match second {
        b"-" | b"" => Id::None,
        [b'$', digits @ ..] => match std::str::from_utf8(digits).ok().and_then(|d| d.parse().ok()) {
            Some(n) => Id::Created(n, second),
            None => Id::Literal(second),
        },
        bytes => Id::Literal(bytes),
    };
    let options = match parts.next() {
        None | Some(b"-") | Some(b"") => None,
        Some(opts) => {
            let mut fields = opts.splitn(3, |&b| b == b'|').map(|f| (!f.is_empty()).then_some(f));
            Some([fields.next().flatten(), fields.next().flatten(), fields.next().flatten()])
        }
    };
    let params = parts.next().filter(|p| !p.is_empty());
    Some(Line::Call(Call { op, id, options, params }))
}

/// The text of bytes that must be UTF-8 for Rust callers (the C target passes them as they are).
pub fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}
