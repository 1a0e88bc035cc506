//! The objects the API answers, for type checkers and readers: Python's `_models.py`
//! (`StripeObject` classes with typed fields and `_inner_class_types`) and Node's `models.d.ts`
//! (interfaces with namespaces), both from `stripe_identity::api::models`.
//!
//! An object field gets a class (or interface) named after the field, nested in the class of the
//! object that holds it (`VerificationSession.VerifiedOutputs`), as stripe-python and
//! stripe-node nest theirs. A model held by more than one field (`address`) is declared once, at
//! the top level, named after its schema.

use std::collections::BTreeMap;
use std::fmt::Write;
use stripe_identity::api::models::{
    Field, Model, Type, DELETED_WEBHOOK_ENDPOINT, VERIFICATION_REPORT, VERIFICATION_SESSION, WEBHOOK_ENDPOINT,
};

/// The objects a resource answers: class name, `object` value, the model, and a docstring.
pub const RESOURCES: &[(&str, &Model, &str)] = &[
    (
        "VerificationReport",
        &VERIFICATION_REPORT,
        "``identity.verification_report``: the result of one submission (``vr_...``).",
    ),
    (
        "VerificationSession",
        &VERIFICATION_SESSION,
        "``identity.verification_session``: one verification of one user (``vs_...``). Its \
         ``status`` moves ``requires_input`` → ``processing`` → ``verified`` (or back to \
         ``requires_input`` with ``last_error``), or to ``canceled``.",
    ),
    (
        "WebhookEndpoint",
        &WEBHOOK_ENDPOINT,
        "``webhook_endpoint``: where identity-mock (or the API) posts events (``we_...``). \
         ``secret`` is only in the answer that created it.",
    ),
    (
        "DeletedWebhookEndpoint",
        &DELETED_WEBHOOK_ENDPOINT,
        "What deleting a webhook endpoint answers: ``{id, object, deleted: true}``.",
    ),
];

/// The `object` value a model's answers carry (its `object` field's constant).
fn object_name(model: &Model) -> Option<&'static str> {
    model.field("object").and_then(|f| match f.ty {
        Type::Const(v) => Some(v),
        _ => None,
    })
}

/// `provided_details` → `ProvidedDetails`; `identity.verification_session` → `IdentityVerificationSession`.
fn camel(s: &str) -> String {
    s.split(['_', '.']).filter(|w| !w.is_empty()).map(|w| w[..1].to_uppercase() + &w[1..]).collect()
}

/// The object models inside a type (through arrays), not expandable ones: those are resources.
fn nested(ty: &'static Type) -> Option<&'static Model> {
    match ty {
        Type::Object(m) => Some(m),
        Type::Array(inner) => nested(inner),
        _ => None,
    }
}

/// Models held by more than one field, anywhere under the resources: declared at the top level.
fn shared() -> BTreeMap<&'static str, &'static Model> {
    fn walk(
        m: &'static Model,
        seen: &mut BTreeMap<&'static str, usize>,
        all: &mut BTreeMap<&'static str, &'static Model>,
    ) {
        for f in m.fields {
            if let Some(inner) = nested(&f.ty) {
                *seen.entry(inner.name).or_default() += 1;
                all.insert(inner.name, inner);
                walk(inner, seen, all);
            }
        }
    }
    let (mut seen, mut all) = (BTreeMap::new(), BTreeMap::new());
    for (_, m, _) in RESOURCES {
        walk(m, &mut seen, &mut all);
    }
    seen.into_iter().filter(|(_, n)| *n > 1).map(|(name, _)| (name, all[name])).collect()
}

/// The class name a nested model gets: its own for shared ones, else its field's.
fn class_name(field: &Field, model: &Model, shared: &BTreeMap<&'static str, &'static Model>) -> String {
    if shared.contains_key(model.name) {
        camel(model.name)
    } else {
        camel(field.name)
    }
}

fn resource_name(model: &Model) -> Option<&'static str> {
    RESOURCES.iter().find(|(_, m, _)| std::ptr::eq(*m, model)).map(|(n, _, _)| *n)
}

// ---- Python ------------------------------------------------------------------------------------

fn py_type(ty: &'static Type, field: &Field, shared: &BTreeMap<&'static str, &'static Model>) -> String {
    match ty {
        Type::Str(_) | Type::Enum(_) | Type::Const(_) => "str".into(),
        Type::Int => "int".into(),
        Type::Bool => "bool".into(),
        Type::Metadata => "Dict[str, str]".into(),
        Type::Object(m) => class_name(field, m, shared),
        Type::Expandable(m) => format!("Union[str, {}]", resource_name(m).unwrap_or("StripeObject")),
        Type::Array(inner) => format!("List[{}]", py_type(inner, field, shared)),
    }
}

fn py_class(
    out: &mut String,
    indent: usize,
    name: &str,
    doc: &str,
    model: &'static Model,
    shared: &BTreeMap<&'static str, &'static Model>,
) {
    let pad = " ".repeat(indent);
    let _ = writeln!(out, "\n{pad}class {name}(StripeObject):\n{pad}    \"\"\"{doc}\"\"\"");
    let mut inner = Vec::new();
    for f in model.fields {
        if let Some(m) = nested(&f.ty) {
            let class = class_name(f, m, shared);
            if !shared.contains_key(m.name) {
                let doc = format!("``{}`` (``{}``).", f.name, m.name);
                py_class(out, indent + 4, &class, &doc, m, shared);
            }
            inner.push((f.name, class));
        }
    }
    if !model.fields.is_empty() {
        out.push('\n');
    }
    for f in model.fields {
        let ty = py_type(&f.ty, f, shared);
        let ty = if f.nullable || f.expand_only { format!("Optional[{ty}]") } else { ty };
        let _ = writeln!(out, "{pad}    {}: {ty}", f.name);
    }
    if !inner.is_empty() {
        // One per line with a trailing comma, as `ruff format` keeps it.
        let _ = writeln!(out, "{pad}    _inner_class_types: ClassVar[ClassMap] = {{");
        for (k, c) in &inner {
            let _ = writeln!(out, "{pad}        \"{k}\": {c},");
        }
        let _ = writeln!(out, "{pad}    }}");
    }
}

/// The text of `_models.py`.
pub fn python() -> String {
    let shared = shared();
    let mut out = format!("# {}\n", super::GENERATED);
    out.push_str(
        r#""""The objects the API answers: :class:`StripeObject` s with their fields typed.

The classes add no behaviour: they tell type checkers and readers what each field holds, and
``_inner_class_types`` tells the native module which class to build each nested object as.
Every field the API sends is there, typed or not (a field this version does not know is still
an attribute and an item). Enumerations are open strings, as in stripe-python: a value a later
API version adds arrives unchanged.
"""

from __future__ import annotations

from typing import ClassVar, Dict, List, Optional, Union

from ._object import OBJECT_CLASSES, StripeObject

# Spelled once here: inside the classes, `type` is a field.
ClassMap = Dict[str, type]

"#,
    );
    let names: Vec<String> = shared
        .values()
        .map(|m| camel(m.name))
        .chain(RESOURCES.iter().map(|(n, _, _)| n.to_string()))
        .collect();
    // One per line with a trailing comma, as `ruff format` keeps it.
    out.push_str("__all__ = [\n");
    for n in &names {
        let _ = writeln!(out, "    \"{n}\",");
    }
    out.push_str("]\n");
    for m in shared.values() {
        out.push('\n');
        py_class(
            &mut out,
            0,
            &camel(m.name),
            &format!("``{}``, held by several objects.", m.name),
            m,
            &shared,
        );
    }
    for (name, m, doc) in RESOURCES {
        out.push('\n');
        py_class(&mut out, 0, name, doc, m, &shared);
    }
    out.push_str("\n\n");
    // The class an answer builds as, by its `object`: the first resource that carries it (a
    // deleted endpoint is a `webhook_endpoint` too, built as `WebhookEndpoint` as stripe-python
    // builds it, with `deleted` an attribute).
    let mut registered = Vec::new();
    for (name, m, _) in RESOURCES {
        let Some(object) = object_name(m) else { continue };
        if !registered.contains(&object) {
            registered.push(object);
            let _ = writeln!(out, "OBJECT_CLASSES[\"{object}\"] = {name}");
        }
    }
    out
}

// ---- Node --------------------------------------------------------------------------------------

fn ts_type(
    ty: &'static Type,
    field: &Field,
    scope: &str,
    shared: &BTreeMap<&'static str, &'static Model>,
) -> String {
    match ty {
        Type::Str(_) => "string".into(),
        Type::Int => "number".into(),
        Type::Bool => "boolean".into(),
        Type::Const(v) => format!("'{v}'"),
        Type::Enum(values) => {
            let mut parts: Vec<String> = values.iter().map(|v| format!("'{v}'")).collect();
            parts.push("OtherString".into());
            parts.join(" | ")
        }
        Type::Metadata => "Metadata".into(),
        Type::Object(m) if shared.contains_key(m.name) => camel(m.name),
        Type::Object(_) => format!("{scope}.{}", camel(field.name)),
        Type::Expandable(m) => format!("string | {}", resource_name(m).unwrap_or("object")),
        Type::Array(inner) => format!("Array<{}>", ts_type(inner, field, scope, shared)),
    }
}

fn ts_fields(
    out: &mut String,
    pad: &str,
    model: &'static Model,
    scope: &str,
    shared: &BTreeMap<&'static str, &'static Model>,
) {
    for f in model.fields {
        let mut ty = ts_type(&f.ty, f, scope, shared);
        if f.nullable {
            ty = format!("{ty} | null");
        }
        let optional = if f.expand_only { "?" } else { "" };
        let line = format!("{pad}{}{optional}: {ty};", f.name);
        // As prettier writes a line too long for its printWidth (110): the type on the next
        // line, or one union member per line when even that is too long.
        if line.len() <= 110 {
            let _ = writeln!(out, "{line}");
        } else if pad.len() + 2 + ty.len() < 110 {
            let _ = writeln!(out, "{pad}{}{optional}:\n{pad}  {ty};", f.name);
        } else {
            let _ = writeln!(out, "{pad}{}{optional}:", f.name);
            let members: Vec<&str> = ty.split(" | ").collect();
            for (i, m) in members.iter().enumerate() {
                let end = if i + 1 == members.len() { ";" } else { "" };
                let _ = writeln!(out, "{pad}  | {m}{end}");
            }
        }
    }
}

/// The interfaces of a model's non-shared nested objects, as a namespace named `scope`.
fn ts_namespace(
    out: &mut String,
    indent: usize,
    scope: &str,
    model: &'static Model,
    shared: &BTreeMap<&'static str, &'static Model>,
    declare: bool,
) {
    let inner: Vec<(&Field, &'static Model)> = model
        .fields
        .iter()
        .filter_map(|f| nested(&f.ty).map(|m| (f, m)))
        .filter(|(_, m)| !shared.contains_key(m.name))
        .collect();
    if inner.is_empty() {
        return;
    }
    let pad = " ".repeat(indent);
    let last = scope.rsplit('.').next().unwrap_or(scope);
    let keyword = if declare { "export declare namespace" } else { "namespace" };
    let _ = writeln!(out, "{pad}{keyword} {last} {{");
    for (f, m) in inner {
        let name = camel(f.name);
        let inner_scope = format!("{scope}.{name}");
        let _ = writeln!(out, "{pad}  /** `{}` (`{}`). */", f.name, m.name);
        if m.fields.is_empty() {
            let _ = writeln!(out, "{pad}  interface {name} {{}}");
        } else {
            let _ = writeln!(out, "{pad}  interface {name} {{");
            ts_fields(out, &format!("{pad}    "), m, &inner_scope, shared);
            let _ = writeln!(out, "{pad}  }}");
        }
        ts_namespace(out, indent + 2, &inner_scope, m, shared, false);
    }
    let _ = writeln!(out, "{pad}}}");
}

/// The text of `models.d.ts`.
pub fn node() -> String {
    let shared = shared();
    let mut out = format!("// {}\n", super::GENERATED);
    out.push_str(
        "// The objects the API answers, with the API's snake_case fields, shaped as stripe-node 23\n\
         // declares them. Enumerations are open: a value a later API version adds is a string.\n\
         import type { Metadata, OtherString } from './types';\n",
    );
    for m in shared.values() {
        let name = camel(m.name);
        let _ = writeln!(out, "\n/** `{}`, held by several objects. */\nexport interface {name} {{", m.name);
        ts_fields(&mut out, "  ", m, &name, &shared);
        out.push_str("}\n");
        ts_namespace(&mut out, 0, &name, m, &shared, true);
    }
    for (name, m, doc) in RESOURCES {
        let doc = doc.replace("``", "`");
        let _ = writeln!(out, "\n/** {doc} */\nexport interface {name} {{");
        ts_fields(&mut out, "  ", m, name, &shared);
        out.push_str("}\n");
        ts_namespace(&mut out, 0, name, m, &shared, true);
    }
    out
}
