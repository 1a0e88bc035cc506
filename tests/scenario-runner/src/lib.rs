//! The runner of the language-neutral scenario files in `tests/scenarios/*.json`, shared by
//! every Rust front end that runs them: the typed API (`core/tests/scenarios.rs`) and the C API
//! (`bindings-c/tests/scenarios.rs`). The Python and Node suites have runners of their own, in
//! their languages.
//!
//! The format is documented in `tests/scenarios/README.md`. This crate owns it: reading and
//! checking the files (a file that does not follow the format fails the run, nothing is skipped
//! silently), references between steps, and the comparison of answers and errors. A front end
//! only says how one step is carried out, by implementing [`Driver`]. Every scenario runs on a
//! fresh driver whose simulator clock starts at [`START`] and moves only with `advance_clock`.
//!
//! `SCENARIO=<text>` runs only the scenarios whose file name or scenario name contains `<text>`.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
pub use stripe_identity::api::{Operation, OPERATIONS};

/// Where every scenario's clock starts (unix seconds).
pub const START: i64 = 1_700_000_000;

// ---------------------------------------------------------------------------------------------
// What a front end implements
// ---------------------------------------------------------------------------------------------

/// What a step gave: an answer, or a failure (boxed: it is large and rare).
pub type Outcome = Result<Answer, Box<Failure>>;

/// Carries out steps for one scenario, on a simulator of its own whose clock starts at [`START`].
pub trait Driver {
    /// An operation or control of the API's description. `params` is the step's JSON object,
    /// or `null` when the step has none; `id` is empty when the operation takes none.
    fn call(&mut self, op: Operation, id: &str, params: Value, options: &Options) -> Outcome;

    /// A request as it goes on the wire (`raw`): `method` is GET, POST or DELETE, `body` is
    /// form-encoded. The answer keeps its headers.
    fn raw(&mut self, method: &str, path: &str, body: String, options: &Options) -> Outcome;

    /// Moves the simulator's clock forward.
    fn advance_clock(&mut self, seconds: i64);
}

/// A successful answer: the JSON and, for `raw`, the headers.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    pub body: Value,
    pub headers: Vec<(String, String)>,
}

impl Answer {
    /// An answer without headers.
    pub fn json(body: Value) -> Answer {
        Answer { body, headers: Vec::new() }
    }
}

/// A failed step as the front end reports it; compared with the step's `error`.
#[derive(Debug, Clone, Default)]
pub struct Failure {
    /// The error's class, as `ErrorKind::as_str` names it (`invalid_request`, `invalid_argument`).
    pub kind: String,
    pub http_status: Option<u16>,
    pub error_type: Option<String>,
    pub code: Option<String>,
    pub param: Option<String>,
    pub message: String,
    /// What else the front end wants shown when the failure was not expected (a C status).
    pub detail: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The format
// ---------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------
// The format
// ---------------------------------------------------------------------------------------------

/// One scenario file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    #[serde(default)]
    pub comment: Option<String>,
    pub scenarios: Vec<Scenario>,
}

/// A named sequence of steps, run on a fresh simulator.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    #[serde(default)]
    pub comment: Option<String>,
    pub steps: Vec<Step>,
}

/// A step's op: an operation of the API's description (by its name there, `create`,
/// `retrieve_report`, …), or one of the runner's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// An operation or a control, carried out by the front end.
    Call(Operation),
    /// Moves the simulator's clock.
    AdvanceClock,
    /// A request as it goes on the wire.
    Raw,
}

impl<'de> Deserialize<'de> for Op {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Op, D::Error> {
        let name = String::deserialize(d)?;
        match name.as_str() {
            "advance_clock" => Ok(Op::AdvanceClock),
            "raw" => Ok(Op::Raw),
            other => Operation::parse(other).map(Op::Call).ok_or_else(|| {
                let known: Vec<&str> = OPERATIONS.iter().map(|d| d.key).collect();
                serde::de::Error::custom(format!(
                    "unknown op `{other}`: expected advance_clock, raw or one of {}",
                    known.join(", ")
                ))
            }),
        }
    }
}

impl Op {
    /// The op's name in the files.
    pub fn name(self) -> &'static str {
        match self {
            Op::Call(op) => op.as_str(),
            Op::AdvanceClock => "advance_clock",
            Op::Raw => "raw",
        }
    }

    fn takes_id(self) -> bool {
        matches!(self, Op::Call(op) if op.takes_id())
    }

    /// The typed controls take only what they act on (`fail`'s `code` and `reason`), not
    /// `expand`; every API operation takes its parameters.
    fn takes_params(self) -> bool {
        match self {
            Op::Call(op) => {
                let d = op.desc();
                !d.simulator_only || d.params.iter().any(|(name, _)| *name != "expand")
            }
            Op::AdvanceClock | Op::Raw => false,
        }
    }

    /// Request options go with every API operation (controls run with none).
    fn takes_options(self) -> bool {
        match self {
            Op::Call(op) => !op.desc().simulator_only,
            Op::Raw => true,
            Op::AdvanceClock => false,
        }
    }
}

/// A step's request options (references resolved before a driver sees them).
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    #[serde(default)]
    pub idempotency_key: Option<String>,
    #[serde(default)]
    pub stripe_account: Option<String>,
    #[serde(default)]
    pub stripe_version: Option<String>,
}

fn double<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// `"error"`: every listed field must match; `null` for `code`/`param` means "none".
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorExpect {
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

/// One step: an op, its arguments and what its answer must be.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub op: Op,
    #[serde(default)]
    pub comment: Option<String>,
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
            self.method.as_deref().is_some_and(|m| !matches!(m, "GET" | "POST" | "DELETE")),
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
pub fn load(text: &str) -> Result<ScenarioFile, String> {
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

/// The answers saved by earlier steps (`save`), by name.
pub type Saved = BTreeMap<String, Value>;

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

/// Resolves references in a string: `$name.path` as a whole value, `${name.path}` inside.
pub fn resolve_str(s: &str, saved: &Saved) -> Result<Value, String> {
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

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

fn describe_error(e: &Failure) -> String {
    let detail = e.detail.as_deref().map(|d| format!("{d} ")).unwrap_or_default();
    format!(
        "{detail}kind={} http_status={:?} type={:?} code={:?} param={:?} message={:?}",
        e.kind, e.http_status, e.error_type, e.code, e.param, e.message
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
        field("kind", format!("{k:?}"), format!("{:?}", e.kind));
    }
    if let Some(m) = &want.message_contains {
        if !e.message.contains(m.as_str()) {
            diffs.push(format!("error.message: expected it to contain {m:?}, got {:?}", e.message));
        }
    }
}

/// Runs one step (all its repetitions). `Ok(())` when it passed; `Err` with every difference.
fn run_step(driver: &mut impl Driver, step: &Step, saved: &mut Saved) -> Result<(), String> {
    let op = match step.op {
        Op::AdvanceClock => {
            driver.advance_clock(step.seconds.unwrap_or_default());
            return Ok(());
        }
        Op::Call(op) => Some(op),
        Op::Raw => None,
    };
    let o = step.options.clone().unwrap_or_default();
    let resolve_opt = |v: Option<String>, what: &str| v.map(|k| resolve_string(&k, saved, what)).transpose();
    let options = Options {
        idempotency_key: resolve_opt(o.idempotency_key, "options.idempotency_key")?,
        stripe_account: resolve_opt(o.stripe_account, "options.stripe_account")?,
        stripe_version: resolve_opt(o.stripe_version, "options.stripe_version")?,
    };
    let id = step.id.as_deref().map(|id| resolve_string(id, saved, "id")).transpose()?.unwrap_or_default();
    let params = step.params.as_ref().map(|p| resolve(p, saved)).transpose()?.unwrap_or(Value::Null);
    let mut answers = Vec::new();
    for round in 0..step.repeat.unwrap_or(1) {
        let label = if step.repeat.is_some() { format!("in repetition {round}: ") } else { String::new() };
        let result = match op {
            None => {
                let path = resolve_string(step.path.as_deref().unwrap_or_default(), saved, "path")?;
                let body = resolve_string(step.body.as_deref().unwrap_or_default(), saved, "body")?;
                driver.raw(step.method.as_deref().unwrap_or_default(), &path, body, &options)
            }
            Some(op) => driver.call(op, &id, params.clone(), &options),
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

/// Runs one scenario on `driver` (fresh for it); returns the steps that passed, or the index of
/// the first step that failed and why. A panic in a step is a failure of that step.
pub fn run_scenario(sc: &Scenario, driver: &mut impl Driver) -> Result<usize, (usize, String)> {
    let mut saved = Saved::new();
    for (i, step) in sc.steps.iter().enumerate() {
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_step(driver, step, &mut saved)))
                .unwrap_or_else(|_| Err("the step panicked (see the panic message above)".to_string()));
        outcome.map_err(|e| (i, e))?;
    }
    Ok(sc.steps.len())
}

/// `tests/scenarios/` of this repository.
pub fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("scenarios")
}

/// What [`run_all`] ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub scenarios: usize,
    pub steps: usize,
}

/// Runs every scenario of every file in `dir` (filtered by `SCENARIO`), each on a driver from
/// `new_driver`, and panics with every failure, each with its file, scenario and step. Prints
/// and returns the counts when all passed.
pub fn run_all<D: Driver>(dir: &Path, mut new_driver: impl FnMut() -> D) -> Summary {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
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
            match run_scenario(sc, &mut new_driver()) {
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
    Summary { files: files.len(), scenarios: scenarios_ok, steps: steps_ok }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A typo in a scenario file must fail the run, never skip a step.
    #[test]
    fn malformed_scenario_files_are_refused() {
        let bad = [
            (r#"{"scenarios": [{"name": "x", "steps": [{"op": "creat"}]}]}"#, "creat"),
            (r#"{"scenarios": [{"name": "x", "steps": [{"op": "create", "expects": {}}]}]}"#, "expects"),
            (
                r#"{"scenarios": [{"name": "x", "steps": [{"op": "create", "error": {"staus": 400}}]}]}"#,
                "staus",
            ),
            (r#"{"scenarios": [{"name": "x", "steps": [{"op": "create", "id": "vs_1"}]}]}"#, "takes no `id`"),
            (r#"{"scenarios": [{"name": "x", "steps": [{"op": "retrieve"}]}]}"#, "needs `id`"),
            (
                r#"{"scenarios": [{"name": "x", "steps": [{"op": "submit", "id": "a", "params": {}}]}]}"#,
                "params",
            ),
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
            (
                r#"{"scenarios": [{"name": "x", "steps": [{"op": "list", "options": {"idem": "k"}}]}]}"#,
                "idem",
            ),
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
    }

    #[test]
    fn references_resolve_whole_values_and_inside_strings() {
        let mut saved = Saved::new();
        saved.insert("s".into(), json!({"id": "vs_1", "created": 5, "data": [{"id": "vs_2"}]}));
        assert_eq!(resolve_str("$s.id", &saved).unwrap(), "vs_1");
        assert_eq!(resolve_str("$s.created", &saved).unwrap(), 5);
        assert_eq!(resolve_str("$s.data.0.id", &saved).unwrap(), "vs_2");
        assert_eq!(
            resolve_str("/v1/x/${s.id}/cancel?t=${s.created}", &saved).unwrap(),
            "/v1/x/vs_1/cancel?t=5"
        );
        assert_eq!(resolve_str("$$s.id", &saved).unwrap(), "$s.id");
        assert_eq!(resolve_str("$5", &saved).unwrap(), "$5");
        assert!(resolve_str("$s.nope", &saved).is_err());
        assert!(resolve_str("${s.data}", &saved).is_err());
    }

    /// A driver that answers every call with the same body or error, and records the calls.
    struct Fixed {
        answer: Result<Value, Failure>,
        calls: Vec<(Operation, String, Value, Options)>,
        clock: i64,
    }

    impl Driver for Fixed {
        fn call(&mut self, op: Operation, id: &str, params: Value, options: &Options) -> Outcome {
            self.calls.push((op, id.to_string(), params, options.clone()));
            self.answer.clone().map(Answer::json).map_err(Box::new)
        }
        fn raw(&mut self, _: &str, _: &str, _: String, _: &Options) -> Outcome {
            let headers = vec![("Request-Id".into(), "req_1".into())];
            self.answer.clone().map(|body| Answer { body, headers }).map_err(Box::new)
        }
        fn advance_clock(&mut self, seconds: i64) {
            self.clock += seconds;
        }
    }

    #[test]
    fn steps_resolve_references_and_compare_answers_and_errors() {
        let file = load(
            r#"{"scenarios": [
                {"name": "refs", "steps": [
                    {"op": "create", "params": {"type": "document"}, "save": "s", "expect": {"id": "vs_1"}},
                    {"op": "advance_clock", "seconds": 60},
                    {"op": "update", "id": "$s.id", "params": {"metadata": {"of": "${s.id}"}},
                     "options": {"idempotency_key": "k-${s.id}"}, "len": {"metadata": 1}},
                    {"op": "raw", "method": "GET", "path": "/v1/x/${s.id}", "headers": {"request-id": "req_1"}}]},
                {"name": "bad ref", "steps": [{"op": "retrieve", "id": "$nothing.id"}]},
                {"name": "bad expectation", "steps": [{"op": "create", "expect": {"id": "vs_2"}}]},
                {"name": "missing error", "steps": [{"op": "create", "error": {"http_status": 400}}]},
                {"name": "self reference", "steps": [{"op": "create", "save": "t", "expect": {"id": "$t.id"}}]}
            ]}"#,
        )
        .expect("well-formed");
        let ok = || Fixed {
            answer: Ok(json!({"id": "vs_1", "metadata": {"of": "vs_1"}})),
            calls: vec![],
            clock: 0,
        };
        let mut d = ok();
        assert_eq!(run_scenario(&file.scenarios[0], &mut d), Ok(4));
        assert_eq!(d.clock, 60);
        let (op, id, params, options) = &d.calls[1];
        assert_eq!(
            (*op, id.as_str(), params),
            (Operation::Update, "vs_1", &json!({"metadata": {"of": "vs_1"}}))
        );
        assert_eq!(options.idempotency_key.as_deref(), Some("k-vs_1"));

        let (i, msg) = run_scenario(&file.scenarios[1], &mut ok()).unwrap_err();
        assert_eq!(i, 0);
        assert!(msg.contains("nothing was saved as `nothing`"), "{msg}");
        let (_, msg) = run_scenario(&file.scenarios[2], &mut ok()).unwrap_err();
        assert!(msg.contains("id: expected \"vs_2\", got \"vs_1\""), "{msg}");
        let (_, msg) = run_scenario(&file.scenarios[3], &mut ok()).unwrap_err();
        assert!(msg.contains("expected an error"), "{msg}");
        // References are resolved before the answer is saved, so a step cannot refer to itself.
        let (_, msg) = run_scenario(&file.scenarios[4], &mut ok()).unwrap_err();
        assert!(msg.contains("nothing was saved as `t`"), "{msg}");

        // Errors compare field by field.
        let failing = |code: &str| Fixed {
            answer: Err(Failure {
                kind: "invalid_request".into(),
                http_status: Some(400),
                error_type: Some("invalid_request_error".into()),
                code: Some(code.into()),
                param: None,
                message: "no".into(),
                detail: None,
            }),
            calls: vec![],
            clock: 0,
        };
        let file = load(
            r#"{"scenarios": [{"name": "e", "steps": [{"op": "create",
                "error": {"http_status": 400, "type": "invalid_request_error", "code": "x", "param": null,
                          "kind": "invalid_request", "message_contains": "no"}}]}]}"#,
        )
        .unwrap();
        assert_eq!(run_scenario(&file.scenarios[0], &mut failing("x")), Ok(1));
        let (_, msg) = run_scenario(&file.scenarios[0], &mut failing("y")).unwrap_err();
        assert!(msg.contains("error.code: expected Some(\"x\"), got Some(\"y\")"), "{msg}");
    }
}
