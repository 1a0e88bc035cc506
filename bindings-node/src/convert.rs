//! JavaScript values in, JSON out, and back: every conversion of the binding.
//!
//! Parameters cross as JSON text made by the engine's own `JSON.stringify` (so `undefined`
//! keys drop and `toJSON` applies, as JavaScript users expect), and answers come back through
//! `JSON.parse`, which builds plain objects far faster than creating them one property at a
//! time through Node-API. What the parameters *mean* is checked by the core, once, for every
//! language; this file only refuses values that are not even of the right JavaScript type,
//! as [`Error::InvalidArgument`] naming the parameter (a `TypeError` in JavaScript).

use napi::bindgen_prelude::{FromNapiValue, Function, JsObjectValue, Object, ToNapiValue, Unknown};
use napi::{Env, JsValue, ValueType};
use stripe_identity::params::Nulls;
use stripe_identity::{ClientBuilder, Error, RequestOptions};

/// A `TypeError` naming `param`.
/// A JavaScript value of the wrong type (a `TypeError`).
fn refuse(param: &str, message: impl Into<String>) -> Error {
    Error::invalid_type(Some(param), message.into())
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
        Some(n) => {
            Err(Error::invalid_argument(Some(param), format!("{param} must be a whole number, got {n}")))
        }
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

/// Request options `{ idempotencyKey, stripeAccount, apiVersion }`, as stripe-node names them;
/// `stripeVersion` is the same as `apiVersion` (this package's first name for it).
pub(crate) fn request_options(value: Option<Unknown>) -> Result<RequestOptions, Error> {
    let mut opts = RequestOptions::default();
    let known = ["idempotencyKey", "stripeAccount", "apiVersion", "stripeVersion"];
    each_option(value, "opts", &known, |key, v| {
        let s = optional_string(v, key)?;
        match key {
            "idempotencyKey" => opts.idempotency_key = s,
            "stripeAccount" => opts.stripe_account = s,
            // Both given: the one that is set wins, and two different versions are refused.
            _ => match (&opts.stripe_version, s) {
                (Some(a), Some(b)) if *a != b => {
                    return Err(Error::invalid_argument(
                        Some(key),
                        "opts.apiVersion and opts.stripeVersion name different versions; give one",
                    ))
                }
                (_, Some(b)) => opts.stripe_version = Some(b),
                (_, None) => {}
            },
        }
        Ok(())
    })?;
    Ok(opts)
}

/// The core names the client's settings as Rust does (`api_key`); JavaScript callers know them
/// by the names they passed (`apiKey`).
pub(crate) fn js_setting_names(e: Error) -> Error {
    let js = |param: String| {
        let name = SETTINGS.iter().find(|(_, rust)| *rust == param).map(|(js, _)| *js);
        name.or((param == "api_key").then_some("apiKey")).map_or(param, String::from)
    };
    match e {
        Error::InvalidArgument { param: Some(param), message } => {
            Error::InvalidArgument { param: Some(js(param)), message }
        }
        Error::InvalidType { param: Some(param), message } => {
            Error::InvalidType { param: Some(js(param)), message }
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

/// The client options and the core's setting each one is ([`stripe_identity::client::settings`]).
const SETTINGS: [(&str, &str); 7] = [
    ("baseUrl", "base_url"),
    ("maxNetworkRetries", "max_network_retries"),
    ("timeout", "timeout_ms"),
    ("connectTimeout", "connect_timeout_ms"),
    ("stripeVersion", "stripe_version"),
    ("stripeAccount", "stripe_account"),
    ("ca", "ca_bundle"),
];

/// Client options `{ baseUrl, maxNetworkRetries, timeout (ms), connectTimeout (ms),
/// stripeVersion, stripeAccount, ca }` applied to a builder. Only the names are JavaScript's: the
/// core checks and defaults the values ([`ClientBuilder::settings`]), as for every binding.
pub(crate) fn client_options(value: Option<Unknown>, builder: ClientBuilder) -> Result<ClientBuilder, Error> {
    let known: Vec<&str> = SETTINGS.iter().map(|(js, _)| *js).collect();
    let mut settings = serde_json::Map::new();
    each_option(value, "options", &known, |key, v| {
        let rust = SETTINGS.iter().find(|(js, _)| *js == key).map_or(key, |(_, rust)| *rust);
        let value = if key == "ca" {
            // A Buffer has no JSON form: read here, handed over as the PEM text it holds.
            match optional_pem(v, key)? {
                Some(pem) => serde_json::Value::String(String::from_utf8(pem).map_err(|_| {
                    Error::invalid_argument(Some(key), format!("{key} must be PEM text, which is ASCII"))
                })?),
                None => serde_json::Value::Null,
            }
        } else {
            loose_json(v, key)?
        };
        settings.insert(rust.to_string(), value);
        Ok(())
    })?;
    builder.settings(&serde_json::Value::Object(settings))
}

/// A setting's value as JSON, whatever its type, so the core can judge it: scalars as they
/// are; anything else as an empty object or array (only its type matters to the judgement).
fn loose_json(value: Unknown, param: &str) -> Result<serde_json::Value, Error> {
    use serde_json::Value;
    Ok(match value.get_type() {
        Ok(ValueType::Undefined | ValueType::Null) => Value::Null,
        // Only the type matters: no setting takes a boolean.
        Ok(ValueType::Boolean) => Value::Bool(false),
        Ok(ValueType::Number) => {
            let n = optional_number(value, param)?.unwrap_or(f64::NAN);
            // A whole number stays an integer, so the core tells 2 from 2.5. NaN and the
            // infinities have no JSON form to hand over: they are refused here, as bad values.
            if n.fract() == 0.0 && n.abs() < 9.0e15 {
                Value::from(n as i64)
            } else {
                Value::Number(serde_json::Number::from_f64(n).ok_or_else(|| {
                    Error::invalid_argument(Some(param), format!("{param} must be a finite number, got {n}"))
                })?)
            }
        }
        Ok(ValueType::String) => Value::String(string_arg(value, param)?),
        Ok(ValueType::Object) if value.is_array().unwrap_or(false) => Value::Array(Vec::new()),
        _ => Value::Object(serde_json::Map::new()),
    })
}

/// Parameters as JSON text (`None` for none), made by `JSON.stringify` on the JavaScript thread
/// and parsed by the core when the call runs.
pub(crate) fn params_json(env: &Env, value: Option<Unknown>, param: &str) -> Result<Option<String>, Error> {
    let Some(obj) = optional_object(value, param)? else { return Ok(None) };
    let stringify = || -> napi::Result<String> {
        let registry = crate::errors::registry(env)?;
        let stringify = match registry.stringify.as_ref() {
            Some(stringify) => stringify.borrow_back(env)?,
            None => {
                let json: Object = env.get_global()?.get_named_property_unchecked("JSON")?;
                let stringify: Function<Object<'static>, String> =
                    json.get_named_property_unchecked("stringify")?;
                registry.stringify = Some(stringify.create_ref()?);
                stringify
            }
        };
        // SAFETY: the same handle, valid for this call's scope; only the lifetime is widened to
        // the stored function's argument type.
        let obj = unsafe { Object::from_napi_value(env.raw(), obj.raw()) }?;
        stringify.call(obj)
    };
    // JSON.stringify throws on a BigInt (a type JSON does not have: TypeError) or on a cycle
    // or a value too deep for its stack (a value that cannot be sent: RangeError, as the core
    // refuses values nested too deep). napi clears the exception and keeps its message.
    stringify().map(Some).map_err(|e| {
        let message = format!("{param} cannot be sent: {}", e.reason);
        if e.reason.contains("BigInt") {
            refuse(param, message)
        } else {
            Error::invalid_argument(Some(param), message)
        }
    })
}

/// Parameters from their JSON text, with stripe-node's meaning of `null` ([`Nulls::Unset`]):
/// it is sent as an empty string, which unsets (`{ metadata: null }` clears all metadata, as
/// `metadata: ''`). Runs where the call runs: on the JavaScript thread, or on libuv's pool.
pub(crate) fn params_value(text: Option<&str>) -> Result<serde_json::Value, Error> {
    let Some(text) = text else { return Ok(serde_json::Value::Null) };
    // Bounded (`nesting`): `Nulls::apply` and every conversion after it recurse per level.
    let mut value = stripe_identity::nesting::parse(text)
        .map_err(|e| Error::invalid_argument(Some("params"), format!("params cannot be sent: {e}")))?;
    Nulls::Unset.apply(&mut value);
    Ok(value)
}

/// Parsed JSON text as plain JavaScript values (`JSON.parse`).
pub(crate) fn parse_json<'env>(env: &'env Env, text: &str) -> napi::Result<Unknown<'env>> {
    json_parse(env)?.call(Text(text))
}

/// `JSON.parse`, looked up once for a caller that parses more than one text.
pub(crate) fn json_parse<'env>(
    env: &'env Env,
) -> napi::Result<Function<'env, Text<&'env str>, Unknown<'env>>> {
    let json: Object = env.get_global()?.get_named_property_unchecked("JSON")?;
    json.get_named_property_unchecked("parse")
}

/// Text handed to JavaScript as a string (owned or borrowed). Text that is all ASCII, as the
/// API's JSON nearly always is, is copied as Latin-1: V8 takes the bytes as they are, where
/// UTF-8 text goes through its decoder first.
pub(crate) struct Text<S>(pub(crate) S);

impl<S: AsRef<str>> ToNapiValue for Text<S> {
    unsafe fn to_napi_value(env: napi::sys::napi_env, val: Self) -> napi::Result<napi::sys::napi_value> {
        let text = val.0.as_ref();
        let mut value = std::ptr::null_mut();
        // SAFETY: `env` is the live environment napi-rs passes in, and the bytes are valid for
        // their length. ASCII is Latin-1; any other text is given as the UTF-8 it is.
        let status = unsafe {
            if text.is_ascii() {
                napi::sys::napi_create_string_latin1(
                    env,
                    text.as_ptr().cast(),
                    text.len() as isize,
                    &mut value,
                )
            } else {
                napi::sys::napi_create_string_utf8(env, text.as_ptr().cast(), text.len() as isize, &mut value)
            }
        };
        napi::check_status!(status, "could not make a JavaScript string of the text")?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn null_unsets_as_in_stripe_node() {
        let text = r#"{"metadata":{"a":null,"b":"1"},"options":{"document":null}}"#;
        assert_eq!(
            params_value(Some(text)).unwrap(),
            json!({"metadata": {"a": "", "b": "1"}, "options": {"document": ""}})
        );
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
