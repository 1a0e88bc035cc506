//! Property tests for the wire module: whatever the encoder sends, the decoder reads back as
//! the tree the parameters describe, and the decoder never panics on any input.

use proptest::prelude::*;
use serde_json::{Map, Value};
use stripe_identity::wire::{decode, encode, Limits, Node};

/// The tree a server must see for `value`, or `None` when the encoder sends nothing for it
/// (`null`, an empty array or object, or one whose members all send nothing).
fn expected(value: &Value) -> Option<Node> {
    match value {
        Value::Null => None,
        Value::Bool(b) => Some(Node::Str(b.to_string())),
        Value::Number(n) => Some(Node::Str(n.to_string())),
        Value::String(s) => Some(Node::Str(s.clone())),
        Value::Array(items) => {
            let entries: Vec<_> = items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| expected(item).map(|node| (i.to_string(), node)))
                .collect();
            (!entries.is_empty()).then_some(Node::Map(entries))
        }
        Value::Object(members) => {
            let entries = expected_entries(members);
            (!entries.is_empty()).then_some(Node::Map(entries))
        }
    }
}

fn expected_entries(members: &Map<String, Value>) -> Vec<(String, Node)> {
    members.iter().filter_map(|(k, v)| expected(v).map(|node| (k.clone(), node))).collect()
}

/// Any non-empty key without brackets (Stripe forbids them in metadata keys).
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        "[^\\[\\]]{1,8}",
        "[a-z_ &=+%#?/;:,.*~\u{e9}\u{20ac}\u{1f600}\u{fffd}]{1,8}",
        Just("0".to_owned()),
        Just("1".to_owned()),
    ]
}

/// Strings that stress escaping: arbitrary unicode, the characters the form syntax uses, and "".
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z&=+%\\[\\] \u{e9}\u{fffd}\u{1f600}\n\t]{0,16}",
        "(%[0-9A-Fa-f]{2}|%|\\+|&|=)*",
        Just(String::new()),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => text().prop_map(Value::String),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<u64>().prop_map(Value::from),
        1 => any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        1 => Just(Value::Null),
    ]
}

/// Values nested up to four levels: objects, arrays of scalars, arrays of objects.
fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner.clone(), 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            prop::collection::vec(
                prop::collection::btree_map(key(), inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                0..4
            )
            .prop_map(Value::Array),
        ]
    })
}

/// A parameter set: a top-level object.
fn params() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(key(), value(), 0..8).prop_map(|m| m.into_iter().collect())
}

/// Generated sets stay far below the default byte limit but may pass the pair and depth limits
/// (an array of objects nests two segments per level).
fn roomy() -> Limits {
    Limits { max_pairs: usize::MAX, max_depth: 64, ..Limits::default() }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_reads_back_what_encode_sends(members in params()) {
        let want = Node::Map(expected_entries(&members));
        let body = encode(&Value::Object(members));
        let got = decode(&body, &roomy());
        prop_assert_eq!(got, Ok(want), "body: {}", body);
    }

    #[test]
    fn encoded_bodies_are_plain_ascii_pairs(members in params()) {
        let body = encode(&Value::Object(members));
        prop_assert!(body.bytes().all(|b| b.is_ascii_alphanumeric() || b"%+&=[]*-._".contains(&b)), "body: {}", body);
        prop_assert!(!body.starts_with('&') && !body.ends_with('&') && !body.contains("&&"), "body: {}", body);
    }

    #[test]
    fn non_objects_encode_to_nothing(v in scalar(), items in prop::collection::vec(scalar(), 0..4)) {
        prop_assert_eq!(encode(&v), "");
        prop_assert_eq!(encode(&Value::Array(items)), "");
    }

    #[test]
    fn decode_never_panics_on_any_string(input in any::<String>()) {
        let _ = decode(&input, &Limits::default());
    }

    #[test]
    fn decode_never_panics_on_form_like_strings(
        input in "([a-c0-9 +&=\\[\\]%\u{e9}\u{fffd}]|%5[BbDd]|%[0-9A-Fa-f]{2}|\\[\\]){0,48}",
        max_pairs in 0usize..6,
        max_depth in 0usize..5,
    ) {
        let limits = Limits { max_bytes: 64, max_pairs, max_depth };
        match decode(&input, &limits) {
            Ok(Node::Map(_)) => {}
            Ok(other) => prop_assert!(false, "root is not a map: {:?}", other),
            Err(e) => {
                prop_assert_eq!(e.error_type, "invalid_request_error");
                prop_assert!(e.message.is_some());
            }
        }
    }
}
