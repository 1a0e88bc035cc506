//! Conversions between Python values and the core's JSON: parameters in, error bodies out.
//! (Answers are built straight from their text: `answer.rs`.)
//!
//! Parameters go in as the API's own JSON shape: `dict` (subclasses too, so a `StripeObject`
//! can be sent back), `list`/`tuple`, `str`, `int`, `float`, `bool` and `None`.
//! Whether a value has the right type *for its parameter* is the core's decision
//! (`metadata=42` is a valid Python-to-JSON conversion that the core refuses); a Python value
//! with no JSON form (a `datetime`, a `set`) is refused here with `TypeError`, and one that has
//! a form but cannot be sent (a value that contains itself, nesting past the core's limit, a
//! `str` with a lone surrogate) with `ValueError`, each naming the parameter the API's way.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};
use stripe_identity::nesting::MAX_DEPTH;

/// A value that has no JSON form, with the path to it (innermost first).
struct Unconvertible {
    path: Vec<String>,
    message: String,
    /// `TypeError` for a value of a type with no JSON form; `ValueError` for a value of the
    /// right type that still cannot be sent (a cycle, too deep, text that is not Unicode).
    value_error: bool,
    /// Name only the top-level parameter (a path as deep as the limit says nothing more).
    top_level: bool,
}

impl Unconvertible {
    fn of_type(message: String) -> Self {
        Unconvertible { path: Vec::new(), message, value_error: false, top_level: false }
    }

    fn of_value(message: String) -> Self {
        Unconvertible { path: Vec::new(), message, value_error: true, top_level: false }
    }
}

/// The containers being converted, outermost first: a container met again inside itself is a
/// cycle, and their number is the depth.
type Ancestors = Vec<usize>;

/// Python keyword parameters → a JSON object. Keys are the parameter names as given.
///
/// Like `json.dumps`, a value that contains itself raises `ValueError` ("circular reference");
/// nesting deeper than the core's [`MAX_DEPTH`] raises `ValueError` too, at a depth where
/// neither this conversion nor any later one can exhaust even a small thread stack.
pub fn params_to_json(params: Option<&Bound<'_, PyDict>>) -> PyResult<Value> {
    let mut map = Map::new();
    if let Some(params) = params {
        let mut ancestors = Ancestors::with_capacity(MAX_DEPTH);
        for (key, value) in params.iter() {
            let converted = dict_key(&key).and_then(|key| match to_json(&value, &mut ancestors) {
                Ok(v) => Ok((key, v)),
                Err(mut e) => {
                    e.path.push(key);
                    Err(e)
                }
            });
            match converted {
                Ok((key, v)) => {
                    map.insert(key, v);
                }
                Err(e) => return Err(refusal(params.py(), e)),
            }
        }
    }
    Ok(Value::Object(map))
}

/// `options[document][allowed_types][0]: ...`, with the parameter also in `param`.
fn refusal(py: Python<'_>, mut e: Unconvertible) -> PyErr {
    if e.top_level {
        e.path.drain(..e.path.len().saturating_sub(1));
    }
    let mut segments = e.path.into_iter().rev();
    let mut param = segments.next().unwrap_or_default();
    for s in segments {
        param.push('[');
        param.push_str(&s);
        param.push(']');
    }
    let message = if param.is_empty() { e.message } else { format!("{param}: {}", e.message) };
    let err = if e.value_error { PyValueError::new_err(message) } else { PyTypeError::new_err(message) };
    // Setting an attribute on a fresh exception cannot fail in practice; if it did, the
    // message still names the parameter.
    let _ = err.value(py).setattr("param", (!param.is_empty()).then_some(&param));
    err
}

/// A dictionary key as text: it must be a `str`, and one that UTF-8 can carry.
fn dict_key(key: &Bound<'_, PyAny>) -> Result<String, Unconvertible> {
    let Ok(s) = key.cast::<PyString>() else {
        return Err(Unconvertible::of_type(format!("dictionary keys must be str, not {}", type_name(key))));
    };
    s.to_cow().map(|k| k.into_owned()).map_err(|e| {
        let shown = shorten(&s.to_string_lossy());
        Unconvertible::of_value(format!("the dictionary key {shown:?} cannot be sent as UTF-8 text: {e}"))
    })
}

/// A `str` value as text, which UTF-8 must be able to carry (a lone surrogate cannot be).
fn text(s: &Bound<'_, PyString>) -> Result<Value, Unconvertible> {
    s.to_cow()
        .map(|s| Value::String(s.into_owned()))
        .map_err(|e| Unconvertible::of_value(format!("the text cannot be sent as UTF-8: {e}")))
}

/// At most 40 characters of `s`, for a message.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_string(),
    }
}

fn to_json(obj: &Bound<'_, PyAny>, ancestors: &mut Ancestors) -> Result<Value, Unconvertible> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    // bool before int: Python's bool is an int.
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return text(s);
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        if let Ok(v) = i.extract::<i64>() {
            return Ok(Value::from(v));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Value::from(v));
        }
        return Err(Unconvertible::of_type("the integer does not fit in 64 bits".into()));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Number::from_f64(f.value())
            .map(Value::Number)
            .ok_or_else(|| Unconvertible::of_value("a float that is not finite cannot be sent".into()));
    }
    let container = if let Ok(d) = obj.cast::<PyDict>() {
        Container::Dict(d)
    } else if let Ok(l) = obj.cast::<PyList>() {
        Container::Items(l.iter().collect())
    } else if let Ok(t) = obj.cast::<PyTuple>() {
        Container::Items(t.iter().collect())
    } else {
        return Err(Unconvertible::of_type(format!(
            "a value of type {} cannot be sent (expected str, int, float, bool, None, dict, list or tuple)",
            type_name(obj)
        )));
    };
    // Checked before going in, so the recursion never goes deeper than the limit.
    let id = obj.as_ptr() as usize;
    if ancestors.contains(&id) {
        return Err(Unconvertible::of_value("circular reference detected (a value contains itself)".into()));
    }
    // The parameters object is level 1, so this container is level `ancestors.len() + 2`.
    if ancestors.len() + 2 > MAX_DEPTH {
        let message = format!("parameters are nested deeper than {MAX_DEPTH} levels");
        return Err(Unconvertible { top_level: true, ..Unconvertible::of_value(message) });
    }
    ancestors.push(id);
    let converted = container.to_json(ancestors);
    ancestors.pop();
    converted
}

/// A `dict` (or subclass), or the items of a `list` or `tuple`.
enum Container<'a, 'py> {
    Dict(&'a Bound<'py, PyDict>),
    Items(Vec<Bound<'py, PyAny>>),
}

impl Container<'_, '_> {
    fn to_json(&self, ancestors: &mut Ancestors) -> Result<Value, Unconvertible> {
        let items = match self {
            Container::Dict(d) => {
                let mut map = Map::new();
                for (key, value) in d.iter() {
                    let key = dict_key(&key)?;
                    match to_json(&value, ancestors) {
                        Ok(v) => {
                            map.insert(key, v);
                        }
                        Err(mut e) => {
                            e.path.push(key);
                            return Err(e);
                        }
                    }
                }
                return Ok(Value::Object(map));
            }
            Container::Items(items) => items,
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match to_json(item, ancestors) {
                Ok(v) => out.push(v),
                Err(mut e) => {
                    e.path.push(i.to_string());
                    return Err(e);
                }
            }
        }
        Ok(Value::Array(out))
    }
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}

/// JSON → plain `dict`/`list`/scalars (for error bodies, bounded like answers).
pub fn to_plain<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_plain(py, v)?)?;
            }
            dict.into_any()
        }
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_plain(py, item)?)?;
            }
            list.into_any()
        }
        scalar => scalar_to_py(py, scalar)?,
    })
}

fn scalar_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(_) | Value::Object(_) => unreachable!("containers are converted by the caller"),
    })
}
