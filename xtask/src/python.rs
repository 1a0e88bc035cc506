//! The Python binding's `_params.py`: one `TypedDict` per operation of the API (simulator
//! controls take their arguments by name instead), and one per object parameter inside them.

use std::collections::BTreeMap;
use std::fmt::Write;
use stripe_identity::api::params::{Schema, REQUIRED_INSIDE};
use stripe_identity::api::{Resource, OPERATIONS};

/// `provided_details` → `ProvidedDetails`.
fn camel(s: &str) -> String {
    s.split('_').filter(|w| !w.is_empty()).map(|w| w[..1].to_uppercase() + &w[1..]).collect()
}

/// The class of an operation's parameters: `VerificationSessionCreateParams`.
pub fn op_class(resource: Resource, name: &str) -> String {
    let object = match resource {
        Resource::VerificationSessions => "VerificationSession",
        Resource::VerificationReports => "VerificationReport",
        Resource::TestHelpers => "TestHelpersVerificationSession",
        Resource::Events => "Event",
        Resource::WebhookEndpoints => "WebhookEndpoint",
    };
    format!("{object}{}Params", camel(name))
}

struct Classes {
    /// Object parameters by class name: the wire path (for the docstring) and the fields.
    objects: BTreeMap<String, (String, Vec<(String, String)>)>,
    /// Class names, inner objects before the ones that hold them.
    order: Vec<String>,
}

impl Classes {
    /// The Python type of a parameter; object parameters get a class, named after their key and
    /// the key of the object around them (`options[document]` → `DocumentOptionsParams`).
    fn annotation(&mut self, schema: &'static Schema, key: &str, parent: &str, path: &str) -> String {
        match schema {
            Schema::Str(_) => "str".into(),
            Schema::Bool => "bool".into(),
            Schema::Int => "int".into(),
            Schema::Enum(values) => {
                let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
                format!("Literal[{}]", quoted.join(", "))
            }
            Schema::Metadata => "MetadataParam".into(),
            Schema::IntOrRange => "Union[int, RangeQueryParams]".into(),
            Schema::List(inner) => format!("List[{}]", self.annotation(inner, key, parent, path)),
            Schema::Emptyable(inner) => {
                format!("Union[{}, Literal[\"\"]]", self.annotation(inner, key, parent, path))
            }
            Schema::Object(fields) => {
                let name = format!("{}{}Params", camel(key), camel(parent));
                if !self.objects.contains_key(&name) {
                    let typed = fields
                        .iter()
                        .map(|(k, s)| (k.to_string(), self.annotation(s, k, key, &format!("{path}[{k}]"))))
                        .collect();
                    self.objects.insert(name.clone(), (path.to_string(), typed));
                    self.order.push(name.clone());
                }
                name
            }
        }
    }
}

fn class(out: &mut String, name: &str, doc: &str, fields: &[(String, String)], total: bool) {
    let base = if total { "TypedDict" } else { "TypedDict, total=False" };
    let _ = write!(out, "\n\nclass {name}({base}):\n    \"\"\"{doc}\"\"\"\n");
    if !fields.is_empty() {
        out.push('\n');
    }
    for (key, ty) in fields {
        let _ = writeln!(out, "    {key}: {ty}");
    }
}

/// The text of `_params.py`.
pub fn params() -> String {
    let mut classes = Classes { objects: BTreeMap::new(), order: Vec::new() };
    let mut ops = Vec::new();
    for d in OPERATIONS.iter().filter(|d| !d.simulator_only) {
        let fields: Vec<(String, String)> =
            d.params.iter().map(|(k, s)| (k.to_string(), classes.annotation(s, k, "", k))).collect();
        ops.push((op_class(d.resource, d.name), d, fields));
    }
    let mut names: Vec<String> = classes.order.clone();
    names.push("RangeQueryParams".into());
    names.extend(ops.iter().map(|(n, _, _)| n.clone()));

    let mut out = format!("# {}\n", super::GENERATED);
    out.push_str(
        r#""""The parameters of each operation, as ``TypedDict`` s for type checkers.

They describe the keyword arguments of the service methods (``create(type="document",
metadata={...})``). At run time nothing here checks anything: parameters go to the core as
given, and the core refuses a value of the wrong type (``TypeError``) or an invalid one
(:class:`~stripe_identity.InvalidRequestError`), exactly as for every other language.
"""

from __future__ import annotations

from typing import Dict, List, Literal, TypedDict, Union

__all__ = [
"#,
    );
    for n in &names {
        let _ = writeln!(out, "    \"{n}\",");
    }
    out.push_str(
        "]\n\n#: ``metadata``: keys to set (an empty string unsets a key), or ``\"\"`` to unset every key.\n\
         MetadataParam = Union[Dict[str, str], Literal[\"\"]]\n",
    );
    for name in &classes.order {
        let (path, fields) = &classes.objects[name];
        // A TypedDict is total or not as a whole: total when the API needs every key.
        let total = REQUIRED_INSIDE
            .iter()
            .any(|(p, keys)| p == path && fields.iter().all(|(k, _)| keys.contains(&k.as_str())));
        class(&mut out, name, &format!("``{path}``."), fields, total);
    }
    let range = ["gt", "gte", "lt", "lte"].map(|k| (k.to_string(), "int".to_string()));
    class(
        &mut out,
        "RangeQueryParams",
        "A range of unix times (``created={\"gte\": 1700000000}``).",
        &range,
        false,
    );
    for (name, d, fields) in &ops {
        let doc = format!("Parameters of ``{}.{}``: {}", d.resource.as_str(), d.name, d.doc);
        class(&mut out, name, &doc, fields, false);
    }
    out
}
