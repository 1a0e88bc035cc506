//! The Node binding's `src/operations.rs`: the methods of every service class, one per
//! operation of the description (and `listAutoPaging` beside each list), each the Promise
//! of a call of the core's JSON front door (`Pending`). The classes themselves, the task and the pagers are
//! hand-written (`sessions.rs`, `reports.rs`, `task.rs`).

use crate::node::params_name;
use std::fmt::Write;
use stripe_identity::api::{OperationDesc, Resource, Returns, OPERATIONS};
use stripe_identity::backend::Method;

/// The Rust struct of a resource's class (its JavaScript name is the struct's `js_name`).
fn class(resource: Resource) -> &'static str {
    match resource {
        Resource::VerificationSessions => "JsVerificationSessions",
        Resource::VerificationReports => "JsVerificationReports",
        Resource::TestHelpers => "JsTestHelpersVerificationSessions",
        Resource::Events => "JsEvents",
        Resource::WebhookEndpoints => "JsWebhookEndpoints",
    }
}

/// What a method resolves to: the API's object with its `lastResponse` (`Response<T>`, as
/// stripe-node declares it); a list is stripe-node's `ApiListPromise<T>`, a Promise of the page
/// that also iterates every object (`index.js` adds that).
fn answer(returns: Returns) -> &'static str {
    match returns {
        Returns::Session => "Promise<Response<VerificationSession>>",
        Returns::SessionList => "ApiListPromise<VerificationSession>",
        Returns::Report => "Promise<Response<VerificationReport>>",
        Returns::ReportList => "ApiListPromise<VerificationReport>",
        Returns::Event => "Promise<Response<Event>>",
        Returns::EventList => "ApiListPromise<Event>",
        Returns::WebhookEndpoint => "Promise<Response<WebhookEndpoint>>",
        Returns::WebhookEndpointList => "ApiListPromise<WebhookEndpoint>",
        Returns::DeletedWebhookEndpoint => "Promise<Response<DeletedWebhookEndpoint>>",
    }
}

fn method(out: &mut String, d: &OperationDesc) {
    let method = match d.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Delete => "DELETE",
    };
    let path = match d.id {
        Some(name) => d.path.replace(&format!("{{{name}}}"), ":id"),
        None => d.path.to_string(),
    };
    let _ = writeln!(out, "    /// {} (`{method} {path}`).", d.doc.trim_end_matches('.'));
    let takes_params = !d.simulator_only || d.params.iter().any(|(k, _)| *k != "expand");
    let mut ts = Vec::new();
    let mut args = vec!["&self".to_string(), "env: Env".to_string()];
    if d.id.is_some() {
        ts.push("id: string".to_string());
        args.push("id: Unknown".into());
    }
    if takes_params {
        // A POST that sets something needs its parameters (as stripe-node declares them);
        // reads and `expand`-only actions take them optionally.
        let sets = d.method == Method::Post && d.params.iter().any(|(k, _)| *k != "expand");
        let optional = if d.required.is_empty() && !sets { "?" } else { "" };
        ts.push(format!("params{optional}: {}", params_name(d)));
        args.push("params: Option<Unknown>".into());
    }
    if !d.simulator_only {
        ts.push("opts?: RequestOptions".into());
        args.push("opts: Option<Unknown>".into());
    }
    // stripe-node names deletion `del` (`delete` reads badly as a method).
    let js_name = if d.method == Method::Delete { "js_name = \"del\", " } else { "" };
    let _ = writeln!(
        out,
        "    #[napi(catch_unwind, {js_name}ts_args_type = \"{}\", ts_return_type = \"{}\")]",
        ts.join(", "),
        answer(d.returns)
    );
    let id = if d.id.is_some() { "Some(id)" } else { "None" };
    let params = if takes_params { "params" } else { "None" };
    let opts = if d.simulator_only { "None" } else { "opts" };
    let _ = writeln!(
        out,
        "    pub fn {}({}) -> Pending {{\n        task(&env, &self.client, Operation::{:?}, {id}, {params}, {opts})\n    }}\n",
        d.name,
        args.join(", "),
        d.op
    );
    if let Some(pager) = match d.returns {
        Returns::SessionList => Some("JsListAutoPaging"),
        Returns::ReportList => Some("JsReportListAutoPaging"),
        Returns::EventList => Some("JsEventListAutoPaging"),
        Returns::WebhookEndpointList => Some("JsWebhookEndpointListAutoPaging"),
        _ => None,
    } {
        let _ = writeln!(
            out,
            "    /// Every object of the list, page after page, fetched lazily as `for await` asks for more;\n    \
             /// with `ending_before` (and no `starting_after`) it walks backwards, as stripe-node does.\n    \
             /// Parameters of the wrong type throw a `TypeError` here, before anything is fetched.\n    \
             #[napi(catch_unwind, ts_args_type = \"params?: {}, opts?: RequestOptions\")]\n    \
             pub fn {}_auto_paging(&self, env: Env, params: Option<Unknown>, opts: Option<Unknown>) -> napi::Result<{pager}> {{\n        \
             let pages = list_pages(&env, &self.client, Operation::{:?}, params, opts)?;\n        \
             Ok({pager} {{ client: self.client.clone(), pages }})\n    }}\n",
            params_name(d),
            d.name,
            d.op
        );
    }
}

/// The text of `bindings-node/src/operations.rs` (before rustfmt).
pub fn operations() -> String {
    let mut out = format!("// {}\n", super::GENERATED);
    out.push_str(
        "//! The methods of every service class, one per operation of the API's description (and\n\
         //! `listAutoPaging` beside each list). Each converts its arguments and returns the\n\
         //! Promise of a call of the core's JSON front door (`Pending`, see `task.rs`).\n\n\
         use crate::events::{JsEventListAutoPaging, JsEvents};\n\
         use crate::reports::{JsReportListAutoPaging, JsVerificationReports};\n\
         use crate::sessions::{list_pages, task, JsListAutoPaging, JsTestHelpersVerificationSessions, JsVerificationSessions};\n\
         use crate::task::Pending;\n\
         use crate::webhook_endpoints::{JsWebhookEndpointListAutoPaging, JsWebhookEndpoints};\n\
         use napi::bindgen_prelude::Unknown;\n\
         use napi::Env;\n\
         use napi_derive::napi;\n\
         use stripe_identity::client::Operation;\n",
    );
    for r in [
        Resource::VerificationSessions,
        Resource::VerificationReports,
        Resource::TestHelpers,
        Resource::Events,
        Resource::WebhookEndpoints,
    ] {
        let _ = writeln!(out, "\n#[napi]\nimpl {} {{", class(r));
        for d in OPERATIONS.iter().filter(|d| d.resource == r) {
            method(&mut out, d);
        }
        out.push_str("}\n");
    }
    out
}
