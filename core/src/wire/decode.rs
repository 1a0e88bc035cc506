//! Decoder: form-encoded text, as any Stripe SDK, `curl -d` or a query string sends it, into a
//! [`Node`] tree.
//!
//! What it accepts (see `STRIPE_API_FACTS.md` section 6):
//! - pairs split on `&`, empty pairs skipped; a pair without `=` has the empty value;
//! - `+` and `%20` are spaces; `%XX` escapes are decoded in keys and values, so `%5B`/`%5D`
//!   in a key are brackets like literal `[`/`]`; a `%` not followed by two hex digits is kept
//!   as it is (the WHATWG form rules);
//! - `a[b][c]=v` nests maps, `a[]=v` appends to a list, `a[0]=v` is a map keyed `"0"`;
//! - `a=` is `Str("")` (the API's unset); a repeated scalar `a=1&a=2` keeps the last value in
//!   the place of the first.
//!
//! `[]` followed by more segments follows Rack (the semantics of Stripe's curl examples,
//! `line_items[][price]=..&line_items[][quantity]=..`): `a[][b]..=v` writes into the list's last
//! element when that element is a map in which the named path after `[]` does not exist yet,
//! and appends a new map element otherwise. So `a[][b]=1&a[][c]=2&a[][b]=3` gives
//! `[{b:1, c:2}, {b:3}]`. A path holding another `[]` never counts as existing
//! (`a[][b][]=1&a[][b][]=2` gives `[{b:[1, 2]}]`), and `a[][]=v` always appends a new inner
//! list (`a[][]=1&a[][]=2` gives `[[1], [2]]`).
//!
//! Everything else is an `invalid_request_error`: a scalar, a map and a list under one name
//! (`a=1&a[b]=2`, `a[b]=1&a[]=2`, `a[b]=1&a=2`), a malformed name (`a[b`, `a]`, `[a]`, `=v`,
//! `a[b]c`, `a[[b]]`), escapes that decode to invalid UTF-8, and anything past [`Limits`].

use super::Node;
use crate::engine::errors::echo;
use crate::error::ErrorObject;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// Bounds on what the decoder accepts.
///
/// They keep a hostile body from costing more than linear time and memory, and `max_depth`
/// also bounds the recursion used to build the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input, in bytes.
    pub max_bytes: usize,
    /// Most `key=value` pairs.
    pub max_pairs: usize,
    /// Deepest bracket nesting (`a[b][c]` is depth 3).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_bytes: 1 << 20, max_pairs: 1024, max_depth: 10 }
    }
}

/// Every message the decoder answers with, kept together so the wording is easy to change.
/// Names from the request are quoted through [`echo`], so a message stays small.
mod msg {
    use crate::engine::errors::echo;

    pub(super) const BODY_TOO_LARGE: &str = "Request body too large";
    pub(super) const INVALID_UTF8: &str = "Invalid UTF-8 in parameters";

    pub(super) fn too_many_pairs(limit: usize) -> String {
        format!("Too many parameters (limit {limit})")
    }

    pub(super) fn too_deep(key: &str) -> String {
        format!("Parameter nesting too deep: {}", echo(key))
    }

    pub(super) fn malformed(key: &str) -> String {
        format!("Malformed parameter name: {}", echo(key))
    }

    /// `path` is used as a map but holds a scalar or a list, or holds a map and got a scalar.
    pub(super) fn invalid_hash(path: &str) -> String {
        format!("Invalid hash for parameter '{}'", echo(path))
    }

    /// `path` is appended to with `[]` but holds a scalar or a map, or holds a list and got a
    /// scalar.
    pub(super) fn invalid_array(path: &str) -> String {
        format!("Invalid array for parameter '{}'", echo(path))
    }
}

/// Decodes form-encoded text into a map [`Node`] (the rules are in the module docs).
///
/// # Errors
///
/// An `invalid_request_error` object without a `code` for a conflicting or malformed key,
/// invalid UTF-8 or a passed limit; `param` is the top-level name of the offending key when
/// there is one.
///
/// # Example
///
/// ```
/// use stripe_identity::wire::{decode, Limits, Node};
///
/// let params = decode(
///     "type=document&options%5Bdocument%5D%5Ballowed_types%5D%5B0%5D=passport\
///      &expand[]=last_verification_report&metadata[note]=two+words&metadata[old]=",
///     &Limits::default(),
/// )
/// .unwrap();
/// assert_eq!(params.get("type"), Some(&Node::Str("document".into())));
/// let types = params.get("options").and_then(|o| o.get("document")).and_then(|d| d.get("allowed_types"));
/// assert_eq!(types.and_then(Node::as_list), Some(vec![&Node::Str("passport".into())]));
/// assert_eq!(params.get("expand"), Some(&Node::List(vec![Node::Str("last_verification_report".into())])));
/// let metadata = params.get("metadata").unwrap();
/// assert_eq!(metadata.get("note").and_then(Node::as_str), Some("two words"));
/// assert!(metadata.get("old").is_some_and(Node::is_unset));
///
/// let err = decode("metadata=1&metadata[k]=v", &Limits::default()).unwrap_err();
/// assert_eq!(err.param.as_deref(), Some("metadata"));
/// ```
// The error is the wire error object itself, returned once per failed request: boxing it would
// only move the cost to every caller.
#[allow(clippy::result_large_err)]
pub fn decode(input: &str, limits: &Limits) -> Result<Node, ErrorObject> {
    if input.len() > limits.max_bytes {
        return Err(error(msg::BODY_TOO_LARGE, None));
    }
    let mut root = Entries::new();
    let mut indexes = Indexes::default();
    // Reused for every pair: the byte ranges of the current key's segments.
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut pairs = 0usize;
    // Pairs are found with a byte loop, not `split('&')`: its searcher costs more per call
    // than scanning the few bytes a pair has. `&` is ASCII, so every cut is a char boundary.
    let mut rest = input;
    while !rest.is_empty() {
        let end = rest.bytes().position(|b| b == b'&').unwrap_or(rest.len());
        let raw = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or_default();
        if raw.is_empty() {
            continue;
        }
        pairs += 1;
        if pairs > limits.max_pairs {
            return Err(error(msg::too_many_pairs(limits.max_pairs), None));
        }
        let Some((key, value)) = decode_pair(raw) else {
            return Err(error(msg::INVALID_UTF8, None));
        };
        if split_key(&key, &mut ranges).is_err() {
            return Err(error(msg::malformed(&key), top_level_name(&key)));
        }
        let path = Path { key: &key, ranges: &ranges };
        if ranges.len() > limits.max_depth {
            return Err(error(msg::too_deep(&key), Some(path.seg(0))));
        }
        if let Err((conflict, at)) = insert(&mut indexes, &mut root, path, value.into_owned()) {
            let shown = path.display(at);
            let message = match conflict {
                Conflict::Hash => msg::invalid_hash(&shown),
                Conflict::Array => msg::invalid_array(&shown),
            };
            return Err(error(message, Some(path.seg(0))));
        }
    }
    Ok(Node::Map(root))
}

fn error(message: impl Into<String>, param: Option<&str>) -> ErrorObject {
    ErrorObject::invalid_request(None, message, param.map(echo).as_deref())
}

/// Form-encoded bytes as text, as a body arrives over HTTP. Raw bytes that are not UTF-8 are
/// refused with the same error as an escape that decodes to invalid UTF-8 (`%FF`), never
/// replaced.
///
/// # Errors
///
/// An `invalid_request_error` object without `code` or `param` when `bytes` is not UTF-8.
///
/// # Example
///
/// ```
/// use stripe_identity::wire::{decode, form_text, Limits};
///
/// assert_eq!(form_text(b"metadata[name]=Jos\xc3\xa9").unwrap(), "metadata[name]=José");
/// let raw = form_text(b"metadata[name]=\xff").unwrap_err();
/// let escaped = decode("metadata[name]=%FF", &Limits::default()).unwrap_err();
/// assert_eq!(raw, escaped);
/// ```
#[allow(clippy::result_large_err)]
pub fn form_text(bytes: &[u8]) -> Result<&str, ErrorObject> {
    std::str::from_utf8(bytes).map_err(|_| error(msg::INVALID_UTF8, None))
}

/// Splits one non-empty, `&`-free pair at its first `=` and decodes both sides; `None` when
/// escapes decode to invalid UTF-8.
fn decode_pair(raw: &str) -> Option<(Cow<'_, str>, Cow<'_, str>)> {
    // One pass finds the `=` and whether anything needs decoding; searching for each of `%`,
    // `=` and `+` in turn cost several times more on pairs this short.
    let (mut eq, mut percent, mut plus) = (None, false, false);
    for (i, b) in raw.bytes().enumerate() {
        match b {
            b'=' if eq.is_none() => eq = Some(i),
            b'%' => percent = true,
            b'+' => plus = true,
            _ => {}
        }
    }
    if percent {
        // `raw` holds no `&`, so this yields exactly one pair.
        let (key, value) = form_urlencoded::parse(raw.as_bytes()).next()?;
        return (!introduced_replacement(raw, &key, &value)).then_some((key, value));
    }
    // Without `%`, decoding is only `+` to space. Most pairs are like that, and the crate's
    // byte-at-a-time decoder costs several times more than this for the same result.
    let (key, value) = match eq {
        Some(i) => (&raw[..i], &raw[i + 1..]),
        None => (raw, ""),
    };
    if !plus {
        return Some((Cow::Borrowed(key), Cow::Borrowed(value)));
    }
    Some((plus_to_space(key), plus_to_space(value)))
}

fn plus_to_space(s: &str) -> Cow<'_, str> {
    if s.contains('+') {
        Cow::Owned(s.replace('+', " "))
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether percent-decoding `raw` into `key`/`value` replaced invalid UTF-8 with U+FFFD:
/// `form_urlencoded::parse` is lossy and does not say. Every valid U+FFFD in the output came
/// from a literal U+FFFD or from `%EF%BF%BD` (any case) in the input, and each invalid sequence
/// adds at least one more, so comparing the counts is exact.
fn introduced_replacement(raw: &str, key: &str, value: &str) -> bool {
    const REPLACEMENT: char = char::REPLACEMENT_CHARACTER;
    const ESCAPED: &[u8] = b"%EF%BF%BD";
    let decoded = key.matches(REPLACEMENT).count() + value.matches(REPLACEMENT).count();
    if decoded == 0 {
        return false;
    }
    let literal = raw.matches(REPLACEMENT).count();
    // The pattern cannot overlap itself, so counting windows counts occurrences.
    let escaped = raw.as_bytes().windows(ESCAPED.len()).filter(|w| w.eq_ignore_ascii_case(ESCAPED)).count();
    decoded != literal + escaped
}

/// Splits a decoded key `name[s1][s2]…` into the byte ranges of `name`, `s1`, `s2`, … (an
/// empty range for `[]`). The name must be non-empty, and no bracket may appear anywhere but
/// as a pair around a segment.
fn split_key(key: &str, ranges: &mut Vec<Range<usize>>) -> Result<(), ()> {
    let bytes = key.as_bytes();
    let is_bracket = |b: &u8| *b == b'[' || *b == b']';
    ranges.clear();
    let name_end = bytes.iter().position(is_bracket).unwrap_or(bytes.len());
    if name_end == 0 {
        return Err(());
    }
    ranges.push(0..name_end);
    let mut i = name_end;
    while i < bytes.len() {
        if bytes[i] != b'[' {
            return Err(());
        }
        let start = i + 1;
        let end = match bytes[start..].iter().position(is_bracket) {
            Some(n) if bytes[start + n] == b']' => start + n,
            _ => return Err(()),
        };
        ranges.push(start..end);
        i = end + 1;
    }
    Ok(())
}

/// The name before the brackets of a malformed key, when it has a usable one.
fn top_level_name(key: &str) -> Option<&str> {
    let end = key.find(['[', ']']).unwrap_or(key.len());
    let name = &key[..end];
    (!name.is_empty() && !key[end..].starts_with(']')).then_some(name)
}

/// A well-formed key and the ranges of its segments; segment 0 is the name, `""` is `[]`.
#[derive(Clone, Copy)]
struct Path<'a> {
    key: &'a str,
    ranges: &'a [Range<usize>],
}

impl<'a> Path<'a> {
    fn len(&self) -> usize {
        self.ranges.len()
    }

    fn seg(&self, i: usize) -> &'a str {
        &self.key[self.ranges[i].clone()]
    }

    /// The key up to and including segment `i`, for messages (`a[][b]`).
    fn display(&self, i: usize) -> String {
        let mut shown = self.seg(0).to_owned();
        for j in 1..=i {
            shown.push('[');
            shown.push_str(self.seg(j));
            shown.push(']');
        }
        shown
    }
}

/// What the conflicting node was asked to be; the position of the node goes with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Conflict {
    Hash,
    Array,
}

/// A map under construction: the entries of a [`Node::Map`], built in place.
type Entries = Vec<(String, Node)>;

/// Maps with more entries than this get an index; below it a scan is cheaper than hashing.
const INDEX_AFTER: usize = 32;

/// Hash indexes of the maps past [`INDEX_AFTER`] entries, so that many keys under one parent
/// cost linear time in total. Kept beside the tree rather than in it, so the tree is built as
/// the [`Node`]s it returns, with no copy at the end: a map's index is found by the address of
/// its entries' buffer, which moves only when that map grows (and is re-keyed then; maps are
/// never dropped while decoding, so no address is reused under a stale index).
#[derive(Default)]
struct Indexes(HashMap<usize, HashMap<String, usize>>);

fn address(map: &Entries) -> usize {
    map.as_ptr() as usize
}

impl Indexes {
    fn find(&self, map: &Entries, key: &str) -> Option<usize> {
        if map.len() > INDEX_AFTER {
            self.0.get(&address(map)).and_then(|index| index.get(key)).copied()
        } else {
            // Backwards: SDKs send a parent's children together, so the hit is usually last.
            map.iter().rposition(|(k, _)| k == key)
        }
    }

    fn push(&mut self, map: &mut Entries, key: &str, value: Node) -> usize {
        let before = address(map);
        let i = map.len();
        map.push((key.to_owned(), value));
        if map.len() == INDEX_AFTER + 1 {
            let index = map.iter().enumerate().map(|(j, (k, _))| (k.clone(), j)).collect();
            self.0.insert(address(map), index);
        } else if map.len() > INDEX_AFTER + 1 {
            let after = address(map);
            if after != before {
                // The push moved the buffer: the index follows it.
                if let Some(index) = self.0.remove(&before) {
                    self.0.insert(after, index);
                }
            }
            if let Some(index) = self.0.get_mut(&after) {
                index.insert(key.to_owned(), i);
            }
        }
        i
    }

    /// The child `key` as a map, created if missing; `None` if it is something else.
    fn child_map<'m>(&mut self, map: &'m mut Entries, key: &str) -> Option<&'m mut Entries> {
        let i = match self.find(map, key) {
            Some(i) => i,
            None => self.push(map, key, Node::Map(Vec::new())),
        };
        match &mut map[i].1 {
            Node::Map(m) => Some(m),
            _ => None,
        }
    }

    /// The child `key` as a list, created if missing; `None` if it is something else.
    fn child_list<'m>(&mut self, map: &'m mut Entries, key: &str) -> Option<&'m mut Vec<Node>> {
        let i = match self.find(map, key) {
            Some(i) => i,
            None => self.push(map, key, Node::List(Vec::new())),
        };
        match &mut map[i].1 {
            Node::List(l) => Some(l),
            _ => None,
        }
    }

    /// Sets the scalar `key`; a repeated scalar keeps the last value.
    fn set_leaf(&mut self, map: &mut Entries, key: &str, value: String) -> Result<(), Conflict> {
        let Some(i) = self.find(map, key) else {
            self.push(map, key, Node::Str(value));
            return Ok(());
        };
        match &mut map[i].1 {
            Node::Str(s) => {
                *s = value;
                Ok(())
            }
            Node::Map(_) => Err(Conflict::Hash),
            Node::List(_) => Err(Conflict::Array),
        }
    }

    /// Whether every segment of `path` from `from` on exists under `map` (Rack's
    /// `params_hash_has_key?`); a path with a `[]` in it never exists.
    fn has_path(&self, map: &Entries, path: Path<'_>, from: usize) -> bool {
        if (from..path.len()).any(|j| path.seg(j).is_empty()) {
            return false;
        }
        let mut map = map;
        for j in from..path.len() {
            let Some(i) = self.find(map, path.seg(j)) else {
                return false;
            };
            match &map[i].1 {
                _ if j + 1 == path.len() => return true,
                Node::Map(child) => map = child,
                _ => return false,
            }
        }
        true
    }
}

/// Puts `value` at `path` under `root`. On a conflict, says what the node at segment `at` was
/// asked to be. Iterative, so only `Limits::max_depth` bounds the depth.
fn insert(
    indexes: &mut Indexes,
    root: &mut Entries,
    path: Path<'_>,
    value: String,
) -> Result<(), (Conflict, usize)> {
    let mut map = root;
    // Invariant: segment `i` is a name to look up in `map`.
    let mut i = 0;
    loop {
        let key = path.seg(i);
        if i + 1 == path.len() {
            return indexes.set_leaf(map, key, value).map_err(|c| (c, i));
        }
        if !path.seg(i + 1).is_empty() {
            map = indexes.child_map(map, key).ok_or((Conflict::Hash, i))?;
            i += 1;
            continue;
        }
        let mut list = indexes.child_list(map, key).ok_or((Conflict::Array, i))?;
        // Segment `i` is now a `[]` appending to `list`.
        i += 1;
        loop {
            if i + 1 == path.len() {
                list.push(Node::Str(value));
                return Ok(());
            }
            if path.seg(i + 1).is_empty() {
                // `[][]`: as in Rack, an inner list never takes values from later pairs.
                list.push(Node::List(Vec::new()));
                list = match list.last_mut() {
                    Some(Node::List(inner)) => inner,
                    _ => unreachable!("a list was just pushed"),
                };
                i += 1;
                continue;
            }
            let fill_last =
                matches!(list.last(), Some(Node::Map(prev)) if !indexes.has_path(prev, path, i + 1));
            if !fill_last {
                list.push(Node::Map(Vec::new()));
            }
            map = match list.last_mut() {
                Some(Node::Map(elem)) => elem,
                _ => unreachable!("the last element is a map"),
            };
            i += 1;
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Node {
        Node::Str(v.into())
    }

    fn map(entries: &[(&str, Node)]) -> Node {
        Node::Map(entries.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect())
    }

    fn list(items: &[Node]) -> Node {
        Node::List(items.to_vec())
    }

    fn ok(input: &str) -> Node {
        decode(input, &Limits::default()).unwrap_or_else(|e| panic!("{input}: {e:?}"))
    }

    /// Asserts the error's message and param, and that it is a code-less invalid request.
    fn err(input: &str, limits: &Limits, message: &str, param: Option<&str>) {
        let e = decode(input, limits).expect_err(input);
        assert_eq!(e.error_type, "invalid_request_error", "{input}");
        assert_eq!(e.code, None, "{input}");
        assert_eq!(e.doc_url, None, "{input}");
        assert_eq!(e.message.as_deref(), Some(message), "{input}");
        assert_eq!(e.param.as_deref(), param, "{input}");
    }

    fn err_default(input: &str, message: &str, param: Option<&str>) {
        err(input, &Limits::default(), message, param);
    }

    #[test]
    fn default_limits() {
        assert_eq!(Limits::default(), Limits { max_bytes: 1 << 20, max_pairs: 1024, max_depth: 10 });
    }

    #[test]
    fn sdk_style_body() {
        let got = ok("type=document&options[document][allowed_types][0]=passport\
             &options[document][require_matching_selfie]=true&metadata[order]=42\
             &expand[0]=last_verification_report");
        let want = map(&[
            ("type", s("document")),
            (
                "options",
                map(&[(
                    "document",
                    map(&[
                        ("allowed_types", map(&[("0", s("passport"))])),
                        ("require_matching_selfie", s("true")),
                    ]),
                )]),
            ),
            ("metadata", map(&[("order", s("42"))])),
            ("expand", map(&[("0", s("last_verification_report"))])),
        ]);
        assert_eq!(got, want);
        let types = got.get("options").and_then(|o| o.get("document")).and_then(|d| d.get("allowed_types"));
        assert_eq!(types.and_then(Node::as_list), Some(vec![&s("passport")]));
    }

    #[test]
    fn python_requests_query_string_with_escaped_brackets() {
        let got = ok("expand%5B0%5D=last_verification_report&limit=3\
             &options%5Bdocument%5D%5Ballowed_types%5D%5B0%5D=passport&created%5bgte%5d=1");
        let want = map(&[
            ("expand", map(&[("0", s("last_verification_report"))])),
            ("limit", s("3")),
            ("options", map(&[("document", map(&[("allowed_types", map(&[("0", s("passport"))]))]))])),
            ("created", map(&[("gte", s("1"))])),
        ]);
        assert_eq!(got, want);
        // Literal and escaped brackets mix freely.
        assert_eq!(ok("a%5Bb]=1&a[c%5D=2"), map(&[("a", map(&[("b", s("1")), ("c", s("2"))]))]));
    }

    #[test]
    fn curl_style_appended_list() {
        assert_eq!(ok("expand[]=a&expand[]=b"), map(&[("expand", list(&[s("a"), s("b")]))]));
        assert_eq!(ok("expand%5B%5D=a&expand[]="), map(&[("expand", list(&[s("a"), s("")]))]));
    }

    #[test]
    fn indexed_list_is_a_map_read_by_as_list() {
        let got = ok("a[1]=y&a[0]=x");
        assert_eq!(got, map(&[("a", map(&[("1", s("y")), ("0", s("x"))]))]));
        assert_eq!(got.get("a").and_then(Node::as_list), Some(vec![&s("x"), &s("y")]));
        assert_eq!(
            ok("a[0][b]=1&a[1][b]=2"),
            map(&[("a", map(&[("0", map(&[("b", s("1"))])), ("1", map(&[("b", s("2"))]))]))])
        );
    }

    #[test]
    fn spaces_and_escapes() {
        assert_eq!(ok("a=x+y%20z&b%20c+d=1"), map(&[("a", s("x y z")), ("b c d", s("1"))]));
        assert_eq!(ok("a=%2B%26%3D%25%5B%5D"), map(&[("a", s("+&=%[]"))]));
        assert_eq!(ok("metadata[a%26b%3Dc+d]=v"), map(&[("metadata", map(&[("a&b=c d", s("v"))]))]));
        assert_eq!(ok("a=%C3%A9%e2%82%ac"), map(&[("a", s("é€"))]));
        // Only the first `=` separates; a stray `%` stays as it is (WHATWG).
        assert_eq!(ok("a=b=c&p=100%&q=%zz%4"), map(&[("a", s("b=c")), ("p", s("100%")), ("q", s("%zz%4"))]));
        // Unescaped non-ASCII passes through.
        assert_eq!(ok("nom=Zoë 😀"), map(&[("nom", s("Zoë 😀"))]));
    }

    #[test]
    fn unset_and_valueless_keys() {
        assert_eq!(ok("metadata="), map(&[("metadata", s(""))]));
        assert_eq!(
            ok("metadata[k]=&options[document]="),
            map(&[("metadata", map(&[("k", s(""))])), ("options", map(&[("document", s(""))]))])
        );
        assert_eq!(ok("a&b=1"), map(&[("a", s("")), ("b", s("1"))]));
        assert_eq!(ok("a[b]"), map(&[("a", map(&[("b", s(""))]))]));
        assert!(ok("metadata=").get("metadata").is_some_and(Node::is_unset));
    }

    #[test]
    fn empty_pairs_and_empty_input() {
        assert_eq!(ok(""), Node::empty());
        assert_eq!(ok("&&&"), Node::empty());
        assert_eq!(ok("&&a=1&&b=2&"), map(&[("a", s("1")), ("b", s("2"))]));
    }

    #[test]
    fn repeated_scalar_keeps_last_value_in_first_place() {
        assert_eq!(ok("a=1&b=2&a=3"), map(&[("a", s("3")), ("b", s("2"))]));
        assert_eq!(ok("m[k]=1&m[k]="), map(&[("m", map(&[("k", s(""))]))]));
    }

    #[test]
    fn list_of_maps_follows_rack() {
        // A name already present in the last element starts a new element.
        assert_eq!(
            ok("a[][b]=1&a[][c]=2&a[][b]=3"),
            map(&[("a", list(&[map(&[("b", s("1")), ("c", s("2"))]), map(&[("b", s("3"))])]))])
        );
        // Deeper paths merge into the same element until the full path repeats.
        assert_eq!(
            ok("line_items[][price_data][currency]=usd&line_items[][price_data][unit_amount]=100\
                &line_items[][quantity]=2&line_items[][price_data][currency]=eur"),
            map(&[(
                "line_items",
                list(&[
                    map(&[
                        ("price_data", map(&[("currency", s("usd")), ("unit_amount", s("100"))])),
                        ("quantity", s("2")),
                    ]),
                    map(&[("price_data", map(&[("currency", s("eur"))]))]),
                ])
            )])
        );
        // A path with another `[]` in it never exists, so it fills the last element.
        assert_eq!(
            ok("a[][b][]=1&a[][b][]=2"),
            map(&[("a", list(&[map(&[("b", list(&[s("1"), s("2")]))])]))])
        );
        // `[][]` always appends a new inner list.
        assert_eq!(ok("a[][]=1&a[][]=2"), map(&[("a", list(&[list(&[s("1")]), list(&[s("2")])]))]));
        // A scalar last element is never filled.
        assert_eq!(ok("a[]=1&a[][b]=2"), map(&[("a", list(&[s("1"), map(&[("b", s("2"))])]))]));
        // A repeated full path that ends in a map starts a new element too.
        assert_eq!(
            ok("a[][b][c]=1&a[][b]=2"),
            map(&[("a", list(&[map(&[("b", map(&[("c", s("1"))]))]), map(&[("b", s("2"))])]))])
        );
    }

    #[test]
    fn conflicting_shapes_are_errors() {
        err_default("a=1&a[b]=2", "Invalid hash for parameter 'a'", Some("a"));
        err_default("a[b]=1&a=2", "Invalid hash for parameter 'a'", Some("a"));
        err_default("a[]=1&a[b]=2", "Invalid hash for parameter 'a'", Some("a"));
        err_default("a[b]=1&a[]=2", "Invalid array for parameter 'a'", Some("a"));
        err_default("a=1&a[]=2", "Invalid array for parameter 'a'", Some("a"));
        err_default("a[]=1&a=2", "Invalid array for parameter 'a'", Some("a"));
        err_default("a[0]=x&a[]=y", "Invalid array for parameter 'a'", Some("a"));
        err_default("a=&a[b]=2", "Invalid hash for parameter 'a'", Some("a"));
        err_default("a[b]=1&a[b][c]=2", "Invalid hash for parameter 'a[b]'", Some("a"));
        err_default("a[b][c]=1&a[b]=2", "Invalid hash for parameter 'a[b]'", Some("a"));
        err_default("a[b][]=1&a[b]=2", "Invalid array for parameter 'a[b]'", Some("a"));
        // Inside a list element (the path exists only partly, so the last element is filled).
        err_default("a[][b]=1&a[][b][c]=2", "Invalid hash for parameter 'a[][b]'", Some("a"));
        err_default("a[][b]=1&a[][b][]=2", "Invalid array for parameter 'a[][b]'", Some("a"));
    }

    #[test]
    fn malformed_names_are_errors() {
        err_default("a[b=1", "Malformed parameter name: a[b", Some("a"));
        err_default("a]=1", "Malformed parameter name: a]", None);
        err_default("[a]=1", "Malformed parameter name: [a]", None);
        err_default("=v", "Malformed parameter name: ", None);
        err_default("=", "Malformed parameter name: ", None);
        err_default("a[b]c=1", "Malformed parameter name: a[b]c", Some("a"));
        err_default("a[[b]]=1", "Malformed parameter name: a[[b]]", Some("a"));
        err_default("a[b]]=1", "Malformed parameter name: a[b]]", Some("a"));
        err_default("a[b][=1", "Malformed parameter name: a[b][", Some("a"));
        err_default("a[", "Malformed parameter name: a[", Some("a"));
        // Escaped brackets are brackets, so they are checked the same way.
        err_default("%5Ba%5D=1", "Malformed parameter name: [a]", None);
        err_default("ok=1&a%5Bb=1", "Malformed parameter name: a[b", Some("a"));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        for input in
            ["a=%FF", "%C3=1", "a=%C3%28", "a=%E2%82", "a[%FF]=1", "a=\u{FFFD}%FF", "a=%EF%BF%BD%ED%A0%80"]
        {
            err_default(input, "Invalid UTF-8 in parameters", None);
        }
    }

    #[test]
    fn replacement_characters_that_were_sent_are_kept() {
        assert_eq!(ok("a=%EF%BF%BD&b=%ef%bf%bd"), map(&[("a", s("\u{FFFD}")), ("b", s("\u{FFFD}"))]));
        assert_eq!(ok("a=\u{FFFD}%20\u{FFFD}"), map(&[("a", s("\u{FFFD} \u{FFFD}"))]));
        assert_eq!(ok("%EF%BF%BD=\u{FFFD}"), map(&[("\u{FFFD}", s("\u{FFFD}"))]));
    }

    #[test]
    fn byte_limit() {
        let limits = Limits { max_bytes: 7, ..Limits::default() };
        assert!(decode("abc=123", &limits).is_ok());
        err("abc=1234", &limits, "Request body too large", None);
    }

    #[test]
    fn pair_limit_counts_non_empty_pairs() {
        let limits = Limits { max_pairs: 3, ..Limits::default() };
        assert!(decode("a=1&&b=2&c=3&", &limits).is_ok());
        err("a=1&b=2&c=3&d", &limits, "Too many parameters (limit 3)", None);
        let body: String = (0..1025).map(|i| format!("k{i}=v&")).collect();
        err_default(&body, "Too many parameters (limit 1024)", None);
    }

    #[test]
    fn depth_limit_counts_segments() {
        let limits = Limits { max_depth: 3, ..Limits::default() };
        assert!(decode("a[b][c]=1&x[]=1&y[][]=2", &limits).is_ok());
        err("a[b][c][d]=1", &limits, "Parameter nesting too deep: a[b][c][d]", Some("a"));
        err("a[][][]=1", &limits, "Parameter nesting too deep: a[][][]", Some("a"));
        let deep = format!("a{}=1", "[b]".repeat(10));
        err_default(&deep, &format!("Parameter nesting too deep: {}", &deep[..deep.len() - 2]), Some("a"));
        assert!(decode(&format!("a{}=1", "[b]".repeat(9)), &Limits::default()).is_ok());
    }

    #[test]
    fn many_children_under_one_parent() {
        let n = 1000;
        let mut body: String = (0..n).map(|i| format!("metadata[key_{i}]={i}&")).collect();
        // Rewrites after the map is indexed keep their place.
        body.push_str("metadata[key_0]=first&metadata[key_999]=last");
        let got = decode(&body, &Limits { max_pairs: 2000, ..Limits::default() }).unwrap();
        let entries = got.get("metadata").unwrap().entries();
        assert_eq!(entries.len(), n);
        assert_eq!(entries[0], ("key_0".into(), s("first")));
        assert_eq!(entries[500], ("key_500".into(), s("500")));
        assert_eq!(entries[999], ("key_999".into(), s("last")));
        err(
            &format!("{body}&metadata[key_7][x]=1"),
            &Limits { max_pairs: 2000, ..Limits::default() },
            "Invalid hash for parameter 'metadata[key_7]'",
            Some("metadata"),
        );
    }

    #[test]
    fn an_indexed_map_inside_a_list_is_looked_up_through_its_index() {
        // 40 keys in the list's first map, so it is indexed; `k_5` exists there, so the next
        // `a[][k_5]` starts a second element (Rack), and `a[][new]` fills that one.
        let mut body: String = (0..40).map(|i| format!("a[][k_{i}]={i}&")).collect();
        body.push_str("a[][k_5]=again&a[][new]=x");
        let got = ok(&body);
        let items = got.get("a").and_then(Node::as_list).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].entries().len(), 40);
        assert_eq!(items[0].get("k_39"), Some(&s("39")));
        assert_eq!(items[1], &map(&[("k_5", s("again")), ("new", s("x"))]));
    }

    proptest::proptest! {
        /// The fast path for pairs without `%` agrees with the crate's decoder.
        #[test]
        fn decode_pair_agrees_with_form_urlencoded(raw in "[^&%]{1,24}|[a-z=+%]{1,24}") {
            let (key, value) = form_urlencoded::parse(raw.as_bytes()).next().unwrap();
            if !introduced_replacement(&raw, &key, &value) {
                proptest::prop_assert_eq!(decode_pair(&raw), Some((key, value)));
            } else {
                proptest::prop_assert_eq!(decode_pair(&raw), None);
            }
        }
    }

    #[test]
    fn split_key_ranges() {
        let mut ranges = Vec::new();
        assert!(split_key("a[b][][c d]", &mut ranges).is_ok());
        assert_eq!(ranges, vec![0..1, 2..3, 5..5, 7..10]);
        for bad in ["", "[", "]", "a]", "a[", "a[b]c", "a[b]]", "a[[b]]", "[a]", "a][b]"] {
            assert!(split_key(bad, &mut ranges).is_err(), "{bad}");
        }
    }
}
