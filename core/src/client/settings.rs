//! Client settings as a binding receives them: one JSON object, checked and defaulted here so
//! that every language accepts and refuses the same values with the same errors.
//!
//! | key | JSON | meaning |
//! | --- | --- | --- |
//! | `base_url` | string | [`ClientBuilder::base_url`] |
//! | `max_network_retries` | integer ≥ 0 | [`ClientBuilder::max_network_retries`] |
//! | `timeout` / `timeout_ms` | number > 0, seconds / milliseconds | [`ClientBuilder::timeout`] |
//! | `connect_timeout` / `connect_timeout_ms` | number > 0, seconds / milliseconds | [`ClientBuilder::connect_timeout`] |
//! | `stripe_version` | string | [`ClientBuilder::stripe_version`] |
//! | `stripe_account` | string | [`ClientBuilder::stripe_account`] |
//! | `ca_bundle_path` | string | [`ClientBuilder::ca_bundle_path`] |
//! | `ca_bundle` | string, PEM | [`ClientBuilder::ca_bundle`] |
//!
//! `null` (or a missing key) leaves the default. A value of the wrong type is an
//! [`Error::InvalidType`]; a value of the right type that cannot be used (negative retries, a
//! zero or non-finite timeout) is an [`Error::InvalidArgument`]; an unknown key is an
//! [`Error::InvalidType`], as Python's unexpected keyword argument. Either names
//! the setting by its key here; bindings whose users spell it differently rename the `param`.

use super::ClientBuilder;
use crate::error::Error;
use serde_json::{Map, Value};
use std::time::Duration;

/// Every key [`apply`] takes.
pub const KEYS: &[&str] = &[
    "base_url",
    "max_network_retries",
    "timeout",
    "timeout_ms",
    "connect_timeout",
    "connect_timeout_ms",
    "stripe_version",
    "stripe_account",
    "ca_bundle_path",
    "ca_bundle",
];

/// Applies `settings` (a JSON object, or `null` for none) to `builder`.
pub fn apply(mut builder: ClientBuilder, settings: &Value) -> Result<ClientBuilder, Error> {
    let map = match settings {
        Value::Null => return Ok(builder),
        Value::Object(map) => map,
        _ => return Err(Error::invalid_type(None, "client settings must be an object")),
    };
    if let Some(unknown) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        let message = format!("unknown client setting {unknown:?}; the settings are {}", KEYS.join(", "));
        // As Python refuses an unexpected keyword argument: a TypeError.
        return Err(Error::invalid_type(Some(unknown), message));
    }
    if let Some(url) = string(map, "base_url")? {
        builder = builder.base_url(url);
    }
    if let Some(retries) = retries(map)? {
        builder = builder.max_network_retries(retries);
    }
    if let Some(t) = duration(map, "timeout", 1.0)?.or(duration(map, "timeout_ms", 1e-3)?) {
        builder = builder.timeout(t);
    }
    if let Some(t) = duration(map, "connect_timeout", 1.0)?.or(duration(map, "connect_timeout_ms", 1e-3)?) {
        builder = builder.connect_timeout(t);
    }
    if let Some(v) = string(map, "stripe_version")? {
        builder = builder.stripe_version(v);
    }
    if let Some(a) = string(map, "stripe_account")? {
        builder = builder.stripe_account(a);
    }
    if let Some(path) = string(map, "ca_bundle_path")? {
        builder = builder.ca_bundle_path(path);
    }
    if let Some(pem) = string(map, "ca_bundle")? {
        builder = builder.ca_bundle(pem);
    }
    Ok(builder)
}

fn string(map: &Map<String, Value>, key: &str) -> Result<Option<String>, Error> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => {
            Err(Error::invalid_type(Some(key), format!("{key} must be a string, not {}", kind(other))))
        }
    }
}

fn retries(map: &Map<String, Value>) -> Result<Option<u32>, Error> {
    const KEY: &str = "max_network_retries";
    let n = match map.get(KEY) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n,
        Some(other) => {
            return Err(Error::invalid_type(
                Some(KEY),
                format!("{KEY} must be an integer, not {}", kind(other)),
            ))
        }
    };
    let Some(whole) = n.as_i64().or_else(|| n.as_u64().map(|_| i64::MAX)) else {
        return Err(Error::invalid_type(Some(KEY), format!("{KEY} must be an integer, not {n}")));
    };
    u32::try_from(whole).map(Some).map_err(|_| {
        Error::invalid_argument(Some(KEY), format!("{KEY} must be from 0 to {}, not {n}", u32::MAX))
    })
}

/// A duration given in `unit` seconds (1 for seconds, 1e-3 for milliseconds).
fn duration(map: &Map<String, Value>, key: &str, unit: f64) -> Result<Option<Duration>, Error> {
    let n = match map.get(key) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(other) => {
            return Err(Error::invalid_type(
                Some(key),
                format!("{key} must be a number, not {}", kind(other)),
            ))
        }
    };
    let seconds = n * unit;
    // A timeout of a year or more is a mistake in units, not a wish to wait.
    if !(seconds > 0.0 && seconds < 365.0 * 86_400.0) {
        return Err(Error::invalid_argument(
            Some(key),
            format!("{key} must be more than zero and less than a year, not {n}"),
        ));
    }
    Ok(Some(Duration::from_secs_f64(seconds)))
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Client, ErrorKind};
    use serde_json::json;

    fn refused(settings: Value) -> (ErrorKind, Option<String>) {
        let e = apply(Client::builder("sk_test_x"), &settings).and_then(ClientBuilder::build).unwrap_err();
        (e.kind(), e.param().map(String::from))
    }

    #[test]
    fn wrong_types_and_bad_values_are_told_apart() {
        let ty = |k: &str| (ErrorKind::InvalidType, Some(k.to_string()));
        let val = |k: &str| (ErrorKind::InvalidArgument, Some(k.to_string()));
        assert_eq!(refused(json!({"max_network_retries": "2"})), ty("max_network_retries"));
        assert_eq!(refused(json!({"max_network_retries": 1.5})), ty("max_network_retries"));
        assert_eq!(refused(json!({"max_network_retries": -1})), val("max_network_retries"));
        assert_eq!(refused(json!({"max_network_retries": 1u64 << 40})), val("max_network_retries"));
        assert_eq!(refused(json!({"timeout": "80"})), ty("timeout"));
        assert_eq!(refused(json!({"timeout": 0})), val("timeout"));
        assert_eq!(refused(json!({"timeout_ms": -5})), val("timeout_ms"));
        assert_eq!(refused(json!({"connect_timeout": 1e300})), val("connect_timeout"));
        assert_eq!(refused(json!({"base_url": 12})), ty("base_url"));
        assert_eq!(refused(json!({"base_url": "ftp://x"})), val("base_url"));
        assert_eq!(refused(json!({"stripe_account": []})), ty("stripe_account"));
        assert_eq!(refused(json!({"retries": 2})), ty("retries"));
        assert_eq!(refused(json!([1])), (ErrorKind::InvalidType, None));
    }

    #[test]
    fn null_and_missing_keep_the_defaults() {
        let nulls =
            json!({"base_url": null, "max_network_retries": null, "timeout": null, "stripe_account": null});
        assert!(apply(Client::builder("sk_test_x"), &nulls).unwrap().build().is_ok());
        assert!(apply(Client::builder("sk_test_x"), &Value::Null).unwrap().build().is_ok());
    }

    #[test]
    fn values_reach_the_builder() {
        let b = apply(
            Client::builder("sk_test_x"),
            &json!({"max_network_retries": 0, "timeout_ms": 1500, "connect_timeout": 2.5, "stripe_version": "v"}),
        )
        .unwrap();
        let shown = format!("{b:?}");
        assert!(shown.contains("max_network_retries: Some(0)"), "{shown}");
        assert!(shown.contains("timeout: Some(1.5s)"), "{shown}");
        assert!(shown.contains("connect_timeout: Some(2.5s)"), "{shown}");
        assert!(shown.contains("stripe_version: Some(\"v\")"), "{shown}");
    }
}
