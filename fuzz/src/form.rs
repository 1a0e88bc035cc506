//! `form_decode`: the form decoder (`core/src/wire/decode.rs`) on any text, the body of a POST
//! or the query string of a GET as a client sent it.
//!
//! Checked beyond "no panic": a decoded tree, turned back into JSON and encoded by the client's
//! encoder, decodes to an equivalent tree (the decoder and the encoder agree on what every
//! parameter means), and a tight set of limits is honoured.

use identity::wire::{decode, encode, Limits, Node};
use serde_json::{Map, Value};

/// Limits small enough for inputs of a few hundred bytes to cross each of them.
const TIGHT: Limits = Limits { max_bytes: 256, max_pairs: 8, max_depth: 3 };

/// Limits that never refuse a re-encoded tree (which can be longer than its source).
const NONE: Limits = Limits { max_bytes: usize::MAX, max_pairs: usize::MAX, max_depth: usize::MAX };

/// Runs one input.
pub fn run(data: &[u8]) {
    let Ok(input) = std::str::from_utf8(data) else { return };
    if let Ok(tree) = decode(input, &TIGHT) {
        assert!(input.len() <= TIGHT.max_bytes, "the byte limit let {} bytes through", input.len());
        assert!(depth(&tree) <= TIGHT.max_depth, "the depth limit let {tree:?} through");
    }
    let Ok(tree) = decode(input, &Limits::default()) else { return };
    assert!(matches!(tree, Node::Map(_)), "the root is a map: {tree:?}");
    let again = encode(&to_json(&tree));
    let back = decode(&again, &NONE)
        .unwrap_or_else(|e| panic!("the re-encoding of {input:?} ({again:?}) does not decode: {e:?}"));
    assert!(tree.equivalent(&back), "{input:?} decoded to {tree:?}, its re-encoding {again:?} to {back:?}");
}

/// The JSON a binding would pass for these parameters.
fn to_json(node: &Node) -> Value {
    match node {
        Node::Str(s) => Value::String(s.clone()),
        Node::List(items) => Value::Array(items.iter().map(to_json).collect()),
        Node::Map(entries) => {
            Value::Object(entries.iter().map(|(k, v)| (k.clone(), to_json(v))).collect::<Map<_, _>>())
        }
    }
}

/// Levels of the tree, the root map included.
fn depth(node: &Node) -> usize {
    match node {
        Node::Str(_) => 0,
        Node::List(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Node::Map(entries) => 1 + entries.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
    }
}
