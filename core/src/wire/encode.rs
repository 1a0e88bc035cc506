//! Encoder: parameters as JSON into Stripe's form encoding, byte for byte what stripe-python
//! puts in a request body (see `STRIPE_API_FACTS.md` section 6).
//!
//! Rules: nested objects become `a[b][c]=v`, arrays are indexed (`expand[0]=x`), booleans are
//! `true`/`false`, numbers are printed as JSON prints them, `null`, empty arrays and empty objects
//! send nothing, and `""` sends `key=` (the API's "unset").

use serde_json::{Map, Value};

/// Room reserved up front: a typical create/update body fits, so the hot path allocates once.
pub(super) const INITIAL_CAPACITY: usize = 256;

/// Encodes a JSON object of parameters into `application/x-www-form-urlencoded` text.
///
/// Keys come out in the order of the object (sorted, with `serde_json`'s default map). Each key
/// segment and each value is escaped with [`form_urlencoded::byte_serialize`] (space becomes
/// `+`), while the brackets that join segments stay literal, as the SDKs send them.
///
/// Anything other than an object (a string, an array, `null`, …) has no parameter names to
/// give, so it encodes to the empty string.
///
/// Object keys are taken as they are: a key containing `[` or `]` is escaped (`%5B`, `%5D`) but
/// a server, which must accept escaped brackets, reads it as nesting, and the empty key gives
/// `=v` or `a[]=v`. Stripe forbids both in metadata, the only place callers choose keys.
///
/// # Example
///
/// ```
/// use stripe_identity::wire::encode;
/// use serde_json::json;
///
/// let body = encode(&json!({
///     "type": "document",
///     "options": {"document": {"allowed_types": ["passport"], "require_matching_selfie": true}},
///     "metadata": {"order id": "42", "old": ""},
///     "return_url": null,
/// }));
/// assert_eq!(
///     body,
///     "metadata[old]=&metadata[order+id]=42\
///      &options[document][allowed_types][0]=passport\
///      &options[document][require_matching_selfie]=true&type=document"
/// );
/// assert_eq!(encode(&json!("not an object")), "");
/// ```
#[must_use]
pub fn encode(params: &Value) -> String {
    let Value::Object(map) = params else {
        return String::new();
    };
    if map.is_empty() {
        return String::new();
    }
    let mut out = String::with_capacity(INITIAL_CAPACITY);
    // One buffer holds the escaped key of the current leaf; each level appends its segment and
    // truncates it again, so no key is built twice and no intermediate pairs are collected.
    let mut key = String::with_capacity(64);
    for (name, value) in map {
        key.clear();
        push_escaped(&mut key, name);
        encode_value(&mut out, &mut key, value);
    }
    out
}

fn encode_value(out: &mut String, key: &mut String, value: &Value) {
    match value {
        Value::Null => {}
        Value::Bool(b) => {
            start_pair(out, key);
            out.push_str(if *b { "true" } else { "false" });
        }
        Value::Number(n) => {
            start_pair(out, key);
            if let Some(n) = n.as_i64() {
                // Digits and `-` need no escaping; skip the temporary string.
                push_integer(out, n);
            } else if let Some(n) = n.as_u64() {
                push_integer(out, n);
            } else {
                // A float's text may hold `+` (exponents, arbitrary precision), which a form
                // decoder would read as a space.
                out.extend(form_urlencoded::byte_serialize(n.to_string().as_bytes()));
            }
        }
        Value::String(s) => {
            start_pair(out, key);
            push_escaped(out, s);
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                // Elements that send nothing keep their index free, as stripe-python does.
                in_index(key, i, |key| encode_value(out, key, item));
            }
        }
        Value::Object(members) => encode_object(out, key, members),
    }
}

fn encode_object(out: &mut String, key: &mut String, members: &Map<String, Value>) {
    for (name, value) in members {
        in_member(key, name, |key| encode_value(out, key, value));
    }
}

/// Runs `write` with the key of element `i` (`key[i]`), then gives the key back as it was.
/// One buffer holds the key of the current leaf for the whole walk (here and in
/// [`encode_direct`](super::encode_direct)).
pub(super) fn in_index(key: &mut String, i: usize, write: impl FnOnce(&mut String)) {
    let len = key.len();
    key.push('[');
    key.push_str(itoa::Buffer::new().format(i));
    key.push(']');
    write(key);
    key.truncate(len);
}

/// Runs `write` with the key of member `name` (`key[name]`, the name escaped), then gives the
/// key back as it was.
pub(super) fn in_member(key: &mut String, name: &str, write: impl FnOnce(&mut String)) {
    let len = key.len();
    key.push('[');
    push_escaped(key, name);
    key.push(']');
    write(key);
    key.truncate(len);
}

/// The bytes [`form_urlencoded::byte_serialize`] keeps as they are, as a table: one load per
/// byte rather than a chain of range checks.
const KEPT: [bool; 256] = {
    let mut kept = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        kept[b] = c.is_ascii_alphanumeric() || matches!(c, b'*' | b'-' | b'.' | b'_');
        b += 1;
    }
    kept
};

/// Appends `s` escaped as [`form_urlencoded::byte_serialize`] escapes it. Most names and
/// values hold only the bytes it keeps as they are, and copying those whole costs a fraction of
/// its byte-at-a-time iterator.
pub(super) fn push_escaped(out: &mut String, s: &str) {
    if s.bytes().all(|b| KEPT[usize::from(b)]) {
        out.push_str(s);
    } else {
        out.extend(form_urlencoded::byte_serialize(s.as_bytes()));
    }
}

/// Writes an integer value as `{n}` prints it (digits and `-` need no escaping).
pub(super) fn push_integer(out: &mut String, n: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(n));
}

/// Writes `&` (unless first), the key and `=`; the caller writes the escaped value.
pub(super) fn start_pair(out: &mut String, key: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    out.push_str(key);
    out.push('=');
}

#[cfg(test)]
mod tests {
    use super::encode;
    use serde_json::json;

    #[test]
    fn the_kept_bytes_are_those_byte_serialize_keeps() {
        for b in 0..=255u8 {
            let alone = [b];
            let escaped: String = form_urlencoded::byte_serialize(&alone).collect();
            assert_eq!(super::KEPT[usize::from(b)], escaped.as_bytes() == alone, "byte {b}");
        }
    }

    #[test]
    fn sdk_style_session_create() {
        let body = encode(&json!({
            "type": "document",
            "options": {"document": {
                "allowed_types": ["passport", "id_card"],
                "require_matching_selfie": true,
                "require_live_capture": false,
            }},
            "metadata": {"order": 42},
            "expand": ["last_verification_report"],
        }));
        assert_eq!(
            body,
            "expand[0]=last_verification_report&metadata[order]=42\
             &options[document][allowed_types][0]=passport\
             &options[document][allowed_types][1]=id_card\
             &options[document][require_live_capture]=false\
             &options[document][require_matching_selfie]=true&type=document"
        );
    }

    #[test]
    fn arrays_are_indexed_including_arrays_of_objects() {
        assert_eq!(encode(&json!({"expand": ["x", "y"]})), "expand[0]=x&expand[1]=y");
        assert_eq!(encode(&json!({"a": [{"b": "v"}, {"b": "w", "c": 1}]})), "a[0][b]=v&a[1][b]=w&a[1][c]=1");
        assert_eq!(encode(&json!({"a": [["x"], ["y", "z"]]})), "a[0][0]=x&a[1][0]=y&a[1][1]=z");
    }

    #[test]
    fn scalars() {
        assert_eq!(encode(&json!({"t": true, "f": false})), "f=false&t=true");
        assert_eq!(encode(&json!({"n": -7, "u": u64::MAX, "x": 1.5})), "n=-7&u=18446744073709551615&x=1.5");
        // A float whose JSON text holds `+` must not turn into a space on the other side.
        let big = encode(&json!({"x": 1e300}));
        assert!(!big.contains('+') || big.contains("%2B"), "{big}");
    }

    #[test]
    fn strings_are_escaped_with_plus_for_space() {
        assert_eq!(encode(&json!({"q": "a b&c=d+e%f[g]h/é"})), "q=a+b%26c%3Dd%2Be%25f%5Bg%5Dh%2F%C3%A9");
    }

    #[test]
    fn key_segments_are_escaped_but_brackets_between_them_stay() {
        assert_eq!(encode(&json!({"metadata": {"a&b=c d": "v"}})), "metadata[a%26b%3Dc+d]=v");
        assert_eq!(encode(&json!({"mé ta": {"k+": ["x"]}})), "m%C3%A9+ta[k%2B][0]=x");
    }

    #[test]
    fn null_empty_array_and_empty_object_send_nothing() {
        assert_eq!(encode(&json!({"a": null, "b": [], "c": {}, "d": {"e": null, "f": []}})), "");
        assert_eq!(encode(&json!({"a": null, "b": "x"})), "b=x");
        // A null element keeps its index free rather than shifting the rest.
        assert_eq!(encode(&json!({"a": [null, "x"]})), "a[1]=x");
    }

    #[test]
    fn empty_string_is_the_unset_value() {
        assert_eq!(encode(&json!({"metadata": ""})), "metadata=");
        assert_eq!(
            encode(&json!({"metadata": {"k": ""}, "options": {"document": ""}})),
            "metadata[k]=&options[document]="
        );
    }

    #[test]
    fn non_objects_encode_to_nothing() {
        for v in [json!(null), json!("x"), json!(1), json!(true), json!(["a"]), json!({})] {
            assert_eq!(encode(&v), "", "{v}");
        }
    }
}
