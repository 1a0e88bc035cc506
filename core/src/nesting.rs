//! How deep JSON may nest, in and out.
//!
//! Every conversion of a JSON value recurses once per level: a language's value into JSON,
//! typed decoding, form encoding, parsing an answer, turning it into the language's objects,
//! even dropping it. A value nested deep enough exhausts the stack of the thread doing it
//! (a Python thread made after `threading.stack_size(32 * 1024)` has 32 KiB), and that is a
//! crash, not an error. So this library converts nothing nested deeper than [`MAX_DEPTH`]:
//! parameters are refused with [`Error::InvalidArgument`] before anything is sent
//! ([`check`]), and answers are refused while they are parsed ([`parse`]), before any level
//! past the limit is entered.
//!
//! The API itself nests its parameters at most 4 levels and its answers about 6, so the limit
//! never stands in the way of a real call.

use crate::error::Error;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// The deepest nesting converted, counting the outermost object or array as level 1
/// (`{"options": {"document": {"allowed_types": ["passport"]}}}` is 4 deep).
pub const MAX_DEPTH: usize = 32;

/// Refuses parameters nested deeper than [`MAX_DEPTH`], naming the top-level parameter they are
/// under. It walks with a stack of its own, so it cannot overflow whatever the depth.
///
/// # Example
///
/// ```
/// use serde_json::json;
/// use stripe_identity::nesting::check;
///
/// assert!(check(&json!({"options": {"document": {"allowed_types": ["passport"]}}})).is_ok());
/// let mut deep = json!("x");
/// for _ in 0..40 {
///     deep = json!([deep]);
/// }
/// assert_eq!(check(&json!({ "metadata": deep })).unwrap_err().param(), Some("metadata"));
/// ```
pub fn check(params: &Value) -> Result<(), Error> {
    /// Only objects and arrays nest: scalars never go on the stack.
    fn nests(value: &Value) -> bool {
        matches!(value, Value::Object(_) | Value::Array(_))
    }
    if !nests(params) {
        return Ok(());
    }
    let mut pending: Vec<(&Value, usize, Option<&str>)> = vec![(params, 1, None)];
    while let Some((value, depth, top)) = pending.pop() {
        if depth > MAX_DEPTH {
            let message = format!("parameters are nested deeper than {MAX_DEPTH} levels");
            return Err(match top {
                Some(name) => Error::invalid_argument(Some(name), format!("{name}: {message}")),
                None => Error::invalid_argument(None, message),
            });
        }
        match value {
            Value::Object(map) => pending.extend(
                map.iter()
                    .filter(|(_, child)| nests(child))
                    .map(|(key, child)| (child, depth + 1, top.or(Some(key.as_str())))),
            ),
            Value::Array(items) => {
                pending.extend(items.iter().filter(|child| nests(child)).map(|child| (child, depth + 1, top)))
            }
            _ => {}
        }
    }
    Ok(())
}

/// Parses JSON text into a [`Value`], refusing it as soon as it nests deeper than
/// [`MAX_DEPTH`] (serde_json alone allows 128 levels, more than a small stack can take in the
/// parse and the conversions after it).
///
/// # Example
///
/// ```
/// use stripe_identity::nesting::parse;
///
/// assert_eq!(parse(r#"{"a": [1, {"b": null}]}"#).unwrap()["a"][1]["b"], serde_json::Value::Null);
/// let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
/// assert!(parse(&deep).unwrap_err().to_string().contains("nested deeper than 32 levels"));
/// ```
pub fn parse(text: &str) -> serde_json::Result<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Bounded { left: MAX_DEPTH }.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// serde_json's own `Value` visitor, but each level takes one from `left`, and a container
/// with none left is an error.
struct Bounded {
    left: usize,
}

impl Bounded {
    fn enter<E: serde::de::Error>(&self) -> Result<Bounded, E> {
        match self.left.checked_sub(1) {
            Some(left) => Ok(Bounded { left }),
            None => Err(E::custom(format!("the JSON is nested deeper than {MAX_DEPTH} levels"))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Bounded {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Bounded {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = self.enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(Bounded { left: inner.left })? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = self.enter()?;
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Bounded { left: inner.left })?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `{"a": {"a": ... {"a": "x"}}}` with `depth` objects in all, the outermost included.
    fn nested(depth: usize) -> Value {
        let mut v = json!("x");
        for _ in 0..depth {
            v = Value::Object(Map::from_iter([("a".to_string(), v)]));
        }
        v
    }

    #[test]
    fn parameters_nested_too_deep_are_refused_naming_the_parameter() {
        assert!(check(&nested(MAX_DEPTH)).is_ok());
        let e = check(&nested(MAX_DEPTH + 1)).unwrap_err();
        assert_eq!((e.kind(), e.param()), (crate::ErrorKind::InvalidArgument, Some("a")));
        assert!(e.message().contains(&MAX_DEPTH.to_string()), "{e}");
        // Lists count as levels too, and a list at the top has no parameter name.
        let mut v = json!("x");
        for _ in 0..MAX_DEPTH {
            v = Value::Array(vec![v]);
        }
        assert_eq!(check(&json!({ "expand": v.clone() })).unwrap_err().param(), Some("expand"));
        assert_eq!(check(&Value::Array(vec![v])).unwrap_err().param(), None);
    }

    #[test]
    fn a_value_far_deeper_than_any_stack_is_refused_without_recursing() {
        let mut v = json!("x");
        for _ in 0..200_000 {
            v = Value::Array(vec![v]);
        }
        let params = Value::Object(Map::from_iter([("options".to_string(), v)]));
        assert_eq!(check(&params).unwrap_err().param(), Some("options"));
        // Taken apart a level at a time: serde_json's own drop of such a value would recurse.
        let Value::Object(mut top) = params else { unreachable!() };
        let mut v = top.remove("options").unwrap();
        while let Value::Array(mut items) = v {
            v = items.pop().unwrap_or(Value::Null);
        }
    }

    #[test]
    fn parsing_gives_what_serde_json_gives_up_to_the_limit() {
        let text = r#"{"id":"vs_1","n":-5,"u":18446744073709551615,"f":1.5,"t":true,"z":null,
                       "s":"a\"b\u00e9","l":[1,[2,{"k":[]}]],"o":{}}"#;
        assert_eq!(parse(text).unwrap(), serde_json::from_str::<Value>(text).unwrap());
        let at_limit = nested(MAX_DEPTH).to_string();
        assert_eq!(parse(&at_limit).unwrap(), nested(MAX_DEPTH));
        let past = nested(MAX_DEPTH + 1).to_string();
        assert!(parse(&past).unwrap_err().to_string().contains("nested deeper than"));
        // Far past serde_json's own limit, and malformed text, are errors as before.
        let huge = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&huge).is_err());
        assert!(parse("{\"a\":").is_err());
        assert!(parse("{} trailing").is_err());
    }
}
