//! The JSON front door the language bindings use: an operation named as the API names it,
//! parameters as JSON in the API's own shape, the answer as JSON exactly as the API sent it.
//!
//! Everything a binding must not decide happens here, once: parameter types are checked
//! (a wrong type is [`Error::InvalidArgument`] naming the parameter, which bindings raise as
//! their `TypeError`), parameters are encoded, ids are escaped, and pagination walks pages.

use super::{path_id, Client, ListPages, RequestOptions};
use crate::backend::{Method, Response};
use crate::error::Error;
use crate::params::to_form;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;

pub use crate::api::Operation;

impl Operation {
    /// Checks the id and parameters; gives the method, path and form body of the request.
    pub(super) fn prepare(self, id: Option<&str>, params: Value) -> Result<(Method, String, String), Error> {
        let path = self.path_with(id)?;
        let form = self.encode(params)?;
        Ok((self.desc().method, path, form))
    }

    /// The request's path, with the id checked and escaped when the operation takes one.
    pub(super) fn path_with(self, id: Option<&str>) -> Result<String, Error> {
        match (self.desc().id, id) {
            (Some(name), Some(id)) => Ok(self.path(&path_id(id, name)?)),
            (Some(name), None) => {
                // A missing argument, as Python's TypeError for a missing one.
                Err(Error::invalid_type(Some(name), format!("{} needs an id", self.as_str())))
            }
            (None, _) => Ok(self.path("")),
        }
    }

    /// Checks and encodes parameters given as JSON (`null` counts as none).
    pub fn encode(self, params: Value) -> Result<String, Error> {
        for name in self.desc().required {
            if params.get(name).is_none() {
                return Err(Error::invalid_type(Some(name), format!("{name} is required")));
            }
        }
        (self.desc().encode)(params)
    }
}

impl Client {
    /// Runs an operation with typed parameters: the method and path come from its description.
    pub(crate) fn call_typed<P: Serialize, T: DeserializeOwned>(
        &self,
        op: Operation,
        id: Option<&str>,
        params: &P,
        opts: &RequestOptions,
    ) -> Result<T, Error> {
        let path = op.path_with(id)?;
        self.call_owned(op.desc().method, path, to_form(params)?, opts)
    }
}

/// Decodes a successful answer's body (from [`Client::call_json_response`]) with `decode`, as
/// every call decodes its answer: a body that is not UTF-8, or that `decode` refuses, is
/// [`Error::Decode`] with the answer's status and request id.
pub fn decode_answer<T, E: std::fmt::Display>(
    response: &Response,
    decode: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, Error> {
    super::decode_body(response, decode)
}

impl Client {
    /// Runs an operation with JSON parameters and returns the API's answer as JSON.
    /// `id` is required exactly when [`Operation::takes_id`].
    pub fn call_json(
        &self,
        op: Operation,
        id: Option<&str>,
        params: Value,
        opts: &RequestOptions,
    ) -> Result<Value, Error> {
        let (method, path, form) = op.prepare(id, params)?;
        self.call_value(method, &path, form, opts)
    }

    /// [`call_json`](Self::call_json), with the whole successful answer: its status and headers
    /// (for a binding's `last_response`, as stripe-python and stripe-node have) and its body
    /// as the bytes the API sent, for a binding that decodes them straight into its language's
    /// objects (with [`decode_answer`]). An error answer is an [`Error`], as for every call.
    pub fn call_json_response(
        &self,
        op: Operation,
        id: Option<&str>,
        params: Value,
        opts: &RequestOptions,
    ) -> Result<Response, Error> {
        let (method, path, form) = op.prepare(id, params)?;
        self.send(method, &path, form, opts)
    }

    /// [`call_json`](Self::call_json), with the answer as the JSON text the API sent (checked to
    /// be JSON, not rebuilt): for a binding whose language parses JSON faster than it can be
    /// handed a tree, and keeps the API's key order.
    pub fn call_json_text(
        &self,
        op: Operation,
        id: Option<&str>,
        params: Value,
        opts: &RequestOptions,
    ) -> Result<String, Error> {
        let (method, path, form) = op.prepare(id, params)?;
        let raw: Box<RawValue> = self.call(method, &path, form, opts)?;
        Ok(Box::<str>::from(raw).into_string())
    }

    /// Pages of a list of sessions, fetched lazily, for bindings' auto-pagination. `null`
    /// parameters count as none.
    pub fn list_pages_json(&self, params: Value, opts: RequestOptions) -> Result<ListPages, Error> {
        self.list_pages_json_of(Operation::List, params, opts)
    }

    /// Pages of any list operation ([`Operation::List`], [`Operation::ListReports`]).
    pub fn list_pages_json_of(
        &self,
        op: Operation,
        params: Value,
        opts: RequestOptions,
    ) -> Result<ListPages, Error> {
        ListPages::new(self.clone(), op, params, opts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn runs_every_operation_from_json() {
        let c = Client::local();
        let opts = RequestOptions::default();
        let s = c
            .call_json(Operation::Create, None, json!({"type": "document", "metadata": {"a": "1"}}), &opts)
            .unwrap();
        let id = s["id"].as_str().unwrap();
        assert_eq!(s["metadata"]["a"], "1");
        let s = c.call_json(Operation::Update, Some(id), json!({"metadata": {"a": ""}}), &opts).unwrap();
        assert_eq!(s["metadata"], json!({}));
        c.call_json(Operation::Submit, Some(id), Value::Null, &opts).unwrap();
        let s = c.call_json(Operation::Fail, Some(id), json!({"code": "document_expired"}), &opts).unwrap();
        assert_eq!(s["last_error"]["code"], "document_expired");
        c.call_json(Operation::Submit, Some(id), Value::Null, &opts).unwrap();
        c.call_json(Operation::Verify, Some(id), Value::Null, &opts).unwrap();
        let s = c
            .call_json(Operation::Retrieve, Some(id), json!({"expand": ["verified_outputs"]}), &opts)
            .unwrap();
        assert_eq!(s["verified_outputs"]["first_name"], "Jenny");
        c.call_json(Operation::Redact, Some(id), Value::Null, &opts).unwrap();
        let s = c.call_json(Operation::CompleteRedaction, Some(id), Value::Null, &opts).unwrap();
        assert_eq!(s["redaction"]["status"], "redacted");
        let other = c.call_json(Operation::Create, None, json!({"type": "id_number"}), &opts).unwrap();
        let s = c.call_json(Operation::Cancel, other["id"].as_str(), Value::Null, &opts).unwrap();
        assert_eq!(s["status"], "canceled");
        let page = c.call_json(Operation::List, None, json!({"limit": 1}), &opts).unwrap();
        assert_eq!(page["has_more"], true);
    }

    #[test]
    fn text_answers_are_the_api_json_as_sent() {
        let c = Client::local();
        let opts = RequestOptions::default();
        let text = c.call_json_text(Operation::Create, None, json!({"type": "document"}), &opts).unwrap();
        let created: Value = serde_json::from_str(&text).unwrap();
        let id = created["id"].as_str().unwrap();
        // The API's key order, as the simulator renders it (a Value would sort the keys).
        assert!(text.starts_with(r#"{"id":"vs_"#), "{text}");
        let again = c.call_json(Operation::Retrieve, Some(id), Value::Null, &opts).unwrap();
        let text = c.call_json_text(Operation::Retrieve, Some(id), Value::Null, &opts).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), again);
        // Same checks and same errors as call_json.
        let e = c.call_json_text(Operation::Cancel, None, Value::Null, &opts).unwrap_err();
        assert_eq!(e.param(), Some("session"));
        let e = c.call_json_text(Operation::Retrieve, Some("vs_missing"), Value::Null, &opts).unwrap_err();
        assert_eq!(e.http_status(), Some(404));
    }

    /// The ids of `n` document sessions made on `c`, oldest first.
    fn create_sessions(c: &Client, n: usize) -> Vec<String> {
        let opts = RequestOptions::default();
        (0..n)
            .map(|_| {
                let s = c.call_json(Operation::Create, None, json!({"type": "document"}), &opts).unwrap();
                s["id"].as_str().unwrap().to_string()
            })
            .collect()
    }

    #[test]
    fn pages_start_from_a_page_in_hand() {
        let c = Client::local();
        let opts = RequestOptions::default();
        let mut ids = create_sessions(&c, 5);
        ids.reverse(); // newest first, as the list gives them
        let first = c.call_json(Operation::List, None, json!({"limit": 2}), &opts).unwrap();
        // A session made now is newer than the page in hand: resuming must not see it.
        c.call_json(Operation::Create, None, json!({"type": "document"}), &opts).unwrap();
        let mut pages = c.list_pages_json(json!({"limit": 2}), opts.clone()).unwrap();
        pages.start_from(first);
        let walked: Vec<String> = pages
            .flat_map(|p| p.unwrap()["data"].as_array().unwrap().clone())
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(walked, ids, "the page in hand first, then the rest");

        // Backwards from the page just newer than ids[2]: only the session made since is newer.
        let params = json!({"limit": 2, "ending_before": ids[2]});
        let before = c.call_json(Operation::List, None, params.clone(), &opts).unwrap();
        assert_eq!(before["data"][0]["id"], ids[0]);
        let mut pages = c.list_pages_json(params, opts.clone()).unwrap();
        assert!(pages.backward());
        pages.start_from(before);
        let newer: Vec<Value> = pages.flat_map(|p| p.unwrap()["data"].as_array().unwrap().clone()).collect();
        // The page in hand oldest first (ids[1], ids[0]), then the one session made since.
        assert_eq!(newer.len(), 3, "{newer:?}");
        assert_eq!((&newer[0]["id"], &newer[1]["id"]), (&json!(ids[1]), &json!(ids[0])));

        // A last page ends the walk without another request.
        let all = c.call_json(Operation::List, None, json!({"limit": 100}), &opts).unwrap();
        let mut pages = c.list_pages_json(json!({"limit": 100}), opts).unwrap();
        pages.start_from(all);
        assert_eq!(pages.next().unwrap().unwrap()["data"].as_array().unwrap().len(), 6);
        assert!(pages.next().is_none());
    }

    #[test]
    fn undecoded_answers_decode_to_what_call_json_gives() {
        let c = Client::local();
        let opts = RequestOptions::default();
        let response =
            c.call_json_response(Operation::Create, None, json!({"type": "document"}), &opts).unwrap();
        let created: Value = decode_answer(&response, crate::nesting::parse).unwrap();
        let id = created["id"].as_str().unwrap();
        let response = c.call_json_response(Operation::Retrieve, Some(id), Value::Null, &opts).unwrap();
        let again = c.call_json(Operation::Retrieve, Some(id), Value::Null, &opts).unwrap();
        assert_eq!(decode_answer(&response, crate::nesting::parse).unwrap(), again);
        // Errors are decoded by the core, as for every call; a body that is not JSON is Decode.
        let e =
            c.call_json_response(Operation::Retrieve, Some("vs_missing"), Value::Null, &opts).unwrap_err();
        assert_eq!(e.http_status(), Some(404));
        let e = decode_answer(&response, |_| serde_json::from_str::<Value>("{")).unwrap_err();
        assert_eq!((e.kind(), e.http_status()), (crate::ErrorKind::Decode, Some(200)));
    }

    #[test]
    fn pages_decoded_by_the_caller_walk_as_the_core_walks_them() {
        use super::super::{NextPage, PageCursor};
        let c = Client::local();
        let opts = RequestOptions::default();
        let ids = create_sessions(&c, 7);
        for params in [json!({"limit": 3}), json!({"limit": 2, "ending_before": ids[0]})] {
            let by_core: Vec<Value> =
                c.list_pages_json(params.clone(), opts.clone()).unwrap().map(Result::unwrap).collect();
            let mut pages = c.list_pages_json(params, opts.clone()).unwrap();
            let mut by_caller = Vec::new();
            while let Some(next) = pages.next_answer() {
                let NextPage::Answer(response) = next.unwrap() else { panic!("no page was in hand") };
                let mut page: Value = decode_answer(&response, crate::nesting::parse).unwrap();
                let data = page["data"].as_array().unwrap();
                let id = |s: Option<&Value>| s.map(|s| s["id"].as_str().unwrap().to_string());
                let cursor = PageCursor {
                    has_more: page["has_more"].as_bool().unwrap(),
                    first_id: id(data.first()),
                    last_id: id(data.last()),
                };
                pages.step(Some(cursor));
                if pages.backward() {
                    page["data"].as_array_mut().unwrap().reverse();
                }
                by_caller.push(page);
            }
            assert!(by_core.len() >= 3, "{}", by_core.len());
            assert_eq!(by_caller, by_core);
        }
    }

    #[test]
    fn bad_arguments_are_refused_before_sending() {
        let c = Client::local();
        let opts = RequestOptions::default();
        let e = c.call_json(Operation::Create, None, json!({"metadata": 42}), &opts).unwrap_err();
        assert_eq!((e.kind(), e.param()), (crate::ErrorKind::InvalidType, Some("metadata")));
        let e = c.call_json(Operation::Retrieve, None, Value::Null, &opts).unwrap_err();
        assert_eq!(e.param(), Some("session"));
        let e = c.call_json(Operation::Retrieve, Some(""), Value::Null, &opts).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArgument);
        let e = c.call_json(Operation::Fail, Some("vs_1"), json!({}), &opts).unwrap_err();
        assert_eq!(e.param(), Some("code"));
        let e = c.list_pages_json(json!({"limit": "ten"}), opts).unwrap_err();
        assert_eq!(e.param(), Some("limit"));
        assert_eq!(Operation::parse("complete_redaction"), Some(Operation::CompleteRedaction));
        assert_eq!(Operation::parse("delete"), None);
    }

    #[test]
    fn pages_walk_both_ways_lazily() {
        let c = Client::local();
        let opts = RequestOptions::default();
        let mut ids = Vec::new();
        for _ in 0..7 {
            ids.push(
                c.call_json(Operation::Create, None, json!({"type": "document"}), &opts).unwrap()["id"]
                    .clone(),
            );
        }
        let forward: Vec<Value> = c
            .list_pages_json(json!({"limit": 3}), opts.clone())
            .unwrap()
            .flat_map(|p| p.unwrap()["data"].as_array().unwrap().clone())
            .map(|s| s["id"].clone())
            .collect();
        let mut newest_first = ids.clone();
        newest_first.reverse();
        assert_eq!(forward, newest_first);
        let backward: Vec<Value> = c
            .list_pages_json(json!({"limit": 2, "ending_before": ids[0]}), opts)
            .unwrap()
            .flat_map(|p| p.unwrap()["data"].as_array().unwrap().clone())
            .map(|s| s["id"].clone())
            .collect();
        assert_eq!(backward, ids[1..].to_vec());
    }

    #[test]
    fn gives_the_answer_with_its_status_and_headers_and_errors_with_theirs() {
        let c = Client::local();
        let opts = RequestOptions { idempotency_key: Some("k-1".into()), ..Default::default() };
        let response =
            c.call_json_response(Operation::Create, None, json!({"type": "document"}), &opts).unwrap();
        let s: Value = decode_answer(&response, crate::nesting::parse).unwrap();
        assert_eq!(s["object"], "identity.verification_session");
        assert_eq!(response.status, 200);
        assert!(response.request_id().unwrap().starts_with("req_"));
        assert_eq!(response.header("idempotency-key"), Some("k-1"));
        let err = c.call_json(Operation::Retrieve, Some("vs_missing"), Value::Null, &opts).unwrap_err();
        let Error::Api(api) = err else { panic!("not an API error: {err:?}") };
        let id = api.request_id.clone().unwrap();
        assert!(api.headers.iter().any(|(k, v)| k.eq_ignore_ascii_case("request-id") && *v == id));
    }
}
