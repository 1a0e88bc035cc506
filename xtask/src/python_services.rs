//! The Python binding's `_services.py`: one service class per resource of the description
//! (`client.identity.verification_sessions`, `client.identity.verification_reports`,
//! `client.test_helpers.identity.verification_sessions`), one method per operation. Every method
//! hands its arguments, as given, to the native client's `call` with the operation's name.

use crate::python::op_class;
use std::fmt::Write;
use stripe_identity::api::{OperationDesc, Resource, Returns, OPERATIONS};

/// The service class of a resource, and its docstring.
fn service(resource: Resource) -> (&'static str, &'static str) {
    match resource {
        Resource::VerificationSessions => (
            "VerificationSessionService",
            "``client.identity.verification_sessions``: the VerificationSession operations.\n\n    \
             Every method takes the API's parameters as keyword arguments, named as the API names them,\n    \
             and the request options ``idempotency_key``, ``stripe_account`` and ``stripe_version``\n    \
             beside them.",
        ),
        Resource::VerificationReports => (
            "VerificationReportService",
            "``client.identity.verification_reports``: the VerificationReports a session's checks\n    \
             wrote. Request options go beside the parameters, as for sessions.",
        ),
        Resource::TestHelpers => (
            "TestHelpersVerificationSessionService",
            "``client.test_helpers.identity.verification_sessions``: the simulator's controls, which\n    \
             play the user of the hosted flow. They work on ``Client.local()`` and on identity-mock; the\n    \
             real API answers them with an error. Each returns the session after the step.",
        ),
        Resource::Events => (
            "EventService",
            "``client.events``: the account's events, newest first. On ``Client.local()`` and\n    \
             identity-mock, only those the bounded event log still holds: an event that fell out of it\n    \
             answers 404, and a list ends at the oldest one kept.",
        ),
        Resource::WebhookEndpoints => (
            "WebhookEndpointService",
            "``client.webhook_endpoints``: where identity-mock (or the API) posts events, and which.\n    \
             Only the answer of ``create`` carries the endpoint's ``secret``.",
        ),
    }
}

/// Every service's constructor: the native client, and the worker threads of its async calls.
const INIT: &str =
    "\n    def __init__(self, client: _native.Client, runner: Optional[Runner] = None) -> None:\n        \
                    self._client = client\n        self._runner = runner or Runner()\n";

fn answer(returns: Returns) -> &'static str {
    match returns {
        Returns::Session => "VerificationSession",
        Returns::SessionList => "ListObject[VerificationSession]",
        Returns::Report => "VerificationReport",
        Returns::ReportList => "ListObject[VerificationReport]",
        Returns::Event => "Event",
        Returns::EventList => "ListObject[Event]",
        // Deleting answers `{id, object: "webhook_endpoint", deleted: true}`: the same class, as
        // stripe-python builds it.
        Returns::WebhookEndpoint | Returns::DeletedWebhookEndpoint => "WebhookEndpoint",
        Returns::WebhookEndpointList => "ListObject[WebhookEndpoint]",
    }
}

/// A call as ruff format writes it at `indent` spaces: on one line when it fits 110 columns and
/// carries no comment; else its arguments on one line inside the parentheses (the comment after
/// the opening one); else one argument a line, with a trailing comma.
fn py_call(indent: usize, head: &str, args: &[String], comment: &str) -> String {
    let pad = " ".repeat(indent);
    let joined = args.join(", ");
    let one = format!("{pad}{head}({joined})");
    if comment.is_empty() && one.len() <= 110 {
        return one;
    }
    let comment = if comment.is_empty() { String::new() } else { format!("  {comment}") };
    if indent + 4 + joined.len() <= 110 {
        return format!("{pad}{head}({comment}\n{pad}    {joined}\n{pad})");
    }
    let each: Vec<String> = args.iter().map(|a| format!("{pad}    {a},\n")).collect();
    format!("{pad}{head}({comment}\n{}{pad})", each.concat())
}

fn is_list(d: &OperationDesc) -> bool {
    matches!(
        d.returns,
        Returns::SessionList | Returns::ReportList | Returns::EventList | Returns::WebhookEndpointList
    )
}

/// The body of a method: the native call (awaited through the runner when `is_async`) and, for a
/// list, the binding of its page for auto-pagination.
fn body(out: &mut String, d: &OperationDesc, is_async: bool, args: &[String], kept: &str, params: &str) {
    let ret = answer(d.returns);
    let (head, mut all) = if is_async {
        ("await self._runner.call", vec!["self._client".to_string()])
    } else {
        ("self._client.call", Vec::new())
    };
    all.extend(args.iter().cloned());
    if is_list(d) {
        let _ = writeln!(out, "{}", py_call(8, &format!("page: {ret} = {head}"), &all, ""));
        let _ = writeln!(out, "        kept = {kept}");
        let _ = writeln!(
            out,
            "        return page._bind(self._client, {params}, kept, \"{}\", self._runner)",
            d.key
        );
    } else {
        let _ =
            writeln!(out, "{}", py_call(8, &format!("return {head}"), &all, "# type: ignore[no-any-return]"));
    }
}

fn method(out: &mut String, d: &OperationDesc) {
    let path = match d.id {
        Some(name) => d.path.replace(&format!("{{{name}}}"), ":id"),
        None => d.path.to_string(),
    };
    let ret = answer(d.returns);
    let id_arg = if d.id.is_some() { "id" } else { "None" };
    let doc = format!("{} (``{} {path}``).", d.doc.trim_end_matches('.'), d.method.as_str());
    if d.simulator_only {
        // The controls take what they act on by name, and no request options.
        let strings: Vec<&str> = d.params.iter().map(|(k, _)| *k).filter(|k| *k != "expand").collect();
        let mut args = String::from("self, id: str");
        for k in &strings {
            if d.required.contains(k) {
                let _ = write!(args, ", {k}: str");
            } else {
                let _ = write!(args, ", {k}: Optional[str] = None");
            }
        }
        let entries: Vec<String> = strings.iter().map(|k| format!("\"{k}\": {k}")).collect();
        let params = if strings.is_empty() { "None" } else { "params" };
        let call_args: Vec<String> =
            [format!("\"{}\"", d.key), "id".into(), params.into()].into_iter().collect();
        for (prefix, is_async, doc) in [("", false, doc.as_str()), ("async ", true, ASYNC_DOC)] {
            let suffix = if is_async { "_async" } else { "" };
            let _ = write!(
                out,
                "\n    {prefix}def {}{suffix}({args}) -> {ret}:\n        \"\"\"{doc}\"\"\"\n",
                d.name
            );
            if !strings.is_empty() {
                let _ = writeln!(out, "        params: Dict[str, Any] = {{{}}}", entries.join(", "));
            }
            body(out, d, is_async, &call_args, "", "");
        }
        return;
    }
    let id_param = if d.id.is_some() { "        id: str,\n" } else { "" };
    let args: Vec<String> = [d.key, id_arg, "params", "idempotency_key", "stripe_account", "stripe_version"]
        .iter()
        .enumerate()
        .map(|(i, a)| if i == 0 { format!("\"{a}\"") } else { a.to_string() })
        .collect();
    let kept = "{\n            \"idempotency_key\": idempotency_key,\n            \
                \"stripe_account\": stripe_account,\n            \"stripe_version\": stripe_version,\n        }";
    for (prefix, is_async, doc) in [("", false, doc.as_str()), ("async ", true, ASYNC_DOC)] {
        let suffix = if is_async { "_async" } else { "" };
        let _ = write!(
            out,
            "\n    {prefix}def {}{suffix}(\n        self,\n{id_param}        *,\n        idempotency_key: Optional[str] = None,\n        \
             stripe_account: Optional[str] = None,\n        stripe_version: Optional[str] = None,\n        \
             **params: Unpack[{}],\n    ) -> {ret}:\n        \"\"\"{doc}\"\"\"\n",
            d.name,
            op_class(d.resource, d.name),
        );
        body(out, d, is_async, &args, kept, "dict(params)");
    }
}

/// The docstring of every `*_async` method.
const ASYNC_DOC: &str =
    "The same, awaitable: the request runs off the event loop's thread, never blocking it. A\n        \
     cancelled await leaves a request already sent to finish unseen (never sent again).";

/// A method of the drop-in surface (`client.v1...`): stripe-python 16.1.0's `(id, /, params=None,
/// options=None)`, and its `*_async` twin.
fn v1_method(out: &mut String, d: &OperationDesc) {
    let ret = answer(d.returns);
    let params = op_class(d.resource, d.name);
    let (id_param, id_arg) =
        if d.id.is_some() { ("        id: str,\n        /,\n", "id") } else { ("", "None") };
    let doc = format!("{}.", d.doc.trim_end_matches('.'));
    // One parameter a line, with a trailing comma, as ruff format keeps it.
    let sig = format!(
        "\n        self,\n{id_param}        params: Optional[{params}] = None,\n        \
         options: Optional[RequestOptions] = None,\n    "
    );
    let args: Vec<String> = [format!("\"{}\"", d.key), id_arg.into(), "params".into()]
        .into_iter()
        .chain(["key", "account", "version"].map(String::from))
        .collect();
    let kept = "{\"idempotency_key\": key, \"stripe_account\": account, \"stripe_version\": version}";
    for (prefix, is_async, doc) in [("", false, doc.as_str()), ("async ", true, ASYNC_DOC)] {
        let suffix = if is_async { "_async" } else { "" };
        let _ =
            write!(out, "\n    {prefix}def {}{suffix}({sig}) -> {ret}:\n        \"\"\"{doc}\"\"\"\n", d.name);
        let _ = writeln!(out, "        key, account, version = request_options(options)");
        body(out, d, is_async, &args, kept, "dict(params or {})");
    }
}

/// The drop-in service class of a resource, as stripe-python 16.1.0 names it under `client.v1`.
fn v1_service(resource: Resource) -> Option<(&'static str, &'static str)> {
    match resource {
        Resource::VerificationSessions => {
            Some(("V1VerificationSessionService", "``client.v1.identity.verification_sessions``"))
        }
        Resource::VerificationReports => {
            Some(("V1VerificationReportService", "``client.v1.identity.verification_reports``"))
        }
        Resource::Events => Some(("V1EventService", "``client.v1.events``")),
        Resource::WebhookEndpoints => Some(("V1WebhookEndpointService", "``client.v1.webhook_endpoints``")),
        // Not in stripe-python: the controls stay on `client.test_helpers`.
        Resource::TestHelpers => None,
    }
}

/// The text of `_services.py`.
pub fn services() -> String {
    let mut params: Vec<String> =
        OPERATIONS.iter().filter(|d| !d.simulator_only).map(|d| op_class(d.resource, d.name)).collect();
    params.sort();
    let resources = [
        Resource::VerificationSessions,
        Resource::VerificationReports,
        Resource::TestHelpers,
        Resource::Events,
        Resource::WebhookEndpoints,
    ];
    let mut out = format!("# {}\n", super::GENERATED);
    out.push_str(
        "\"\"\"The services and their methods, one per operation of the API's description.\n\n\
         Each method hands its keyword parameters, as given, to the native client, which converts them,\n\
         lets the core check and encode them, and releases the GIL while the request runs.\n\"\"\"\n\n\
         from __future__ import annotations\n\n\
         from typing import TYPE_CHECKING, Any, Dict, Optional\n\n\
         from . import _native\n\
         from ._aio import Runner\n\
         from ._event import Event\n\
         from ._object import ListObject\n\
         from ._models import VerificationReport, VerificationSession, WebhookEndpoint\n\
         from ._request_options import RequestOptions, request_options\n\n\
         if TYPE_CHECKING:\n    from typing_extensions import Unpack\n\n    from ._params import (\n",
    );
    for p in &params {
        let _ = writeln!(out, "        {p},");
    }
    out.push_str("    )\n\n__all__ = [\n");
    for r in resources {
        let _ = writeln!(out, "    \"{}\",", service(r).0);
    }
    for r in resources {
        if let Some((name, _)) = v1_service(r) {
            let _ = writeln!(out, "    \"{name}\",");
        }
    }
    out.push_str("]\n");
    for r in resources {
        let (name, doc) = service(r);
        let _ = write!(
            out,
            "\n\nclass {name}:\n    \"\"\"{doc}\n    \"\"\"\n\n    __slots__ = (\"_client\", \"_runner\")\n"
        );
        if r == Resource::TestHelpers {
            out.push_str("    __test__ = False  # not a pytest test class, whatever its name says\n");
        }
        out.push_str(INIT);
        for d in OPERATIONS.iter().filter(|d| d.resource == r) {
            method(&mut out, d);
        }
    }
    for r in resources {
        let Some((name, path)) = v1_service(r) else { continue };
        let _ = write!(
            out,
            "\n\nclass {name}:\n    \"\"\"{path}: the same operations in stripe-python 16.1.0's\n    \
             shape: the API's parameters as one ``params`` dict and the request options as ``options``\n    \
             (``idempotency_key``, ``stripe_account``, ``stripe_version``).\n    \"\"\"\n\n    \
             __slots__ = (\"_client\", \"_runner\")\n"
        );
        out.push_str(INIT);
        for d in OPERATIONS.iter().filter(|d| d.resource == r) {
            v1_method(&mut out, d);
        }
    }
    out
}
