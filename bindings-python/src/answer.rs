//! Answers → `StripeObject`s, built straight from the JSON text the API sent: a serde visitor
//! over `serde_json`'s parser makes each Python object as its value is read, with no JSON tree
//! in between (making and dropping one cost as much as building the Python objects).
//!
//! The class of an object is chosen by its `object` field (`OBJECT_CLASSES` in `_object.py`),
//! else by the parent class's `_inner_class_types`, else `StripeObject` itself, as
//! stripe-python's `convert_to_stripe_object` does. Keys keep the API's order. Nesting is
//! refused past the core's [`MAX_DEPTH`] with the error `stripe_identity::nesting::parse` gives,
//! so the recursion here is bounded.

use crate::errors::to_pyerr;
use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString, PyType};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;
use stripe_identity::backend::Response;
use stripe_identity::client::decode_answer;
use stripe_identity::nesting::MAX_DEPTH;

/// A successful answer's body → its `StripeObject`. A body that is not UTF-8, not JSON, or
/// nested too deep raises the core's decode error, as any failed call does.
pub fn answer_to_object<'py>(py: Python<'py>, response: &Response) -> PyResult<Bound<'py, PyAny>> {
    let cx = Decoder::new(py)?;
    let decoded = decode_answer(response, |text| cx.decode_text(text));
    match (decoded, cx.raised.take()) {
        (_, Some(e)) => Err(e),
        (Ok(object), None) => Ok(object),
        (Err(e), None) => Err(to_pyerr(py, e)),
    }
}

/// An answer's status and headers, left as Rust values on the object (its `_response`) until
/// `last_response` (`_object.py`) is read, which most callers never do: turning ten headers
/// into Python strings on every call cost more than keeping them.
#[pyclass(frozen, module = "stripe_identity._native", name = "RawResponse")]
pub struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
}

#[pymethods]
impl RawResponse {
    /// `(status, [(name, value), ...])`, what `StripeResponse` is built from.
    fn parts(&self) -> (u16, Vec<(String, String)>) {
        (self.status, self.headers.clone())
    }
}

/// Puts `response` on `object` as its `_response`. Written to the instance's `__dict__` as
/// `object.__setattr__` would, without running `StripeObject.__setattr__`, which is Python.
pub fn keep_response(object: &Bound<'_, PyAny>, response: Response) -> PyResult<()> {
    let py = object.py();
    let raw = Bound::new(py, RawResponse { status: response.status, headers: response.headers })?;
    let name = intern!(py, "_response");
    // SAFETY: all three are live objects held by the GIL-bound references above.
    let rc = unsafe { pyo3::ffi::PyObject_GenericSetAttr(object.as_ptr(), name.as_ptr(), raw.as_ptr()) };
    if rc < 0 {
        return Err(PyErr::fetch(py));
    }
    Ok(())
}

/// JSON text → its `StripeObject` (stripe-python's `client.deserialize`); text that is not JSON,
/// or nests deeper than the core allows, raises `ValueError`.
pub fn text_to_object<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let cx = Decoder::new(py)?;
    let decoded = cx.decode_text(text);
    match (decoded, cx.raised.take()) {
        (_, Some(e)) => Err(e),
        (Ok(object), None) => Ok(object),
        (Err(e), None) => Err(PyValueError::new_err(format!("not a JSON answer: {e}"))),
    }
}

/// A JSON value the core already holds (a webhook's event, a list page given back) → its
/// `StripeObject`, by the same rules as an answer.
pub fn to_stripe_object<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    let cx = Decoder::new(py)?;
    let decoded = Any { cx: &cx, hint: Hint::Known(None), left: MAX_DEPTH }.deserialize(value);
    match (decoded, cx.raised.take()) {
        (_, Some(e)) => Err(e),
        (Ok(object), None) => Ok(object),
        (Err(e), None) => Err(PyValueError::new_err(format!("not a JSON answer: {e}"))),
    }
}

/// The classes answers are built from, imported once from `stripe_identity._object`.
struct Classes {
    stripe_object: Py<PyType>,
    by_object: Py<PyDict>,
}

static CLASSES: PyOnceLock<Classes> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get_or_try_init(py, || {
        let m = py.import("stripe_identity._object")?;
        Ok(Classes {
            stripe_object: m.getattr("StripeObject")?.cast_into::<PyType>()?.unbind(),
            by_object: m.getattr("OBJECT_CLASSES")?.cast_into::<PyDict>()?.unbind(),
        })
    })
}

/// The field names of answers as Python strings, made once. Every object of every answer
/// repeats the same few dozen names; making a `str` for each and hashing it again on insertion
/// was about a tenth of converting a list page. Bounded, because metadata keys are user data.
static KEYS: PyOnceLock<Mutex<KeyCache>> = PyOnceLock::new();
type KeyCache = HashMap<Box<str>, Py<PyString>, Fnv>;
const KEY_CACHE_MAX: usize = 1024;
const KEY_CACHE_MAX_LEN: usize = 40;

/// FNV-1a: the keys are short, few and not chosen by an attacker who could flood one bucket
/// (the cache is bounded anyway), and SipHash cost more than the lookup saved.
#[derive(Default, Clone, Copy)]
struct Fnv;

struct FnvHasher(u64);

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

fn key<'py>(py: Python<'py>, name: &str) -> Bound<'py, PyString> {
    if name.len() > KEY_CACHE_MAX_LEN {
        return PyString::new(py, name);
    }
    let cache = KEYS.get_or_init(py, || Mutex::new(HashMap::with_hasher(Fnv)));
    // The lock is held only around the map, never while Python runs: the GIL is held here,
    // and a Python call inside the lock could let another thread in to wait on it.
    let lock = || cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(s) = lock().get(name) {
        return s.bind(py).clone();
    }
    // Interned: its hash is computed once and kept.
    let s = PyString::intern(py, name);
    let mut map = lock();
    if map.len() < KEY_CACHE_MAX {
        map.insert(name.into(), s.clone().unbind());
    }
    s
}

/// One decoding: the classes, and the Python exception that stopped it, if one did (the
/// parser's error type cannot carry it, so it waits here).
struct Decoder<'py> {
    py: Python<'py>,
    stripe_object: Bound<'py, PyAny>,
    by_object: Bound<'py, PyDict>,
    raised: RefCell<Option<PyErr>>,
}

/// An object being built: its instance and its class's hints for nested objects.
struct Built<'py> {
    object: Bound<'py, PyAny>,
    inner: Option<Bound<'py, PyDict>>,
}

impl<'py> Decoder<'py> {
    fn new(py: Python<'py>) -> PyResult<Self> {
        let c = classes(py)?;
        Ok(Decoder {
            py,
            stripe_object: c.stripe_object.bind(py).clone().into_any(),
            by_object: c.by_object.bind(py).clone(),
            raised: RefCell::new(None),
        })
    }

    fn decode_text(&self, text: &str) -> serde_json::Result<Bound<'py, PyAny>> {
        let mut de = serde_json::Deserializer::from_str(text);
        let object = Any { cx: self, hint: Hint::Known(None), left: MAX_DEPTH }.deserialize(&mut de)?;
        de.end()?;
        Ok(object)
    }

    /// Keeps `e` for the caller and stops the parse.
    fn fail<E: de::Error>(&self, e: PyErr) -> E {
        *self.raised.borrow_mut() = Some(e);
        E::custom("a Python exception was raised")
    }

    /// The class of an object whose `object` field is `object` (if it has one), with
    /// `default` (the hint, else `StripeObject`) when that names no class.
    fn class_for(
        &self,
        object: Option<&Bound<'py, PyAny>>,
        default: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Some(name) = object.and_then(|o| o.cast::<PyString>().ok()) {
            if let Some(class) = self.by_object.get_item(name)? {
                return Ok(class);
            }
        }
        Ok(default.clone())
    }

    fn instantiate(&self, class: &Bound<'py, PyAny>) -> PyResult<Built<'py>> {
        let inner = class.getattr(intern!(self.py, "_inner_class_types"))?;
        let inner = inner.cast_into::<PyDict>().ok().filter(|d| !d.is_empty());
        Ok(Built { object: class.call0()?, inner })
    }

    fn hint(
        &self,
        inner: Option<&Bound<'py, PyDict>>,
        key: &Bound<'py, PyString>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        match inner {
            Some(inner) => inner.get_item(key),
            None => Ok(None),
        }
    }

    /// `value` as if it had been built under `hint`. Only an object whose `object` field came
    /// after fields holding objects needs this: those were built before its class was known.
    fn rehint(
        &self,
        value: Bound<'py, PyAny>,
        hint: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Ok(list) = value.cast::<PyList>() {
            let items = list.iter().map(|item| self.rehint(item, hint)).collect::<PyResult<Vec<_>>>()?;
            return Ok(PyList::new(self.py, items)?.into_any());
        }
        if !value.is_instance(&self.stripe_object)? {
            return Ok(value); // a scalar
        }
        let dict = value.cast::<PyDict>()?;
        let default = hint.unwrap_or(&self.stripe_object);
        let class = self.class_for(dict.get_item(intern!(self.py, "object"))?.as_ref(), default)?;
        if value.get_type().is(&class) {
            // Built as this class, so its own fields were built under its hints.
            return Ok(value);
        }
        let built = self.instantiate(&class)?;
        for (k, v) in dict.iter() {
            let k = k.cast_into::<PyString>()?;
            let h = self.hint(built.inner.as_ref(), &k)?;
            built.object.set_item(k, self.rehint(v, h.as_ref())?)?;
        }
        Ok(built.object)
    }
}

/// The class a nested object defaults to. Looked up only when the value is an object or a
/// list: most fields hold scalars.
#[derive(Clone, Copy)]
enum Hint<'a, 'py> {
    Known(Option<&'a Bound<'py, PyAny>>),
    /// The field `key` of an object whose class has these `_inner_class_types`.
    Field(Option<&'a Bound<'py, PyDict>>, &'a Bound<'py, PyString>),
    /// The field `key` of an object of this class (its `_inner_class_types` not read yet).
    OfClass(&'a Bound<'py, PyAny>, &'a Bound<'py, PyString>),
}

impl<'py> Hint<'_, 'py> {
    fn resolve(self) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self {
            Hint::Known(hint) => Ok(hint.cloned()),
            Hint::Field(None, _) => Ok(None),
            Hint::Field(Some(inner), key) => inner.get_item(key),
            Hint::OfClass(class, key) => {
                let inner = class.getattr(intern!(class.py(), "_inner_class_types"))?;
                match inner.cast_into::<PyDict>() {
                    Ok(inner) => inner.get_item(key),
                    Err(_) => Ok(None),
                }
            }
        }
    }
}

/// A value of any type, built under `hint`; `left` levels of nesting may still be entered.
struct Any<'a, 'py> {
    cx: &'a Decoder<'py>,
    hint: Hint<'a, 'py>,
    left: usize,
}

impl<'a, 'py> Any<'a, 'py> {
    /// The levels left inside a container entered here; none is an error, worded as
    /// `stripe_identity::nesting::parse` words it.
    fn enter<E: de::Error>(&self) -> Result<usize, E> {
        self.left
            .checked_sub(1)
            .ok_or_else(|| E::custom(format!("the JSON is nested deeper than {MAX_DEPTH} levels")))
    }
}

impl<'de, 'py> DeserializeSeed<'de> for Any<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'py> Visitor<'de> for Any<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.cx.py, v).to_owned().into_any())
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        let Ok(int) = v.into_pyobject(self.cx.py);
        Ok(int.into_any())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        let Ok(int) = v.into_pyobject(self.cx.py);
        Ok(int.into_any())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.cx.py, v).into_any())
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.cx.py, v).into_any())
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(self.cx.py.None().into_bound(self.cx.py))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let left = self.enter()?;
        let hint = self.hint.resolve().map_err(|e| self.cx.fail(e))?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) =
            seq.next_element_seed(Any { cx: self.cx, hint: Hint::Known(hint.as_ref()), left })?
        {
            items.push(item);
        }
        Ok(PyList::new(self.cx.py, items).map_err(|e| self.cx.fail(e))?.into_any())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let left = self.enter()?;
        let cx = self.cx;
        let py = cx.py;
        let fail = |e: PyErr| cx.fail::<A::Error>(e);
        let hint = self.hint.resolve().map_err(fail)?;
        // The class when the object names none of its own.
        let default = hint.as_ref().unwrap_or(&cx.stripe_object);
        // The fields before `object` (the API sends `id` first), built under the default
        // class's hints and kept in order until the class is known.
        let mut before: Vec<(Bound<'py, PyString>, Bound<'py, PyAny>)> = Vec::new();
        let mut built: Option<Built<'py>> = None;
        let mut object_again = false;
        while let Some((k, is_object)) = map.next_key_seed(Key(py))? {
            if let Some(b) = &built {
                let v = map.next_value_seed(Any { cx, hint: Hint::Field(b.inner.as_ref(), &k), left })?;
                b.object.set_item(k, v).map_err(fail)?;
                // A second `object` field decides the class, as the last of duplicate keys wins.
                object_again |= is_object;
                continue;
            }
            let v = map.next_value_seed(Any { cx, hint: Hint::OfClass(default, &k), left })?;
            if !is_object {
                before.push((k, v));
                continue;
            }
            let class = cx.class_for(Some(&v), default).map_err(fail)?;
            let b = cx.instantiate(&class).map_err(fail)?;
            let rehint = !class.is(default);
            before.push((k, v));
            for (k, v) in before.drain(..) {
                let v = if rehint {
                    let hint = cx.hint(b.inner.as_ref(), &k).map_err(fail)?;
                    cx.rehint(v, hint.as_ref()).map_err(fail)?
                } else {
                    v
                };
                b.object.set_item(k, v).map_err(fail)?;
            }
            built = Some(b);
        }
        let object = match built {
            Some(b) if object_again => cx.rehint(b.object, hint.as_ref()).map_err(fail)?,
            Some(b) => b.object,
            None => {
                let b = cx.instantiate(default).map_err(fail)?;
                for (k, v) in before {
                    b.object.set_item(k, v).map_err(fail)?;
                }
                b.object
            }
        };
        Ok(object)
    }
}

/// A field name, and whether it is `object`.
struct Key<'py>(Python<'py>);

impl<'de, 'py> DeserializeSeed<'de> for Key<'py> {
    type Value = (Bound<'py, PyString>, bool);

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for Key<'py> {
    type Value = (Bound<'py, PyString>, bool);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok((key(self.0, v), v == "object"))
    }
}
