//! The API's description (`core/src/api/`) judged by Stripe's OpenAPI spec: every field of
//! `identity.verification_session` and `identity.verification_report` (and the objects inside
//! them) with its nullability, type, length limit, enum values and expandability; every
//! parameter of every operation; each operation's method, path, id and answer; and the
//! `identity.verification_session.*` event types.
//!
//! The spec is the one stripe-mock embeds (`embedded/openapi/spec3.json`), read from the Go
//! module cache where `make tools` (tests/peers/stripe-mock.sh) puts it, at the version the
//! Makefile pins (`STRIPE_MOCK_VERSION`). Every difference must be listed, once, in
//! `core/src/api/differences.rs`; an entry there that no longer differs fails too.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use stripe_identity::api::differences::DIFFERENCES;
use stripe_identity::api::enums::SESSION_EVENT_TYPES;
use stripe_identity::api::models::{Model, Type, MODELS};
use stripe_identity::api::params::Schema;
use stripe_identity::api::{Returns, OPERATIONS};
use stripe_identity::backend::Method;

/// The pinned stripe-mock version: `STRIPE_MOCK_VERSION`, or the Makefile's default.
fn pinned_version() -> String {
    if let Ok(v) = std::env::var("STRIPE_MOCK_VERSION") {
        return v;
    }
    let makefile = concat!(env!("CARGO_MANIFEST_DIR"), "/../Makefile");
    let text = std::fs::read_to_string(makefile).expect("the Makefile is beside core/");
    text.lines()
        .find_map(|l| l.strip_prefix("STRIPE_MOCK_VERSION ?="))
        .map(|v| v.trim().to_string())
        .expect("the Makefile pins STRIPE_MOCK_VERSION")
}

/// The spec, or `None` (loudly) when Go is not installed.
fn spec() -> Option<Value> {
    let version = pinned_version();
    assert!(version.starts_with('v'), "STRIPE_MOCK_VERSION must be a pinned version, not {version:?}");
    let go = match Command::new("go").args(["env", "GOMODCACHE"]).output() {
        Ok(out) if out.status.success() => out,
        _ => {
            eprintln!(
                "\n*** SKIPPED: the OpenAPI conformance test needs Go (to find stripe-mock's \
                 spec in the module cache); 'go' is not installed ***\n"
            );
            return None;
        }
    };
    let cache = String::from_utf8(go.stdout).expect("UTF-8").trim().to_string();
    let path: PathBuf =
        [&cache, &format!("github.com/stripe/stripe-mock@{version}"), "embedded/openapi/spec3.json"]
            .iter()
            .collect();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `make tools` (tests/peers/stripe-mock.sh) to install stripe-mock {version}",
            path.display()
        )
    });
    Some(serde_json::from_str(&text).expect("spec3.json is JSON"))
}

struct Judge<'a> {
    spec: &'a Value,
    found: Vec<String>,
}

impl Judge<'_> {
    fn differ(&mut self, at: String) {
        self.found.push(at);
    }

    fn schema(&self, name: &str) -> &Value {
        &self.spec["components"]["schemas"][name]
    }

    /// The schema a `$ref` (or an `anyOf` of one `$ref`, or of an id and one `$ref`) names.
    fn referenced(v: &Value) -> Option<&str> {
        if let Some(r) = v["$ref"].as_str() {
            return r.rsplit('/').next();
        }
        v["anyOf"].as_array()?.iter().find_map(|x| x["$ref"].as_str()).and_then(|r| r.rsplit('/').next())
    }

    fn strings(v: &Value) -> BTreeSet<String> {
        v.as_array().into_iter().flatten().filter_map(|x| x.as_str().map(String::from)).collect()
    }

    fn model(&mut self, model: &Model) {
        let spec = self.schema(model.name).clone();
        if spec.is_null() {
            return self.differ(format!("model {}: not in the spec", model.name));
        }
        let props = spec["properties"].as_object().cloned().unwrap_or_default();
        let required = Self::strings(&spec["required"]);
        let expandable = Self::strings(&spec["x-expandableFields"]);
        for name in props.keys() {
            if model.field(name).is_none() {
                self.differ(format!("{}.{name}: in the spec, not described", model.name));
            }
        }
        for f in model.fields {
            let at = format!("{}.{}", model.name, f.name);
            let Some(p) = props.get(f.name) else {
                self.differ(format!("{at}: described, not in the spec"));
                continue;
            };
            if f.nullable != p["nullable"].as_bool().unwrap_or(false) {
                self.differ(format!("{at}: nullable {} (spec {})", f.nullable, !f.nullable));
            }
            if f.expandable != expandable.contains(f.name) {
                self.differ(format!("{at}: expandable {} (spec {})", f.expandable, !f.expandable));
            }
            if f.expand_only && required.contains(f.name) {
                self.differ(format!("{at}: expand-only, but the spec says always present"));
            }
            self.field_type(&at, &f.ty, p);
        }
    }

    fn field_type(&mut self, at: &str, ty: &Type, p: &Value) {
        match ty {
            Type::Str(max) => self.string(at, *max, p),
            Type::Int => self.scalar(at, "integer", p),
            Type::Bool => self.scalar(at, "boolean", p),
            Type::Enum(values) => self.enumeration(at, values, p),
            Type::Const(value) => self.enumeration(at, &[value], p),
            Type::Metadata => self.scalar(at, "object", p),
            Type::Array(inner) => {
                self.scalar(at, "array", p);
                self.field_type(&format!("{at}[]"), inner, &p["items"]);
            }
            Type::Object(m) | Type::Expandable(m) => {
                let is_expandable =
                    p["anyOf"].as_array().is_some_and(|a| a.iter().any(|x| x["type"] == "string"));
                if matches!(ty, Type::Expandable(_)) != is_expandable {
                    self.differ(format!("{at}: expandable id-or-object {}", !is_expandable));
                }
                match Self::referenced(p) {
                    Some(name) if name == m.name => {}
                    other => self.differ(format!("{at}: object {} (spec {other:?})", m.name)),
                }
            }
        }
    }

    fn scalar(&mut self, at: &str, want: &str, p: &Value) {
        if p["type"] != want {
            self.differ(format!("{at}: {want} (spec {})", p["type"]));
        }
    }

    fn string(&mut self, at: &str, max: usize, p: &Value) {
        self.scalar(at, "string", p);
        if p.get("enum").is_some() {
            self.differ(format!("{at}: a free string (spec an enum)"));
        }
        let spec_max = p["maxLength"].as_u64().unwrap_or(0) as usize;
        if spec_max != max {
            self.differ(format!("{at}: maxLength {max} (spec {spec_max})"));
        }
    }

    fn enumeration(&mut self, at: &str, values: &[&str], p: &Value) {
        let ours: BTreeSet<String> = values.iter().map(|s| s.to_string()).collect();
        let theirs = Self::strings(&p["enum"]);
        for v in ours.difference(&theirs) {
            self.differ(format!("{at}: value {v:?} not in the spec"));
        }
        for v in theirs.difference(&ours) {
            self.differ(format!("{at}: value {v:?} of the spec not described"));
        }
    }

    /// A parameter's shape against the spec's.
    fn param(&mut self, at: &str, schema: &Schema, p: &Value) {
        match schema {
            Schema::Str(max) => self.string(at, *max, p),
            Schema::Bool => self.scalar(at, "boolean", p),
            Schema::Int => self.scalar(at, "integer", p),
            Schema::Enum(values) => self.enumeration(at, values, p),
            Schema::List(inner) => {
                self.scalar(at, "array", p);
                self.param(&format!("{at}[]"), inner, &p["items"]);
            }
            Schema::Object(fields) => {
                self.scalar(at, "object", p);
                self.fields(at, fields, p);
            }
            Schema::Emptyable(inner) => match p["anyOf"].as_array() {
                Some(any) if any.iter().any(|x| x["enum"] == serde_json::json!([""])) => {
                    let set =
                        any.iter().find(|x| x["enum"] != serde_json::json!([""])).unwrap_or(&Value::Null);
                    self.param(at, inner, set);
                }
                _ => self.differ(format!("{at}: may be \"\" to unset (spec: may not)")),
            },
            Schema::Metadata => {
                let object = match p["anyOf"].as_array() {
                    Some(any) => any.iter().find(|x| x["type"] == "object").unwrap_or(&Value::Null),
                    None => p,
                };
                self.scalar(at, "object", object);
                if object["additionalProperties"]["type"] != "string" {
                    self.differ(format!("{at}: a hash of strings"));
                }
            }
            Schema::IntOrRange => {
                let any = p["anyOf"].as_array().cloned().unwrap_or_default();
                let int = any.iter().any(|x| x["type"] == "integer");
                let range: BTreeSet<String> = any
                    .iter()
                    .filter_map(|x| x["properties"].as_object())
                    .flat_map(|o| o.keys().cloned())
                    .collect();
                let want: BTreeSet<String> = ["gt", "gte", "lt", "lte"].map(String::from).into();
                if !int || range != want {
                    self.differ(format!("{at}: an integer or a range of gt, gte, lt, lte"));
                }
            }
        }
    }

    /// Named parameters (an operation's, or an object's keys) against the spec's properties.
    fn fields(&mut self, at: &str, fields: &[(&str, Schema)], p: &Value) {
        let props = p["properties"].as_object().cloned().unwrap_or_default();
        let join = |k: &str| if at.is_empty() { k.to_string() } else { format!("{at}[{k}]") };
        for name in props.keys() {
            if !fields.iter().any(|(k, _)| k == name) {
                self.differ(format!("{}: in the spec, not described", join(name)));
            }
        }
        for (name, schema) in fields {
            match props.get(*name) {
                Some(p) => self.param(&join(name), schema, p),
                None => self.differ(format!("{}: described, not in the spec", join(name))),
            }
        }
    }
}

fn method_name(m: Method) -> &'static str {
    match m {
        Method::Get => "get",
        Method::Post => "post",
        Method::Delete => "delete",
    }
}

fn judge(spec: &Value) -> Vec<String> {
    let mut j = Judge { spec, found: Vec::new() };
    for model in MODELS {
        j.model(model);
    }

    // Operations: each of ours in the spec, and each Identity operation of the spec in ours.
    let paths = spec["paths"].as_object().expect("paths");
    let ours = |p: &str| p.starts_with("/v1/identity/") || p == "/v1/events" || p.starts_with("/v1/events/");
    for (path, ops) in paths.iter().filter(|(p, _)| ours(p)) {
        for method in ops.as_object().into_iter().flat_map(|o| o.keys()) {
            if !OPERATIONS.iter().any(|d| d.path == path && method_name(d.method) == method) {
                j.differ(format!("operation {} {path}: in the spec, not described", method.to_uppercase()));
            }
        }
    }
    for d in OPERATIONS {
        let at = format!("operation {}", d.key);
        let op = &spec["paths"][d.path][method_name(d.method)];
        if op.is_null() {
            j.differ(format!("{at}: not in the spec (simulator only: {})", d.simulator_only));
            continue;
        }
        let mut query = serde_json::Map::new();
        for p in op["parameters"].as_array().into_iter().flatten() {
            match p["in"].as_str() {
                Some("path") => {
                    if d.id != p["name"].as_str() {
                        j.differ(format!("{at}: id {:?} (spec {})", d.id, p["name"]));
                    }
                }
                _ => {
                    query.insert(p["name"].as_str().unwrap_or_default().to_string(), p["schema"].clone());
                }
            }
        }
        let body = &op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"];
        let params = match d.method {
            Method::Get => serde_json::json!({ "properties": query }),
            _ => body.clone(),
        };
        let before = j.found.len();
        j.fields("", d.params, &params);
        for f in &mut j.found[before..] {
            *f = format!("{at} param {f}");
        }
        let required: BTreeSet<String> = Judge::strings(&params["required"]);
        let ours: BTreeSet<String> = d.required.iter().map(|s| s.to_string()).collect();
        if required != ours {
            j.differ(format!("{at}: requires {ours:?} (spec {required:?})"));
        }
        let answer = &op["responses"]["200"]["content"]["application/json"]["schema"];
        let answered = match answer["$ref"].as_str() {
            Some(r) => r.rsplit('/').next().unwrap_or_default().to_string(),
            None => format!(
                "list of {}",
                Judge::referenced(&answer["properties"]["data"]["items"]).unwrap_or("?")
            ),
        };
        let want = match d.returns {
            Returns::Session => "identity.verification_session",
            Returns::SessionList => "list of identity.verification_session",
            Returns::Report => "identity.verification_report",
            Returns::ReportList => "list of identity.verification_report",
            Returns::Event => "event",
            Returns::EventList => "list of event",
            Returns::WebhookEndpoint => "webhook_endpoint",
            Returns::WebhookEndpointList => "list of webhook_endpoint",
            Returns::DeletedWebhookEndpoint => "deleted_webhook_endpoint",
        };
        if answered != want {
            j.differ(format!("{at}: answers {want} (spec {answered})"));
        }
    }

    // Event types: what a webhook endpoint may enable.
    let enabled = &spec["paths"]["/v1/webhook_endpoints"]["post"]["requestBody"]["content"]
        ["application/x-www-form-urlencoded"]["schema"]["properties"]["enabled_events"]["items"];
    let theirs: Vec<&str> = enabled["enum"]
        .as_array()
        .expect("enabled_events is an enum")
        .iter()
        .filter_map(Value::as_str)
        .filter(|e| e.starts_with("identity.verification_session."))
        .collect();
    j.enumeration(
        "event types identity.verification_session.*",
        SESSION_EVENT_TYPES,
        &serde_json::json!({ "enum": theirs }),
    );
    j.found
}

#[test]
fn the_description_agrees_with_stripes_openapi_spec_but_for_the_listed_differences() {
    let Some(spec) = spec() else { return };
    let found: BTreeSet<String> = judge(&spec).into_iter().collect();
    let listed: BTreeSet<String> = DIFFERENCES.iter().map(|d| d.at.to_string()).collect();
    assert_eq!(listed.len(), DIFFERENCES.len(), "core/src/api/differences.rs lists a difference twice");
    let unlisted: Vec<&String> = found.difference(&listed).collect();
    let stale: Vec<&String> = listed.difference(&found).collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "the description and the spec differ where core/src/api/differences.rs does not say so:\n  {}\n\
         listed there but no longer different:\n  {}",
        unlisted.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
        stale.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
    );
    for d in DIFFERENCES {
        assert!(!d.reason.trim().is_empty(), "{}: a difference needs its reason", d.at);
    }
}

#[test]
fn the_judge_catches_a_changed_spec() {
    // The test could fail: the same spec, with one nullability, one enum value, one length limit
    // and one parameter changed, gives exactly those four differences more.
    let Some(mut spec) = spec() else { return };
    let before: BTreeSet<String> = judge(&spec).into_iter().collect();
    let schemas = &mut spec["components"]["schemas"];
    schemas["identity.verification_session"]["properties"]["url"]["nullable"] = Value::Bool(false);
    schemas["identity.verification_session"]["properties"]["status"]["enum"] =
        serde_json::json!(["canceled", "processing", "requires_input"]);
    schemas["gelato_verified_outputs"]["properties"]["email"]["maxLength"] = serde_json::json!(100);
    let create = &mut spec["paths"]["/v1/identity/verification_sessions"]["post"]["requestBody"]["content"]
        ["application/x-www-form-urlencoded"]["schema"]["properties"];
    create.as_object_mut().unwrap().remove("return_url");
    let after: BTreeSet<String> = judge(&spec).into_iter().collect();
    let new: Vec<&String> = after.difference(&before).collect();
    assert_eq!(
        new,
        vec![
            "gelato_verified_outputs.email: maxLength 5000 (spec 100)",
            "identity.verification_session.status: value \"verified\" not in the spec",
            "identity.verification_session.url: nullable true (spec false)",
            "operation create param return_url: described, not in the spec",
        ],
    );
}

#[test]
fn the_simulator_records_only_described_event_types() {
    use stripe_identity::model::{LastErrorCode, RequestedVerificationType};
    use stripe_identity::params::CreateVerificationSession;
    let client = stripe_identity::Client::local();
    let vs = client.verification_sessions();
    let helpers = client.test_helpers();
    let create =
        CreateVerificationSession { r#type: Some(RequestedVerificationType::Document), ..Default::default() };
    let a = vs.create(&create).unwrap();
    helpers.submit(&a.id).unwrap();
    helpers.fail(&a.id, LastErrorCode::DocumentExpired, None).unwrap();
    helpers.submit(&a.id).unwrap();
    helpers.verify(&a.id).unwrap();
    vs.redact(&a.id, &Default::default()).unwrap();
    helpers.complete_redaction(&a.id).unwrap();
    let b = vs.create(&create).unwrap();
    vs.cancel(&b.id, &Default::default()).unwrap();
    let seen: BTreeSet<String> =
        client.simulator().unwrap().events().into_iter().map(|e| e.r#type.to_string()).collect();
    let described: BTreeSet<String> = SESSION_EVENT_TYPES.iter().map(|s| s.to_string()).collect();
    assert_eq!(seen, described, "every described event type, and no other, is recorded");
}

#[test]
fn the_simulators_events_have_the_specs_event_shape() {
    let Some(spec) = spec() else { return };
    let event = &spec["components"]["schemas"]["event"];
    let props = event["properties"].as_object().expect("event properties");
    let client = stripe_identity::Client::local();
    let create = stripe_identity::params::CreateVerificationSession {
        r#type: Some(stripe_identity::model::RequestedVerificationType::Document),
        ..Default::default()
    };
    client.verification_sessions().create(&create).unwrap();
    let page = client.events().list(&Default::default()).unwrap();
    let sent = serde_json::to_value(&page.data[0]).unwrap();
    let sent = sent.as_object().unwrap();
    for key in sent.keys() {
        assert!(props.contains_key(key), "event.{key}: sent, not in the spec");
    }
    for key in Judge::strings(&event["required"]) {
        assert!(sent.contains_key(&key), "event.{key}: required by the spec, not sent");
    }
    let request = &spec["components"]["schemas"]["notification_event_request"]["properties"];
    for key in sent["request"].as_object().unwrap().keys() {
        assert!(request.get(key).is_some(), "event.request.{key}: not in the spec");
    }
    let data = &spec["components"]["schemas"]["notification_event_data"]["properties"];
    for key in sent["data"].as_object().unwrap().keys() {
        assert!(data.get(key).is_some(), "event.data.{key}: not in the spec");
    }
}
