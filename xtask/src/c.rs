//! The C binding's `src/operations.rs`: one plain `extern "C"` function per operation of the
//! description (cbindgen reads plain source, not macros), each a call of `call::call`.
//! Operations take `params_json` and request options; simulator controls take their
//! parameters (other than `expand`) as C strings, required or NULL.

use std::fmt::Write;
use stripe_identity::api::{OperationDesc, Resource, Returns, OPERATIONS};
use stripe_identity::backend::Method;

/// `si_verification_session_create`.
pub fn function(d: &OperationDesc) -> String {
    let prefix = match d.resource {
        Resource::VerificationSessions => "si_verification_session",
        Resource::VerificationReports => "si_verification_report",
        Resource::TestHelpers => "si_test_helpers",
        Resource::Events => "si_event",
        Resource::WebhookEndpoints => "si_webhook_endpoint",
    };
    format!("{prefix}_{}", d.name)
}

/// The handle an operation writes: its type, out-parameter, noun and free function.
fn handle_of(returns: Returns) -> (&'static str, &'static str, &'static str, &'static str) {
    match returns {
        Returns::Session => ("si_session", "session_out", "session", "si_session_free"),
        Returns::SessionList => ("si_session_list", "list_out", "page of sessions", "si_session_list_free"),
        Returns::Report => ("si_report", "report_out", "report", "si_report_free"),
        Returns::ReportList => ("si_report_list", "list_out", "page of reports", "si_report_list_free"),
        Returns::Event => ("si_event", "event_out", "event", "si_event_free"),
        Returns::EventList => ("si_event_page", "list_out", "page of events", "si_event_page_free"),
        Returns::WebhookEndpoint | Returns::DeletedWebhookEndpoint => {
            ("si_endpoint", "endpoint_out", "webhook endpoint", "si_endpoint_free")
        }
        Returns::WebhookEndpointList => {
            ("si_endpoint_list", "list_out", "page of webhook endpoints", "si_endpoint_list_free")
        }
    }
}

/// Doc text wrapped at 100 columns, as `///` lines.
fn doc(out: &mut String, text: &str) {
    for para in text.split("\n\n") {
        let mut line = String::from("///");
        for word in para.split_whitespace() {
            // Never inside a code span: an odd number of backticks so far means one is open.
            let in_code = line.matches('`').count() % 2 == 1;
            if line.len() + 1 + word.len() > 100 && !in_code {
                let _ = writeln!(out, "{line}");
                line = String::from("///");
            }
            line.push(' ');
            line.push_str(word);
        }
        let _ = writeln!(out, "{line}");
        if !std::ptr::eq(para, text.split("\n\n").last().unwrap_or_default()) {
            let _ = writeln!(out, "///");
        }
    }
}

fn one(out: &mut String, d: &OperationDesc) {
    let (handle, out_name, noun, free) = handle_of(d.returns);
    let method = match d.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Delete => "DELETE",
    };
    let path = match d.id {
        Some(name) => d.path.replace(&format!("{{{name}}}"), ":id"),
        None => d.path.to_string(),
    };
    // Controls take their own parameters as strings; `expand` is for the API's operations.
    let strings: Vec<(&str, bool)> = if d.simulator_only {
        d.params.iter().filter(|(k, _)| *k != "expand").map(|(k, _)| (*k, d.required.contains(k))).collect()
    } else {
        Vec::new()
    };
    let mut text = format!("{} (`{method} {path}`).", d.doc.trim_end_matches('.'));
    if d.simulator_only {
        text.push_str(" A simulator control: it works on a local client and against identity-mock; the real API refuses it.");
    }
    let mut inputs = Vec::new();
    if d.id.is_some() {
        inputs.push("`id`".to_string());
    }
    inputs.extend(strings.iter().map(|(k, _)| format!("`{k}`")));
    if !d.simulator_only {
        text.push_str("\n\n`params_json` is a JSON object of the API's parameters, or NULL for none. `opts` may be NULL.");
        inputs.push("`params_json`".into());
    }
    for (k, required) in &strings {
        if !required {
            let _ = write!(text, " `{k}` may be NULL.");
        }
    }
    if !inputs.is_empty() {
        let _ = write!(text, " Borrowed for the call: {}.", inputs.join(", "));
    }
    let mut must = vec!["`client`".to_string()];
    if d.id.is_some() {
        must.push("`id`".into());
    }
    must.extend(strings.iter().filter(|(_, r)| *r).map(|(k, _)| format!("`{k}`")));
    must.push(format!("`{out_name}`"));
    let _ = write!(
        text,
        "\n\nOn `SI_OK`, `*{out_name}` is a new {noun} that the caller owns: free it with `{free}`. On \
         failure, if `err_out` is not NULL, `*err_out` is an error that the caller owns: free it with \
         `si_error_free`. {} must not be NULL.",
        must.join(", ")
    );
    doc(out, &text);

    let mut args = vec!["client: *const si_client".to_string()];
    if d.id.is_some() {
        args.push("id: *const c_char".into());
    }
    for (k, _) in &strings {
        args.push(format!("{k}: *const c_char"));
    }
    if !d.simulator_only {
        args.push("params_json: *const c_char".into());
        args.push("opts: *const si_request_options".into());
    }
    args.push(format!("{out_name}: *mut *mut {handle}"));
    args.push("err_out: *mut *mut si_error".into());
    let _ = writeln!(out, "#[no_mangle]\npub unsafe extern \"C\" fn {}(", function(d));
    for a in &args {
        let _ = writeln!(out, "    {a},");
    }
    let _ = writeln!(out, ") -> si_result {{\n    ffi_boundary!(err_out, {{");
    let id = if d.id.is_some() { "id" } else { "std::ptr::null()" };
    let (params, opts) = if d.simulator_only && strings.is_empty() {
        ("|| Ok(Value::Null)".to_string(), "|| Ok(Default::default())".to_string())
    } else if d.simulator_only {
        let mut body = String::from("|| {\n            let mut params = serde_json::Map::new();\n");
        for (k, required) in &strings {
            if *required {
                let _ = writeln!(
                    body,
                    "            params.insert(\"{k}\".into(), arg_str({k}, \"{k}\")?.into());"
                );
            } else {
                let _ = writeln!(
                    body,
                    "            if let Some(v) = opt_str({k}, \"{k}\")? {{ params.insert(\"{k}\".into(), v.into()); }}"
                );
            }
        }
        body.push_str("            Ok(Value::Object(params))\n        }");
        (body, "|| Ok(Default::default())".to_string())
    } else {
        ("|| arg_json(params_json, \"params_json\")".to_string(), "|| request_options(opts)".to_string())
    };
    let _ = writeln!(
        out,
        "        call(Operation::{:?}, client, {id}, {params}, {opts}, {out_name}, \"{out_name}\", {handle}::new)",
        d.op
    );
    let _ = writeln!(out, "    }})\n}}\n");
}

/// The text of `bindings-c/src/operations.rs` (before rustfmt).
pub fn operations() -> String {
    let mut out = format!("// {}\n", super::GENERATED);
    out.push_str(
        "//! Every operation of the API and every simulator control, one `extern \"C\"` function each,\n\
         //! generated from the description in core (`core/src/api/`). Each checks its C arguments,\n\
         //! hands JSON to core's `call_json` (through `call::call`) and wraps the answer in a handle.\n\n\
         use super::call::call;\n\
         use super::client::{request_options, si_client, si_request_options};\n\
         use super::endpoint::{si_endpoint, si_endpoint_list};\n\
         use super::errors::{si_error, si_result};\n\
         use super::event::{si_event, si_event_page};\n\
         use super::ffi::{arg_json, arg_str, opt_str};\n\
         use super::report::{si_report, si_report_list};\n\
         use super::session::{si_session, si_session_list};\n\
         use identity::client::Operation;\n\
         use serde_json::Value;\n\
         use std::ffi::c_char;\n\n",
    );
    for d in OPERATIONS {
        one(&mut out, d);
    }
    out
}
