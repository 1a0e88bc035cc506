//! The one walk that checks a decoded [`Node`] tree against an operation's parameters (the
//! tables are the API's description, [`crate::api::params`]): unknown names first (all of
//! them, as the API lists them), then each value's type in order.

use super::errors::{self, Failure};
pub use crate::api::params::{Params, Schema, METADATA_MAX_KEY, METADATA_MAX_KEYS, METADATA_MAX_VALUE};
use crate::wire::Node;

/// Checks a decoded parameter tree against an operation's schema.
pub fn check(root: &Node, fields: Params) -> Result<(), Failure> {
    let mut unknown = Vec::new();
    collect_unknown(root, fields, "", &mut unknown);
    if !unknown.is_empty() {
        return Err(errors::unknown_parameters(&unknown));
    }
    if !matches!(root, Node::Map(_)) {
        return Err(errors::invalid_shape("", "hash"));
    }
    for (key, value) in root.entries() {
        if let Some((_, schema)) = fields.iter().find(|(k, _)| k == key) {
            check_value(value, schema, key)?;
        }
    }
    Ok(())
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}[{key}]")
    }
}

fn collect_unknown(node: &Node, fields: &[(&str, Schema)], prefix: &str, out: &mut Vec<String>) {
    for (key, value) in node.entries() {
        match fields.iter().find(|(k, _)| k == key) {
            None => out.push(join(prefix, key)),
            // Only objects have names inside to check: a scalar's path is never built.
            Some((_, schema)) if has_fields(schema) => {
                collect_unknown_in(value, schema, &join(prefix, key), out)
            }
            Some(_) => {}
        }
    }
}

fn has_fields(schema: &Schema) -> bool {
    match schema {
        Schema::Object(_) => true,
        Schema::Emptyable(inner) => has_fields(inner),
        _ => false,
    }
}

fn collect_unknown_in(node: &Node, schema: &Schema, path: &str, out: &mut Vec<String>) {
    match schema {
        Schema::Object(fields) => collect_unknown(node, fields, path, out),
        Schema::Emptyable(inner) => collect_unknown_in(node, inner, path, out),
        _ => {}
    }
}

fn check_value(node: &Node, schema: &Schema, path: &str) -> Result<(), Failure> {
    match schema {
        Schema::Emptyable(inner) => {
            if node.is_unset() {
                Ok(())
            } else {
                check_value(node, inner, path)
            }
        }
        Schema::Str(max) => {
            let s = scalar(node, path)?;
            if s.is_empty() {
                Err(errors::invalid_empty(path))
            } else if s.chars().count() > *max {
                Err(errors::too_long(path, *max))
            } else {
                Ok(())
            }
        }
        Schema::Bool => match scalar(node, path)? {
            "" => Err(errors::invalid_empty(path)),
            "true" | "false" => Ok(()),
            other => Err(errors::invalid_boolean(path, other)),
        },
        Schema::Int => integer(node, path).map(|_| ()),
        Schema::Enum(allowed) => match scalar(node, path)? {
            "" => Err(errors::invalid_empty(path)),
            s if allowed.contains(&s) => Ok(()),
            _ => Err(errors::invalid_enum(path, allowed)),
        },
        Schema::Object(fields) => {
            if node.is_unset() {
                return Err(errors::invalid_empty(path));
            }
            if !matches!(node, Node::Map(_)) {
                return Err(errors::invalid_shape(path, "hash"));
            }
            for (key, value) in node.entries() {
                if let Some((_, schema)) = fields.iter().find(|(k, _)| k == key) {
                    check_value(value, schema, &join(path, key))?;
                }
            }
            Ok(())
        }
        Schema::List(inner) => {
            let items = node.as_list().ok_or_else(|| errors::invalid_shape(path, "array"))?;
            for (i, item) in items.into_iter().enumerate() {
                check_value(item, inner, &format!("{path}[{i}]"))?;
            }
            Ok(())
        }
        Schema::Metadata => check_metadata(node),
        Schema::IntOrRange => match node {
            Node::Map(entries) => {
                for (key, value) in entries {
                    let p = join(path, key);
                    if !["gt", "gte", "lt", "lte"].contains(&key.as_str()) {
                        return Err(errors::unknown_parameters(&[p]));
                    }
                    integer(value, &p)?;
                }
                Ok(())
            }
            _ => integer(node, path).map(|_| ()),
        },
    }
}

fn check_metadata(node: &Node) -> Result<(), Failure> {
    match node {
        Node::Str(s) if s.is_empty() => Ok(()),
        Node::Map(entries) => {
            for (key, value) in entries {
                if key.chars().count() > METADATA_MAX_KEY {
                    return Err(errors::metadata_key_too_long(key));
                }
                match value {
                    Node::Str(v) if v.chars().count() <= METADATA_MAX_VALUE => {}
                    _ => return Err(errors::metadata_bad_value(key)),
                }
            }
            Ok(())
        }
        _ => Err(errors::invalid_shape("metadata", "hash")),
    }
}

fn scalar<'a>(node: &'a Node, path: &str) -> Result<&'a str, Failure> {
    node.as_str().ok_or_else(|| errors::invalid_shape(path, "string"))
}

/// Reads an integer parameter.
pub fn integer(node: &Node, path: &str) -> Result<i64, Failure> {
    let s = scalar(node, path)?;
    if s.is_empty() {
        return Err(errors::invalid_empty(path));
    }
    s.parse::<i64>().map_err(|_| errors::invalid_integer(path, s))
}

/// Reads a boolean that [`check`] has accepted.
pub fn boolean(node: &Node) -> bool {
    node.as_str() == Some("true")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::params::{CREATE, LIST, UPDATE};

    fn map(entries: &[(&str, Node)]) -> Node {
        Node::Map(entries.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }
    fn s(v: &str) -> Node {
        Node::Str(v.into())
    }

    #[test]
    fn lists_every_unknown_parameter_with_its_full_name() {
        let root =
            map(&[("colour", s("x")), ("options", map(&[("document", map(&[("require_x", s("true"))]))]))]);
        let e = check(&root, CREATE).unwrap_err();
        assert_eq!(e.error.code.as_deref(), Some("parameter_unknown"));
        assert_eq!(
            e.error.message.as_deref(),
            Some("Received unknown parameters: colour, options[document][require_x]")
        );
        assert_eq!(e.error.param.as_deref(), Some("colour"));
    }

    #[test]
    fn checks_types_and_names_the_parameter() {
        let e = check(&map(&[("type", s("passport"))]), CREATE).unwrap_err();
        assert_eq!(e.error.message.as_deref(), Some("Invalid type: must be one of document or id_number"));
        let root = map(&[("options", map(&[("document", map(&[("require_id_number", s("yes"))]))]))]);
        let e = check(&root, CREATE).unwrap_err();
        assert_eq!(e.error.param.as_deref(), Some("options[document][require_id_number]"));
        let e = check(&map(&[("limit", s("ten"))]), LIST).unwrap_err();
        assert_eq!(e.error.code.as_deref(), Some("parameter_invalid_integer"));
        let e = check(&map(&[("client_reference_id", s(""))]), CREATE).unwrap_err();
        assert_eq!(e.error.code.as_deref(), Some("parameter_invalid_empty"));
        let e = check(&map(&[("expand", s("x"))]), CREATE).unwrap_err();
        assert_eq!(e.error.param.as_deref(), Some("expand"));
    }

    #[test]
    fn accepts_unsets_where_the_api_does() {
        let root = map(&[("metadata", s("")), ("options", map(&[("document", s(""))]))]);
        check(&root, UPDATE).unwrap();
        let root = map(&[("created", map(&[("gte", s("5")), ("lt", s("9"))]))]);
        check(&root, LIST).unwrap();
        let e = check(&map(&[("created", map(&[("after", s("5"))]))]), LIST).unwrap_err();
        assert_eq!(e.error.param.as_deref(), Some("created[after]"));
    }

    #[test]
    fn metadata_limits() {
        let long_key = "k".repeat(41);
        let e = check(&map(&[("metadata", map(&[(&long_key, s("v"))]))]), CREATE).unwrap_err();
        assert_eq!(e.error.param.as_deref(), Some("metadata"));
        let e = check(&map(&[("metadata", map(&[("k", s(&"v".repeat(501)))]))]), CREATE).unwrap_err();
        assert_eq!(e.error.param.as_deref(), Some("metadata"));
        let e = check(&map(&[("metadata", map(&[("k", map(&[("x", s("y"))]))]))]), CREATE).unwrap_err();
        assert_eq!(e.error.param.as_deref(), Some("metadata"));
    }
}
