//! JavaScript values in, JSON out, and back: every conversion of the binding.
//!
//! Parameters cross as JSON text made by the engine's own `JSON.stringify` (so `undefined`
//! keys drop and `toJSON` applies, as JavaScript users expect), and answers come back through
//! `JSON.parse`, which builds plain objects far faster than creating them one property at a
//! time through Node-API. What the parameters *mean* is checked by the core, once, for every
//! language; this file only refuses values that are not even of the right JavaScript type,
//! as [`Error::InvalidArgument`] naming the parameter (a `TypeError` in JavaScript).

use napi::bindgen_prelude::{Function, JsObjectValue, Object, Unknown};
use napi::{Env, JsValue, ValueType};
use std::time::Duration;
use stripe_identity::{ClientBuilder, Error, RequestOptions};

/// A `TypeError` naming `param`.
fn refuse(param: &str, message: impl Into<String>) -> Error {
    Error::invalid_argument(Some(param), message.into())
}

/// `typeof`, with `null` and arrays told apart, for messages.
fn type_of(value: &Unknown) -> &'static str {
    match value.get_type() {
        Ok(ValueType::Undefined) => "undefined",
        Ok(ValueType::Null) => "null",
        Ok(ValueType::Boolean) => "boolean",
        Ok(ValueType::Number) => "number",
        Ok(ValueType::String) => "string",
        Ok(ValueType::Symbol) => "symbol",
        Ok(ValueType::Function) => "function",
        Ok(ValueType::BigInt) => "bigint",
        Ok(ValueType::Object) if value.is_array().unwrap_or(false) => "array",
        Ok(ValueType::Object) => "object",
        _ => "value of unknown type",
    }
}

/// `undefined` and `null` both mean "not given", as in stripe-node.
pub(crate) fn is_nullish(value: &Unknown) -> bool {
    matches!(value.get_type(), Ok(ValueType::Undefined | ValueType::Null))
}

/// A required string argument (an id). Whether it is a usable id is the core's to say.
pub(crate) fn string_arg(value: Unknown, param: &str) -> Result<String, Error> {
    match value.get_type() {
        Ok(ValueType::String) => to_string(value, param),
        _ => Err(refuse(param, format!("{param} must be a string, got {}", type_of(&value)))),
    }
}

fn to_string(value: Unknown, param: &str) -> Result<String, Error> {
    // SAFETY of the cast: the caller checked that the value is a string.
    let s =
        unsafe { value.cast::<napi::JsString>() }.and_then(|s| s.into_utf8()).and_then(|s| s.into_owned());
    s.map_err(|e| refuse(param, format!("{param} could not be read as a string: {}", e.reason)))
}

/// An optional string (`undefined`/`null` = none).
fn optional_string(value: Unknown, param: &str) -> Result<Option<String>, Error> {
    if is_nullish(&value) {
        return Ok(None);
    }
    string_arg(value, param).map(Some)
}

/// An optional number (`undefined`/`null` = none).
fn optional_number(value: Unknown, param: &str) -> Result<Option<f64>, Error> {
    match value.get_type() {
        Ok(ValueType::Undefined | ValueType::Null) => Ok(None),
        Ok(ValueType::Number) => {
            // SAFETY of the cast: checked to be a number just above.
            let n = unsafe { value.cast::<napi::JsNumber>() }.and_then(|n| n.get_double());
            n.map(Some).map_err(|e| refuse(param, format!("{param} could not be read: {}", e.reason)))
        }
        _ => Err(refuse(param, format!("{param} must be a number, got {}", type_of(&value)))),
    }
}

/// A plain object argument (not an array, not a function), or none.
fn optional_object<'env>(value: Option<Unknown<'env>>, param: &str) -> Result<Option<Object<'env>>, Error> {
    let Some(value) = value else { return Ok(None) };
    if is_nullish(&value) {
        return Ok(None);
    }
    match value.get_type() {
        Ok(ValueType::Object) if !value.is_array().unwrap_or(false) => {
            // SAFETY of the cast: checked to be an object just above.
            unsafe { value.cast::<Object>() }
                .map(Some)
                .map_err(|e| refuse(param, format!("{param} could not be read: {}", e.reason)))
        }
        _ => Err(refuse(param, format!("{param} must be an object, got {}", type_of(&value)))),
    }
}

/// Reads an options object whose keys must all be known; calls `each(key, value)` for every
/// key present. A typo (`idempotency_key`, `apiVersion`) is refused rather than ignored.
fn each_option<'env>(
    value: Option<Unknown<'env>>,
    param: &str,
    known: &[&str],
    mut each: impl FnMut(&str, Unknown<'env>) -> Result<(), Error>,
) -> Result<(), Error> {
    let Some(obj) = optional_object(value, param)? else { return Ok(()) };
    let keys = Object::keys(&obj).map_err(|e| refuse(param, format!("{param}: {}", e.reason)))?;
    for key in keys {
        if !known.contains(&key.as_str()) {
            return Err(refuse(
                &key,
                format!("{param} has an unknown key {key:?}; the keys are {}", known.join(", ")),
            ));
        }
        let v: Unknown = obj.get_named_property(&key).map_err(|e| refuse(&key, e.reason))?;
        each(&key, v)?;
    }
    Ok(())
}

/// A whole number (seconds of a clock).
pub(crate) fn whole_number(value: Unknown, param: &str) -> Result<i64, Error> {
    match optional_number(value, param)? {
        Some(n) if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 => Ok(n as i64),
        Some(n) => Err(refuse(param, format!("{param} must be a whole number, got {n}"))),
        None => Err(refuse(param, format!("{param} is required"))),
    }
}

/// `Client.local({ clock })`: the unix time the simulator's stopped clock starts at.
pub(crate) fn local_clock(value: Option<Unknown>) -> Result<Option<i64>, Error> {
    let mut clock = None;
    each_option(value, "options", &["clock"], |key, v| {
        if !is_nullish(&v) {
            clock = Some(whole_number(v, key)?);
        }
        Ok(())
    })?;
    Ok(clock)
}

/// Request options `{ idempotencyKey, stripeAccount, stripeVersion }`.
pub(crate) fn request_options(value: Option<Unknown>) -> Result<RequestOptions, Error> {
    let mut opts = RequestOptions::default();
    each_option(value, "opts", &["idempotencyKey", "stripeAccount", "stripeVersion"], |key, v| {
        let s = optional_string(v, key)?;
        match key {
            "idempotencyKey" => opts.idempotency_key = s,
            "stripeAccount" => opts.stripe_account = s,
            _ => opts.stripe_version = s,
        }
        Ok(())
    })?;
    Ok(opts)
}

/// The core names the client's settings as Rust does (`api_key`); JavaScript callers know them
/// by the names they passed (`apiKey`).
pub(crate) fn js_setting_names(e: Error) -> Error {
    const NAMES: [(&str, &str); 5] = [
        ("ca_bundle", "ca"),
        ("api_key", "apiKey"),
        ("base_url", "baseUrl"),
        ("max_network_retries", "maxNetworkRetries"),
        ("stripe_version", "stripeVersion"),
    ];
    match e {
        Error::InvalidArgument { param: Some(param), message } => {
            let param = NAMES.iter().find(|(rust, _)| *rust == param).map_or(param, |(_, js)| js.to_string());
            Error::InvalidArgument { param: Some(param), message }
        }
        other => other,
    }
}

/// PEM text as a string or a `Buffer` (what `fs.readFileSync` gives), or none.
fn optional_pem(value: Unknown, param: &str) -> Result<Option<Vec<u8>>, Error> {
    if is_nullish(&value) {
        return Ok(None);
    }
    if matches!(value.get_type(), Ok(ValueType::String)) {
        return to_string(value, param).map(|s| Some(s.into_bytes()));
    }
    let unreadable = |e: napi::Error| refuse(param, format!("{param} could not be read: {}", e.reason));
    if matches!(value.is_buffer(), Ok(true)) {
        // SAFETY of the cast: checked to be a Buffer just above; the bytes are copied at once.
        let slice = unsafe { value.cast::<napi::bindgen_prelude::BufferSlice>() };
        return slice.map(|b| Some(b.to_vec())).map_err(unreadable);
    }
    if matches!(value.is_typedarray(), Ok(true)) {
        // The cast checks that the typed array is a Uint8Array (an error otherwise).
        let slice = unsafe { value.cast::<napi::bindgen_prelude::Uint8ArraySlice>() };
        return slice.map(|b| Some(b.to_vec())).map_err(unreadable);
    }
    Err(refuse(param, format!("{param} must be PEM text, a string or a Buffer, got {}", type_of(&value))))
}

/// Client options `{ baseUrl, maxNetworkRetries, timeout (ms), stripeVersion, stripeAccount, ca }`
/// applied to a builder.
pub(crate) fn client_options(
    value: Option<Unknown>,
    mut builder: ClientBuilder,
) -> Result<ClientBuilder, Error> {
    const KNOWN: [&str; 6] =
        ["baseUrl", "maxNetworkRetries", "timeout", "stripeVersion", "stripeAccount", "ca"];
    each_option(value, "options", &KNOWN, |key, v| {
        match key {
            "baseUrl" => {
                if let Some(url) = optional_string(v, key)? {
                    builder = std::mem::take(&mut builder).base_url(url);
                }
            }
            "maxNetworkRetries" => {
                if let Some(n) = optional_number(v, key)? {
                    if n.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&n) {
                        return Err(refuse(key, format!("{key} must be a whole number ≥ 0, got {n}")));
                    }
                    builder = std::mem::take(&mut builder).max_network_retries(n as u32);
                }
            }
            "timeout" => {
                if let Some(ms) = optional_number(v, key)? {
                    // Zero is the core's to refuse; NaN, negative or infinite cannot be a Duration.
                    if !ms.is_finite() || ms < 0.0 {
                        return Err(refuse(key, format!("{key} must be a number of milliseconds, got {ms}")));
                    }
                    builder = std::mem::take(&mut builder).timeout(Duration::from_secs_f64(ms / 1000.0));
                }
            }
            "stripeVersion" => {
                if let Some(version) = optional_string(v, key)? {
                    builder = std::mem::take(&mut builder).stripe_version(version);
                }
            }
            "ca" => {
                if let Some(pem) = optional_pem(v, key)? {
                    builder = std::mem::take(&mut builder).ca_bundle(pem);
                }
            }
            _ => {
                if let Some(account) = optional_string(v, key)? {
                    builder = std::mem::take(&mut builder).stripe_account(account);
                }
            }
        }
        Ok(())
    })?;
    Ok(builder)
}

/// Parameters as JSON text (`None` for none), made by `JSON.stringify` on the JavaScript thread
/// and parsed by the core off it.
pub(crate) fn params_json(env: &Env, value: Option<Unknown>, param: &str) -> Result<Option<String>, Error> {
    let Some(obj) = optional_object(value, param)? else { return Ok(None) };
    let stringify = || -> napi::Result<String> {
        let json: Object = env.get_global()?.get_named_property_unchecked("JSON")?;
        let stringify: Function<Object, String> = json.get_named_property_unchecked("stringify")?;
        stringify.call(obj)
    };
    // JSON.stringify throws on a BigInt or a cycle; the exception is cleared by napi and only
    // its message kept, for the TypeError naming the parameter.
    stringify().map(Some).map_err(|e| refuse(param, format!("{param} cannot be sent: {}", e.reason)))
}

/// Parameters from their JSON text, with stripe-node's meaning of `null`: it is sent as an
/// empty string, which unsets (`{ metadata: null }` clears all metadata, as `metadata: ''`).
/// Runs on the pool, off the JavaScript thread.
pub(crate) fn params_value(text: Option<&str>) -> Result<serde_json::Value, Error> {
    fn nulls_as_empty(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Null => *v = serde_json::Value::String(String::new()),
            serde_json::Value::Array(items) => items.iter_mut().for_each(nulls_as_empty),
            serde_json::Value::Object(map) => map.values_mut().for_each(nulls_as_empty),
            _ => {}
        }
    }
    let Some(text) = text else { return Ok(serde_json::Value::Null) };
    // Bounded (`nesting`): `nulls_as_empty` and every conversion after it recurse per level.
    let mut value = stripe_identity::nesting::parse(text)
        .map_err(|e| Error::invalid_argument(Some("params"), format!("params cannot be sent: {e}")))?;
    if let serde_json::Value::Object(map) = &mut value {
        map.values_mut().for_each(nulls_as_empty);
    }
    Ok(value)
}

/// Parsed JSON text as plain JavaScript values (`JSON.parse`).
pub(crate) fn parse_json<'env>(env: &'env Env, text: &str) -> napi::Result<Unknown<'env>> {
    let json: Object = env.get_global()?.get_named_property_unchecked("JSON")?;
    let parse: Function<&str, Unknown> = json.get_named_property_unchecked("parse")?;
    parse.call(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn null_unsets_as_in_stripe_node() {
        let text = r#"{"metadata":{"a":null,"b":"1"},"options":{"document":null},"expand":[null]}"#;
        assert_eq!(
            params_value(Some(text)).unwrap(),
            json!({"metadata": {"a": "", "b": "1"}, "options": {"document": ""}, "expand": [""]})
        );
        assert_eq!(params_value(Some(r#"{"metadata":null}"#)).unwrap(), json!({"metadata": ""}));
        assert_eq!(params_value(None).unwrap(), serde_json::Value::Null);
    }

    #[test]
    fn params_nested_too_deep_are_refused_before_any_recursion() {
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100_000), "]".repeat(100_000));
        let e = params_value(Some(&deep)).unwrap_err();
        assert_eq!(e.param(), Some("params"));
        assert!(e.message().contains("nested deeper than"), "{e}");
    }

    #[test]
    fn settings_keep_their_javascript_names() {
        let e = js_setting_names(Error::invalid_argument(Some("base_url"), "bad"));
        assert_eq!(e.param(), Some("baseUrl"));
        let e = js_setting_names(Error::invalid_argument(Some("metadata"), "bad"));
        assert_eq!(e.param(), Some("metadata"));
        let e = js_setting_names(Error::Connection { message: "down".into() });
        assert_eq!(e.param(), None);
    }
}
