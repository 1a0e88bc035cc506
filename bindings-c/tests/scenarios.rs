//! Runs the language-neutral scenario files in `tests/scenarios/*.json` (repository root)
//! through the C API: every typed step calls the `extern "C"` functions (`si_verification_session_*`,
//! `si_test_helpers_*`) with C strings and JSON text, reads the answer back with
//! `si_session_to_json` / `si_session_list_to_json`, and errors with the `si_error_*` accessors
//! and the returned `si_status`.
//!
//! Adapted from core's runner (`core/tests/scenarios.rs`, same format, same strictness); only the
//! calls differ. Two steps cannot go through C, and use the core client on the same simulator:
//! `advance_clock` (a manual clock is set up in Rust: the C API has no clock) and `raw` (the C
//! API has no raw-request function; its errors still go through the C error conversion).
//!
//! The crate has no rlib (it would collide with core's `libstripe_identity.rlib`), so the
//! binding's sources are included here as a module.
//!
//! `SCENARIO=<text>` runs only the scenarios whose file name or scenario name contains `<text>`.

// Not every function is called here; the C tests (tests/test_api.c) cover them all.
#[allow(dead_code, unused_imports)]
#[path = "../src/lib.rs"]
mod c_api;

use c_api::*;
use identity::backend::Method;
use identity::engine::{ManualClock, Simulator};
use identity::{Client, Error, RequestOptions};
use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::ffi::{c_char, CStr, CString};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where every scenario's clock starts (unix seconds).
const START: i64 = 1_700_000_000;

// ---------------------------------------------------------------------------------------------
// The format
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    #[serde(default)]
    #[allow(dead_code)]
    comment: Option<String>,
    scenarios: Vec<Scenario>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    name: String,
    #[serde(default)]
    #[allow(dead_code)]
    comment: Option<String>,
    steps: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Op {
    Create,
    Retrieve,
    Update,
    List,
    Cancel,
    Redact,
    Submit,
    Verify,
    Fail,
    CompleteRedaction,
    AdvanceClock,
    Raw,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Retrieve => "retrieve",
            Op::Update => "update",
            Op::List => "list",
            Op::Cancel => "cancel",
            Op::Redact => "redact",
            Op::Submit => "submit",
            Op::Verify => "verify",
            Op::Fail => "fail",
            Op::CompleteRedaction => "complete_redaction",
            Op::AdvanceClock => "advance_clock",
            Op::Raw => "raw",
        }
    }

    fn takes_id(self) -> bool {
        matches!(
            self,
            Op::Retrieve
                | Op::Update
                | Op::Cancel
                | Op::Redact
                | Op::Submit
                | Op::Verify
                | Op::Fail
                | Op::CompleteRedaction
        )
    }

    fn takes_params(self) -> bool {
        matches!(self, Op::Create | Op::Retrieve | Op::Update | Op::List | Op::Cancel | Op::Redact | Op::Fail)
    }

    fn takes_options(self) -> bool {
        matches!(self, Op::Create | Op::Retrieve | Op::Update | Op::List | Op::Cancel | Op::Redact | Op::Raw)
    }
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    #[serde(default)]
    idempotency_key: Option<String>,
    #[serde(default)]
    stripe_account: Option<String>,
    #[serde(default)]
    stripe_version: Option<String>,
}

fn double<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// `"error"`: every listed field must match; `null` for `code`/`param` means "none".
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ErrorExpect {
    #[serde(default)]
    http_status: Option<u16>,
    #[serde(default, rename = "type")]
    error_type: Option<String>,
    #[serde(default, deserialize_with = "double")]
    code: Option<Option<String>>,
    #[serde(default, deserialize_with = "double")]
    param: Option<Option<String>>,
    #[serde(default)]
    message_contains: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    op: Op,
    #[serde(default)]
    #[allow(dead_code)]
    comment: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    params: Option<Value>,
    #[serde(default)]
    options: Option<Options>,
    #[serde(default)]
    seconds: Option<i64>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    repeat: Option<usize>,
    #[serde(default)]
    save: Option<String>,
    #[serde(default)]
    expect: Option<Value>,
    #[serde(default)]
    absent: Option<Vec<String>>,
    #[serde(default)]
    non_null: Option<Vec<String>>,
    #[serde(default)]
    len: Option<BTreeMap<String, usize>>,
    #[serde(default)]
    not_equal: Option<Map<String, Value>>,
    #[serde(default)]
    prefix: Option<BTreeMap<String, String>>,
    #[serde(default)]
    headers: Option<BTreeMap<String, Option<String>>>,
    #[serde(default)]
    error: Option<ErrorExpect>,
}

impl Step {
    fn has_success_expectations(&self) -> bool {
        self.expect.is_some()
            || self.absent.is_some()
            || self.non_null.is_some()
            || self.len.is_some()
            || self.not_equal.is_some()
            || self.prefix.is_some()
            || self.headers.is_some()
    }

    /// Everything the op does not take, or that contradicts itself.
    fn problems(&self) -> Vec<String> {
        let op = self.op;
        let mut out = Vec::new();
        let mut refuse = |cond: bool, what: &str| {
            if cond {
                out.push(format!("op `{}` {what}", op.name()));
            }
        };
        refuse(op.takes_id() && self.id.is_none(), "needs `id`");
        refuse(!op.takes_id() && self.id.is_some(), "takes no `id`");
        refuse(!op.takes_params() && self.params.is_some(), "takes no `params`");
        refuse(self.params.as_ref().is_some_and(|p| !p.is_object()), "needs `params` to be an object");
        refuse(!op.takes_options() && self.options.is_some(), "takes no `options`");
        refuse(
            (op == Op::AdvanceClock) != self.seconds.is_some(),
            "needs `seconds` exactly when advance_clock",
        );
        refuse((op == Op::Raw) != self.method.is_some(), "needs `method` exactly when raw");
        refuse((op == Op::Raw) != self.path.is_some(), "needs `path` exactly when raw");
        refuse(op != Op::Raw && self.body.is_some(), "takes no `body` (raw only)");
        refuse(op != Op::Raw && self.headers.is_some(), "takes no `headers` expectation (raw only)");
        refuse(
            self.method.as_deref().is_some_and(|m| Method::parse(m).is_none()),
            "has a `method` other than GET, POST or DELETE",
        );
        refuse(
            op == Op::AdvanceClock
                && (self.save.is_some()
                    || self.repeat.is_some()
                    || self.error.is_some()
                    || self.has_success_expectations()),
            "takes no expectations, `save` or `repeat`",
        );
        refuse(self.repeat == Some(0), "needs `repeat` of at least 1");
        refuse(
            self.error.is_some() && (self.has_success_expectations() || self.save.is_some()),
            "cannot expect an `error` and also a success (`expect`, `absent`, `save`, ...)",
        );
        refuse(self.expect.as_ref().is_some_and(|e| !e.is_object()), "needs `expect` to be an object");
        refuse(
            self.save.as_deref().is_some_and(|s| !is_name(s)),
            "needs `save` to be a name (letters, digits, `_`, starting with a letter or `_`)",
        );
        out
    }
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads a scenario file and checks every step against its op; any problem is an error.
fn load(text: &str) -> Result<ScenarioFile, String> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let file: ScenarioFile =
        serde_path_to_error::deserialize(de).map_err(|e| format!("at `{}`: {}", e.path(), e.inner()))?;
    let mut problems = Vec::new();
    if file.scenarios.is_empty() {
        problems.push("the file has no scenarios".to_string());
    }
    let mut names = std::collections::HashSet::new();
    for (si, sc) in file.scenarios.iter().enumerate() {
        if !names.insert(sc.name.as_str()) {
            problems.push(format!("scenarios[{si}] repeats the name {:?}", sc.name));
        }
        if sc.steps.is_empty() {
            problems.push(format!("scenario {:?} has no steps", sc.name));
        }
        for (i, step) in sc.steps.iter().enumerate() {
            for p in step.problems() {
                problems.push(format!("scenario {:?} steps[{i}]: {p}", sc.name));
            }
        }
    }
    if problems.is_empty() {
        Ok(file)
    } else {
        Err(problems.join("\n"))
    }
}

// ---------------------------------------------------------------------------------------------
// References: `$name.path` (the whole string) and `${name.path}` (inside a string)
// ---------------------------------------------------------------------------------------------

type Saved = BTreeMap<String, Value>;

/// Walks a dotted path (`data.0.id`, `verified_outputs.dob`) into a value.
fn walk<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    if path.is_empty() {
        return Some(root);
    }
    let mut cur = root;
    for seg in path.split('.') {
        cur = match cur {
            Value::Object(m) => m.get(seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn lookup(reference: &str, saved: &Saved) -> Result<Value, String> {
    let (name, path) = reference.split_once('.').unwrap_or((reference, ""));
    let root = saved.get(name).ok_or_else(|| {
        format!("reference `${reference}`: nothing was saved as `{name}` (saved: {:?})", saved.keys())
    })?;
    walk(root, path).cloned().ok_or_else(|| format!("reference `${reference}`: `{path}` is not in `{name}`"))
}

fn resolve_str(s: &str, saved: &Saved) -> Result<Value, String> {
    if let Some(rest) = s.strip_prefix("$$") {
        return Ok(Value::String(format!("${rest}")));
    }
    if let Some(reference) = s.strip_prefix('$') {
        if reference.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return lookup(reference, saved);
        }
    }
    if !s.contains("${") {
        return Ok(Value::String(s.to_string()));
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or_else(|| format!("unclosed `${{` in {s:?}"))?;
        match lookup(&after[..end], saved)? {
            Value::String(v) => out.push_str(&v),
            v @ (Value::Number(_) | Value::Bool(_)) => out.push_str(&v.to_string()),
            v => return Err(format!("`${{{}}}` in {s:?} is not a scalar: {v}", &after[..end])),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(Value::String(out))
}

fn resolve(v: &Value, saved: &Saved) -> Result<Value, String> {
    Ok(match v {
        Value::String(s) => resolve_str(s, saved)?,
        Value::Array(items) => {
            Value::Array(items.iter().map(|i| resolve(i, saved)).collect::<Result<_, _>>()?)
        }
        Value::Object(m) => Value::Object(
            m.iter().map(|(k, v)| Ok((k.clone(), resolve(v, saved)?))).collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

fn resolve_string(s: &str, saved: &Saved, what: &str) -> Result<String, String> {
    match resolve_str(s, saved)? {
        Value::String(v) => Ok(v),
        other => Err(format!("`{what}` resolved to {other}, not a string")),
    }
}

// ---------------------------------------------------------------------------------------------
// Running a step
// ---------------------------------------------------------------------------------------------

/// A successful answer: the JSON and, for `raw`, the headers.
struct Answer {
    body: Value,
    headers: Vec<(String, String)>,
}

/// A failed call as C sees it: the returned status and the `si_error` accessors.
#[derive(Debug)]
struct Failure {
    status: si_status,
    http_status: Option<u16>,
    error_type: Option<String>,
    code: Option<String>,
    param: Option<String>,
    message: String,
}

/// The scenario files' name of a status's class (`ErrorKind::as_str`): checks that each API
/// error arrives in C with the status of its kind.
fn kind_of(status: si_status) -> &'static str {
    match status {
        si_status::SI_OK => "ok",
        si_status::SI_ERR_INVALID_ARGUMENT => "invalid_argument",
        si_status::SI_ERR_INVALID_REQUEST => "invalid_request",
        si_status::SI_ERR_AUTHENTICATION => "authentication",
        si_status::SI_ERR_PERMISSION => "permission",
        si_status::SI_ERR_RATE_LIMIT => "rate_limit",
        si_status::SI_ERR_IDEMPOTENCY => "idempotency",
        si_status::SI_ERR_CARD => "card",
        si_status::SI_ERR_API => "api",
        si_status::SI_ERR_API_CONNECTION => "api_connection",
        si_status::SI_ERR_DECODE => "decode",
        si_status::SI_ERR_INTERNAL => "internal",
    }
}

unsafe fn text(ptr: *const c_char) -> Option<String> {
    (!ptr.is_null()).then(|| CStr::from_ptr(ptr).to_string_lossy().into_owned())
}

/// Reads and frees an error handed out by the C API.
unsafe fn failure(status: si_status, err: *mut si_error) -> Failure {
    assert!(!err.is_null(), "status {status:?} came without an error");
    assert_eq!(si_error_status(err), status, "the error's status is the returned one");
    let http_status = si_error_http_status(err);
    let failure = Failure {
        status,
        http_status: (http_status != 0).then_some(http_status),
        error_type: text(si_error_type(err)),
        code: text(si_error_code(err)),
        param: text(si_error_param(err)),
        message: text(si_error_message(err)).expect("every error has a message"),
    };
    si_error_free(err);
    failure
}

/// Owned C strings for a call, kept alive until it returns.
struct CArgs {
    id: CString,
    params: CString,
    idempotency_key: Option<CString>,
    stripe_account: Option<CString>,
    stripe_version: Option<CString>,
}

fn c_string(s: &str) -> CString {
    CString::new(s).expect("scenario strings hold no NUL")
}

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(std::ptr::null(), |s| s.as_ptr())
}

/// Runs a typed step through the C API.
fn call(
    client: *const si_client,
    op: Op,
    id: &str,
    params: Value,
    opts: RequestOptions,
) -> Result<Answer, Failure> {
    let args = CArgs {
        id: c_string(id),
        // NULL params when the step has none, as a C caller would pass.
        params: c_string(&params.to_string()),
        idempotency_key: opts.idempotency_key.as_deref().map(c_string),
        stripe_account: opts.stripe_account.as_deref().map(c_string),
        stripe_version: opts.stripe_version.as_deref().map(c_string),
    };
    let params_ptr = if params.is_null() { std::ptr::null() } else { args.params.as_ptr() };
    let c_opts = si_request_options {
        idempotency_key: opt_ptr(&args.idempotency_key),
        stripe_account: opt_ptr(&args.stripe_account),
        stripe_version: opt_ptr(&args.stripe_version),
    };
    let id = args.id.as_ptr();
    let mut session: *mut si_session = std::ptr::null_mut();
    let mut list: *mut si_session_list = std::ptr::null_mut();
    let mut err: *mut si_error = std::ptr::null_mut();
    let (s, e) = (&mut session as *mut _, &mut err as *mut _);
    let status = unsafe {
        match op {
            Op::Create => si_verification_session_create(client, params_ptr, &c_opts, s, e),
            Op::Retrieve => si_verification_session_retrieve(client, id, params_ptr, &c_opts, s, e),
            Op::Update => si_verification_session_update(client, id, params_ptr, &c_opts, s, e),
            Op::List => si_verification_session_list(client, params_ptr, &c_opts, &mut list, e),
            Op::Cancel => si_verification_session_cancel(client, id, params_ptr, &c_opts, s, e),
            Op::Redact => si_verification_session_redact(client, id, params_ptr, &c_opts, s, e),
            Op::Submit => si_test_helpers_submit(client, id, s, e),
            Op::Verify => si_test_helpers_verify(client, id, s, e),
            Op::Fail => {
                let field = |k: &str| params.get(k).and_then(Value::as_str).map(c_string);
                let (code, reason) = (field("code"), field("reason"));
                si_test_helpers_fail(client, id, opt_ptr(&code), opt_ptr(&reason), s, e)
            }
            Op::CompleteRedaction => si_test_helpers_complete_redaction(client, id, s, e),
            Op::AdvanceClock | Op::Raw => unreachable!("not a typed call"),
        }
    };
    if status != si_status::SI_OK {
        assert!(session.is_null() && list.is_null(), "a failed call wrote its out-parameter");
        return Err(unsafe { failure(status, err) });
    }
    assert!(err.is_null(), "a successful call wrote an error");
    let json = unsafe {
        let raw = if op == Op::List { si_session_list_to_json(list) } else { si_session_to_json(session) };
        let json = CStr::from_ptr(raw).to_str().expect("UTF-8").to_string();
        si_string_free(raw);
        si_session_free(session);
        si_session_list_free(list);
        json
    };
    let body = serde_json::from_str(&json).expect("_to_json gives JSON");
    Ok(Answer { body, headers: Vec::new() })
}

/// A `raw` step, on the core client of the same simulator (C has no raw request); an error
/// still goes through the C API's conversion.
fn send_raw(
    client: &Client,
    method: &str,
    path: &str,
    body: String,
    opts: &RequestOptions,
) -> Result<Answer, Failure> {
    let method = Method::parse(method).expect("checked when the file was loaded");
    let to_failure = |e: Error| {
        let err: Box<si_error> = e.into();
        let status = unsafe { si_error_status(&*err) };
        unsafe { failure(status, Box::into_raw(err)) }
    };
    let response = client.send(method, path, body, opts).map_err(to_failure)?;
    let body = serde_json::from_slice(&response.body).map_err(|e| {
        to_failure(Error::Decode {
            message: format!("the answer is not JSON: {e}"),
            status: response.status,
            request_id: None,
        })
    })?;
    Ok(Answer { body, headers: response.headers })
}

fn describe_error(e: &Failure) -> String {
    format!(
        "status={:?} kind={} http_status={:?} type={:?} code={:?} param={:?} message={:?}",
        e.status,
        kind_of(e.status),
        e.http_status,
        e.error_type,
        e.code,
        e.param,
        e.message
    )
}

fn check_error(want: &ErrorExpect, e: &Failure, diffs: &mut Vec<String>) {
    let mut field = |name: &str, want: String, got: String| {
        if want != got {
            diffs.push(format!("error.{name}: expected {want}, got {got}"));
        }
    };
    if let Some(s) = want.http_status {
        field("http_status", format!("{s}"), e.http_status.map_or("none".into(), |s| s.to_string()));
    }
    if let Some(t) = &want.error_type {
        field("type", format!("{t:?}"), e.error_type.as_ref().map_or("none".into(), |t| format!("{t:?}")));
    }
    if let Some(c) = &want.code {
        field("code", format!("{c:?}"), format!("{:?}", e.code));
    }
    if let Some(p) = &want.param {
        field("param", format!("{p:?}"), format!("{:?}", e.param));
    }
    if let Some(k) = &want.kind {
        field("kind", format!("{k:?}"), format!("{:?}", kind_of(e.status)));
    }
    if let Some(m) = &want.message_contains {
        if !e.message.contains(m.as_str()) {
            diffs.push(format!("error.message: expected it to contain {m:?}, got {:?}", e.message));
        }
    }
}

fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

fn at(path: &str) -> &str {
    if path.is_empty() {
        "(root)"
    } else {
        path
    }
}

/// Subset match: every key of an expected object must match; arrays match element by element
/// and must have the same length; anything else must be equal.
fn subset(want: &Value, got: &Value, path: &str, diffs: &mut Vec<String>) {
    let child = |k: &str| if path.is_empty() { k.to_string() } else { format!("{path}.{k}") };
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, wv) in w {
                match g.get(k) {
                    Some(gv) => subset(wv, gv, &child(k), diffs),
                    None => diffs.push(format!("{}: expected {}, but the key is absent", child(k), show(wv))),
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                diffs.push(format!(
                    "{}: expected {} items, got {}: {}",
                    at(path),
                    w.len(),
                    g.len(),
                    show(got)
                ));
            }
            for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                subset(wv, gv, &child(&i.to_string()), diffs);
            }
        }
        _ if want == got => {}
        _ => diffs.push(format!("{}: expected {}, got {}", at(path), show(want), show(got))),
    }
}

fn check_answer(step: &Step, ans: &Answer, saved: &Saved, diffs: &mut Vec<String>) -> Result<(), String> {
    if let Some(want) = &step.expect {
        subset(&resolve(want, saved)?, &ans.body, "", diffs);
    }
    for path in step.absent.iter().flatten() {
        if let Some(v) = walk(&ans.body, path) {
            diffs.push(format!("{path}: expected the key to be absent, got {}", show(v)));
        }
    }
    for path in step.non_null.iter().flatten() {
        match walk(&ans.body, path) {
            None => diffs.push(format!("{path}: expected a non-null value, but the key is absent")),
            Some(Value::Null) => diffs.push(format!("{path}: expected a non-null value, got null")),
            Some(_) => {}
        }
    }
    for (path, n) in step.len.iter().flatten() {
        match walk(&ans.body, path) {
            Some(Value::Array(a)) if a.len() == *n => {}
            Some(Value::Object(m)) if m.len() == *n => {}
            Some(Value::Array(a)) => diffs.push(format!("{path}: expected {n} items, got {}", a.len())),
            Some(Value::Object(m)) => diffs.push(format!("{path}: expected {n} keys, got {}", m.len())),
            other => diffs.push(format!("{path}: expected an array or object of length {n}, got {other:?}")),
        }
    }
    for (path, v) in step.not_equal.iter().flatten() {
        let v = resolve(v, saved)?;
        match walk(&ans.body, path) {
            None => {
                diffs.push(format!("{path}: expected a value other than {}, but the key is absent", show(&v)))
            }
            Some(got) if *got == v => diffs.push(format!("{path}: expected a value other than {}", show(&v))),
            Some(_) => {}
        }
    }
    for (path, p) in step.prefix.iter().flatten() {
        let p = resolve_string(p, saved, "prefix")?;
        match walk(&ans.body, path) {
            Some(Value::String(s)) if s.starts_with(&p) => {}
            other => diffs.push(format!("{path}: expected a string starting with {p:?}, got {other:?}")),
        }
    }
    for (name, want) in step.headers.iter().flatten() {
        let got = ans.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
        let want = want.as_deref().map(|w| resolve_string(w, saved, "headers")).transpose()?;
        if got != want {
            diffs.push(format!("header {name}: expected {want:?}, got {got:?}"));
        }
    }
    Ok(())
}

/// Runs one step (all its repetitions). `Ok(())` when it passed; `Err` with every difference.
fn run_step(
    handle: *const si_client,
    client: &Client,
    clock: &ManualClock,
    step: &Step,
    saved: &mut Saved,
) -> Result<(), String> {
    if step.op == Op::AdvanceClock {
        clock.advance(step.seconds.unwrap_or_default());
        return Ok(());
    }
    let o = step.options.clone().unwrap_or_default();
    let opts = RequestOptions {
        idempotency_key: o
            .idempotency_key
            .map(|k| resolve_string(&k, saved, "options.idempotency_key"))
            .transpose()?,
        stripe_account: o
            .stripe_account
            .map(|k| resolve_string(&k, saved, "options.stripe_account"))
            .transpose()?,
        stripe_version: o
            .stripe_version
            .map(|k| resolve_string(&k, saved, "options.stripe_version"))
            .transpose()?,
    };
    let id = step.id.as_deref().map(|id| resolve_string(id, saved, "id")).transpose()?.unwrap_or_default();
    let params = step.params.as_ref().map(|p| resolve(p, saved)).transpose()?.unwrap_or(Value::Null);
    let mut answers = Vec::new();
    for round in 0..step.repeat.unwrap_or(1) {
        let label = if step.repeat.is_some() { format!("in repetition {round}: ") } else { String::new() };
        let result = match step.op {
            Op::Raw => {
                let path = resolve_string(step.path.as_deref().unwrap_or_default(), saved, "path")?;
                let body = resolve_string(step.body.as_deref().unwrap_or_default(), saved, "body")?;
                send_raw(client, step.method.as_deref().unwrap_or_default(), &path, body, &opts)
            }
            op => call(handle, op, &id, params.clone(), opts.clone()),
        };
        let mut diffs = Vec::new();
        match (&step.error, result) {
            (Some(want), Err(e)) => check_error(want, &e, &mut diffs),
            (Some(_), Ok(ans)) => {
                diffs.push(format!("expected an error, but the call succeeded: {}", show(&ans.body)))
            }
            (None, Err(e)) => diffs.push(format!("unexpected error: {}", describe_error(&e))),
            (None, Ok(ans)) => {
                check_answer(step, &ans, saved, &mut diffs)?;
                if !diffs.is_empty() {
                    let pretty = serde_json::to_string_pretty(&ans.body).unwrap_or_default();
                    let shown: String = pretty.chars().take(4000).collect();
                    diffs.push(format!("the whole answer was:\n{shown}"));
                }
                answers.push(ans.body);
            }
        }
        if !diffs.is_empty() {
            return Err(format!("{label}{}", diffs.join("\n      - ")));
        }
    }
    if let Some(name) = &step.save {
        let value = match step.repeat {
            Some(_) => Value::Array(answers),
            None => answers.pop().unwrap_or(Value::Null),
        };
        saved.insert(name.clone(), value);
    }
    Ok(())
}

/// Runs one scenario on a fresh simulator; returns the steps that passed, or the first failure.
fn run_scenario(sc: &Scenario) -> Result<usize, (usize, String)> {
    let clock = ManualClock::new(START);
    let client = Client::local_with(Arc::new(Simulator::with_clock(Arc::new(clock.clone()))));
    // The C handle shares the simulator (and its clock) with `client`.
    let handle = si_client::from_core(client.clone());
    let mut saved = Saved::new();
    let mut result = Ok(sc.steps.len());
    for (i, step) in sc.steps.iter().enumerate() {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            run_step(handle, &client, &clock, step, &mut saved)
        }))
        .unwrap_or_else(|_| Err("the step panicked (see the panic message above)".to_string()));
        if let Err(e) = outcome {
            result = Err((i, e));
            break;
        }
    }
    unsafe { si_client_free(handle) };
    result
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("tests").join("scenarios")
}

#[test]
fn scenarios() {
    let dir = scenario_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenario files in {}", dir.display());
    let filter = std::env::var("SCENARIO").ok().filter(|f| !f.is_empty());

    let (mut scenarios_ok, mut steps_ok, mut failures) = (0usize, 0usize, Vec::<String>::new());
    let mut scenarios_total = 0usize;
    for path in &files {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {name}: {e}"));
        let file = match load(&text) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name}: the file does not follow the scenario format:\n    {e}"));
                continue;
            }
        };
        for sc in &file.scenarios {
            if filter.as_deref().is_some_and(|f| !name.contains(f) && !sc.name.contains(f)) {
                continue;
            }
            scenarios_total += 1;
            match run_scenario(sc) {
                Ok(steps) => {
                    scenarios_ok += 1;
                    steps_ok += steps;
                }
                Err((i, msg)) => {
                    steps_ok += i;
                    let op = sc.steps[i].op.name();
                    failures.push(format!(
                        "{name}: scenario {:?}: steps[{i}] ({op}) failed ({} later steps not run):\n      - {msg}",
                        sc.name,
                        sc.steps.len() - i - 1
                    ));
                }
            }
        }
    }
    println!(
        "scenarios: {} files, {scenarios_ok}/{scenarios_total} scenarios passed, {steps_ok} steps passed",
        files.len()
    );
    if !failures.is_empty() {
        panic!("{} scenario failure(s):\n\n{}\n", failures.len(), failures.join("\n\n"));
    }
}

/// A typo in a scenario file must fail the run, never skip a step.
#[test]
fn malformed_scenario_files_are_refused() {
    let bad = [
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "creat"}]}]}"#, "creat"),
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "create", "expects": {}}]}]}"#, "expects"),
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "create", "error": {"staus": 400}}]}]}"#, "staus"),
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "create", "id": "vs_1"}]}]}"#, "takes no `id`"),
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "retrieve"}]}]}"#, "needs `id`"),
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "submit", "id": "a", "params": {}}]}]}"#, "params"),
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "create", "params": [1]}]}]}"#, "object"),
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "raw", "path": "/v1"}]}]}"#, "method"),
        (
            r#"{"scenarios": [{"name": "x", "steps": [{"op": "raw", "method": "PUT", "path": "/"}]}]}"#,
            "other than GET",
        ),
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "advance_clock"}]}]}"#, "seconds"),
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "list", "headers": {}}]}]}"#, "raw only"),
        (
            r#"{"scenarios": [{"name": "x", "steps": [{"op": "list", "error": {}, "expect": {}}]}]}"#,
            "also a success",
        ),
        (r#"{"scenarios": [{"name": "x", "steps": [{"op": "list", "options": {"idem": "k"}}]}]}"#, "idem"),
        (r#"{"scenarios": [{"name": "x", "steps": []}]}"#, "no steps"),
        (r#"{"scenarios": []}"#, "no scenarios"),
        (r#"{"scenario": []}"#, "scenario"),
    ];
    for (text, needle) in bad {
        match load(text) {
            Ok(_) => panic!("accepted a malformed file: {text}"),
            Err(e) => assert!(e.contains(needle), "the error for {text} should mention {needle:?}: {e}"),
        }
    }

    // A reference to nothing, or a failed expectation, fails the scenario at that step.
    let file = load(
        r#"{"scenarios": [
            {"name": "bad ref", "steps": [{"op": "retrieve", "id": "$nothing.id"}]},
            {"name": "bad expectation", "steps": [
                {"op": "create", "params": {"type": "document"}, "expect": {"status": "verified"}}]},
            {"name": "missing error", "steps": [
                {"op": "create", "params": {"type": "document"}, "error": {"http_status": 400}}]},
            {"name": "self reference", "steps": [
                {"op": "create", "params": {"type": "document"}, "save": "s",
                 "expect": {"status": "requires_input", "id": "$s_missing_is_not_checked_here"}}]}
        ]}"#,
    )
    .expect("well-formed");
    let (i, msg) = run_scenario(&file.scenarios[0]).unwrap_err();
    assert_eq!(i, 0);
    assert!(msg.contains("nothing was saved as `nothing`"), "{msg}");
    let (_, msg) = run_scenario(&file.scenarios[1]).unwrap_err();
    assert!(msg.contains("status: expected \"verified\", got \"requires_input\""), "{msg}");
    let (_, msg) = run_scenario(&file.scenarios[2]).unwrap_err();
    assert!(msg.contains("expected an error"), "{msg}");
    // References are resolved before the answer is saved, so a step cannot refer to itself.
    let (_, msg) = run_scenario(&file.scenarios[3]).unwrap_err();
    assert!(msg.contains("nothing was saved as `s_missing_is_not_checked_here`"), "{msg}");
}

#[test]
fn references_resolve_whole_values_and_inside_strings() {
    let mut saved = Saved::new();
    saved.insert("s".into(), serde_json::json!({"id": "vs_1", "created": 5, "data": [{"id": "vs_2"}]}));
    assert_eq!(resolve_str("$s.id", &saved).unwrap(), "vs_1");
    assert_eq!(resolve_str("$s.created", &saved).unwrap(), 5);
    assert_eq!(resolve_str("$s.data.0.id", &saved).unwrap(), "vs_2");
    assert_eq!(resolve_str("/v1/x/${s.id}/cancel?t=${s.created}", &saved).unwrap(), "/v1/x/vs_1/cancel?t=5");
    assert_eq!(resolve_str("$$s.id", &saved).unwrap(), "$s.id");
    assert_eq!(resolve_str("$5", &saved).unwrap(), "$5");
    assert!(resolve_str("$s.nope", &saved).is_err());
    assert!(resolve_str("${s.data}", &saved).is_err());
}
