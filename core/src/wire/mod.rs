//! Stripe's form encoding: one encoder (what this library sends) and one decoder (what the
//! simulator and `identity-mock` accept from any client).
//!
//! The decoder produces a [`Node`] tree without knowing any schema: `a[b]=1` is a map, `a[]=x`
//! a list, `a[0]=x` a map keyed `"0"` (only the operation's schema knows whether `metadata[0]`
//! is a key or an index; [`Node::as_list`] reads such a map as a list where a list is wanted).

mod decode;
mod direct;
mod encode;

pub use decode::{decode, form_text, Limits};
pub(crate) use direct::encode_direct;
pub use encode::encode;

/// One decoded parameter value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// A scalar. The empty string is the API's "unset" (`metadata[k]=`, `metadata=`).
    Str(String),
    /// Children from `key[child]=`, in the order first seen.
    Map(Vec<(String, Node)>),
    /// Values appended with `key[]=`.
    List(Vec<Node>),
}

impl Node {
    /// An empty map, the root of an empty parameter set.
    pub fn empty() -> Node {
        Node::Map(Vec::new())
    }

    /// The child of a map under `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The child of a map under `key`, to change (the simulator moves strings out of a
    /// request's parameters once nothing will read them again).
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        match self {
            Node::Map(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entries of a map (empty for anything else).
    pub fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The scalar, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is the empty scalar, the API's "unset".
    pub fn is_unset(&self) -> bool {
        matches!(self, Node::Str(s) if s.is_empty())
    }

    /// Whether two trees carry the same parameters, whatever the order of map keys (lists keep
    /// their order). Idempotency compares requests this way.
    pub fn equivalent(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::Str(a), Node::Str(b)) => a == b,
            // `key[]=` and `key[N]=` spell the same list.
            (Node::List(_), _) | (_, Node::List(_)) => match (self.as_list(), other.as_list()) {
                (Some(a), Some(b)) => a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.equivalent(y)),
                _ => false,
            },
            (Node::Map(a), Node::Map(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| other.get(k).is_some_and(|w| v.equivalent(w)))
            }
            _ => false,
        }
    }

    /// Reads a list: `key[]=` values as they came, or `key[N]=` values ordered by index.
    /// `None` when this is a scalar or a map with a key that is not an index.
    pub fn as_list(&self) -> Option<Vec<&Node>> {
        match self {
            Node::List(items) => Some(items.iter().collect()),
            Node::Map(entries) => {
                let mut indexed = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let i: usize = k.parse().ok().filter(|_| !k.starts_with('+'))?;
                    indexed.push((i, v));
                }
                indexed.sort_by_key(|(i, _)| *i);
                Some(indexed.into_iter().map(|(_, v)| v).collect())
            }
            Node::Str(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equivalence_ignores_map_order_but_not_list_order() {
        let a =
            decode("type=document&metadata[a]=1&metadata[b]=2&expand[0]=x&expand[1]=y", &Limits::default())
                .unwrap();
        let b =
            decode("expand[0]=x&expand[1]=y&metadata[b]=2&metadata[a]=1&type=document", &Limits::default())
                .unwrap();
        let c =
            decode("type=document&metadata[a]=1&metadata[b]=2&expand[0]=y&expand[1]=x", &Limits::default())
                .unwrap();
        assert!(a.equivalent(&b));
        assert!(!a.equivalent(&c));
        assert!(!a.equivalent(&Node::empty()));
        let d = decode("type=document&metadata[b]=2&metadata[a]=1&expand[]=x&expand[]=y", &Limits::default())
            .unwrap();
        assert!(a.equivalent(&d) && d.equivalent(&a));
    }
}
