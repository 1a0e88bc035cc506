//! Typed parameters straight into the form encoding, without a `serde_json::Value` between.
//!
//! [`encode`](super::encode) takes a `Value`, and building one costs an allocation per key and
//! per value, and a B-tree per object, all thrown away once the text is written: most of the
//! cost of encoding a create's parameters. This serializer records the same tree in a lighter
//! form (struct field names borrowed, every map key and string value in one shared buffer) and
//! writes it with the same rules, so its text is byte for byte what `encode(&to_value(p))` gives.
//!
//! It handles the shapes parameters have: strings, booleans, integers, options, unit variants,
//! sequences, maps keyed by strings and structs. Anything else (floats, whose text
//! `serde_json` decides, bytes, variants with data, other map keys, a top level that is not
//! an object) and any error make it give up, and the caller takes the `Value` path, so those
//! keep their exact behaviour and messages.

use serde::ser::{self, Impossible, Serialize};
use std::fmt;
use std::ops::Range;

/// Encodes `params` as [`encode`](super::encode) would encode `serde_json::to_value(params)`;
/// `None` when they hold a shape this fast path leaves to that one.
pub fn encode_direct<P: Serialize + ?Sized>(params: &P) -> Option<String> {
    // Sized for a typical create or update, so that the text of its keys and values is
    // copied once rather than on every doubling.
    let mut arena = String::with_capacity(256);
    let Frag::Map(entries) = params.serialize(FragSer { arena: &mut arena }).ok()? else {
        return None;
    };
    let mut out = String::with_capacity(super::encode::INITIAL_CAPACITY);
    let mut key = String::with_capacity(64);
    for (name, value) in &entries {
        key.clear();
        super::encode::push_escaped(&mut key, name.get(&arena));
        write_frag(&mut out, &mut key, value, &arena);
    }
    Some(out)
}

/// A map key: a struct field's name, or text in the arena.
enum Key {
    Static(&'static str),
    Arena(Range<usize>),
}

impl Key {
    fn get<'a>(&'a self, arena: &'a str) -> &'a str {
        match self {
            Key::Static(s) => s,
            Key::Arena(r) => &arena[r.clone()],
        }
    }
}

/// One value, as `serde_json::Value` would hold it (numbers only as integers).
enum Frag {
    /// `null`: sends nothing.
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    Str(Range<usize>),
    StaticStr(&'static str),
    /// Sorted by key, one entry per key: a `Value` object's order.
    Map(Vec<(Key, Frag)>),
    Seq(Vec<Frag>),
}

/// The rules of `encode_value`, over a [`Frag`].
fn write_frag(out: &mut String, key: &mut String, value: &Frag, arena: &str) {
    use super::encode::{in_index, in_member, push_escaped, push_integer, start_pair};
    match value {
        Frag::Null => {}
        Frag::Bool(b) => {
            start_pair(out, key);
            out.push_str(if *b { "true" } else { "false" });
        }
        Frag::I64(n) => {
            start_pair(out, key);
            push_integer(out, *n);
        }
        Frag::U64(n) => {
            start_pair(out, key);
            push_integer(out, *n);
        }
        Frag::Str(r) => {
            start_pair(out, key);
            push_escaped(out, &arena[r.clone()]);
        }
        Frag::StaticStr(s) => {
            start_pair(out, key);
            push_escaped(out, s);
        }
        Frag::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                in_index(key, i, |key| write_frag(out, key, item, arena));
            }
        }
        Frag::Map(entries) => {
            for (name, item) in entries {
                in_member(key, name.get(arena), |key| write_frag(out, key, item, arena));
            }
        }
    }
}

/// Why the fast path gave up; never shown, the caller takes the other path.
#[derive(Debug)]
struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to the Value path")
    }
}

impl std::error::Error for GiveUp {}

impl ser::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

fn push_arena(arena: &mut String, s: &str) -> Range<usize> {
    let start = arena.len();
    arena.push_str(s);
    start..arena.len()
}

struct FragSer<'a> {
    arena: &'a mut String,
}

impl<'a> ser::Serializer for FragSer<'a> {
    type Ok = Frag;
    type Error = GiveUp;
    type SerializeSeq = SeqSer<'a>;
    type SerializeTuple = SeqSer<'a>;
    type SerializeTupleStruct = SeqSer<'a>;
    type SerializeTupleVariant = Impossible<Frag, GiveUp>;
    type SerializeMap = MapSer<'a>;
    type SerializeStruct = MapSer<'a>;
    type SerializeStructVariant = Impossible<Frag, GiveUp>;

    fn serialize_bool(self, v: bool) -> Result<Frag, GiveUp> {
        Ok(Frag::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Frag, GiveUp> {
        Ok(Frag::I64(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Frag, GiveUp> {
        Ok(Frag::I64(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Frag, GiveUp> {
        Ok(Frag::I64(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Frag, GiveUp> {
        Ok(Frag::I64(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Frag, GiveUp> {
        Ok(Frag::U64(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Frag, GiveUp> {
        Ok(Frag::U64(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Frag, GiveUp> {
        Ok(Frag::U64(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Frag, GiveUp> {
        Ok(Frag::U64(v))
    }
    fn serialize_f32(self, _: f32) -> Result<Frag, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_f64(self, _: f64) -> Result<Frag, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_char(self, v: char) -> Result<Frag, GiveUp> {
        Ok(Frag::Str(push_arena(self.arena, v.encode_utf8(&mut [0; 4]))))
    }
    fn serialize_str(self, v: &str) -> Result<Frag, GiveUp> {
        Ok(Frag::Str(push_arena(self.arena, v)))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Frag, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_none(self) -> Result<Frag, GiveUp> {
        Ok(Frag::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Frag, GiveUp> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Frag, GiveUp> {
        Ok(Frag::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Frag, GiveUp> {
        Ok(Frag::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<Frag, GiveUp> {
        Ok(Frag::StaticStr(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Frag, GiveUp> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Frag, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSer<'a>, GiveUp> {
        Ok(SeqSer { arena: self.arena, items: Vec::with_capacity(len.unwrap_or(0)) })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer<'a>, GiveUp> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<SeqSer<'a>, GiveUp> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapSer<'a>, GiveUp> {
        Ok(MapSer { arena: self.arena, entries: Vec::with_capacity(len.unwrap_or(8)), key: None })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<MapSer<'a>, GiveUp> {
        // `serde_json`'s own types (`RawValue`) speak to its serializer through struct names.
        if name.starts_with("$serde_json::") {
            return Err(GiveUp);
        }
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, GiveUp> {
        Err(GiveUp)
    }
}

struct SeqSer<'a> {
    arena: &'a mut String,
    items: Vec<Frag>,
}

impl ser::SerializeSeq for SeqSer<'_> {
    type Ok = Frag;
    type Error = GiveUp;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        self.items.push(value.serialize(FragSer { arena: self.arena })?);
        Ok(())
    }

    fn end(self) -> Result<Frag, GiveUp> {
        Ok(Frag::Seq(self.items))
    }
}

impl ser::SerializeTuple for SeqSer<'_> {
    type Ok = Frag;
    type Error = GiveUp;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Frag, GiveUp> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqSer<'_> {
    type Ok = Frag;
    type Error = GiveUp;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        ser::SerializeSeq::serialize_element(self, value)
    }

    fn end(self) -> Result<Frag, GiveUp> {
        ser::SerializeSeq::end(self)
    }
}

struct MapSer<'a> {
    arena: &'a mut String,
    entries: Vec<(Key, Frag)>,
    key: Option<Key>,
}

impl MapSer<'_> {
    /// As a `Value` object holds them: sorted by key, and a key given twice keeps its last
    /// value (a flattened `extra` naming a field replaces the field).
    fn into_frag(self) -> Frag {
        let MapSer { arena, mut entries, .. } = self;
        let arena: &str = arena;
        // Stable, so equal keys stay in the order given.
        entries.sort_by(|a, b| a.0.get(arena).cmp(b.0.get(arena)));
        entries.dedup_by(|later, earlier| {
            let same = later.0.get(arena) == earlier.0.get(arena);
            if same {
                std::mem::swap(&mut later.1, &mut earlier.1);
            }
            same
        });
        Frag::Map(entries)
    }
}

impl ser::SerializeMap for MapSer<'_> {
    type Ok = Frag;
    type Error = GiveUp;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), GiveUp> {
        self.key = Some(Key::Arena(key.serialize(KeySer { arena: self.arena })?));
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), GiveUp> {
        let key = self.key.take().ok_or(GiveUp)?;
        let value = value.serialize(FragSer { arena: self.arena })?;
        self.entries.push((key, value));
        Ok(())
    }

    fn end(self) -> Result<Frag, GiveUp> {
        Ok(self.into_frag())
    }
}

impl ser::SerializeStruct for MapSer<'_> {
    type Ok = Frag;
    type Error = GiveUp;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), GiveUp> {
        let value = value.serialize(FragSer { arena: self.arena })?;
        self.entries.push((Key::Static(name), value));
        Ok(())
    }

    fn end(self) -> Result<Frag, GiveUp> {
        Ok(self.into_frag())
    }
}

/// Map keys: strings only; `serde_json` turns other keys into text by rules of its own, left to
/// it.
struct KeySer<'a> {
    arena: &'a mut String,
}

impl ser::Serializer for KeySer<'_> {
    type Ok = Range<usize>;
    type Error = GiveUp;
    type SerializeSeq = Impossible<Range<usize>, GiveUp>;
    type SerializeTuple = Impossible<Range<usize>, GiveUp>;
    type SerializeTupleStruct = Impossible<Range<usize>, GiveUp>;
    type SerializeTupleVariant = Impossible<Range<usize>, GiveUp>;
    type SerializeMap = Impossible<Range<usize>, GiveUp>;
    type SerializeStruct = Impossible<Range<usize>, GiveUp>;
    type SerializeStructVariant = Impossible<Range<usize>, GiveUp>;

    fn serialize_str(self, v: &str) -> Result<Range<usize>, GiveUp> {
        Ok(push_arena(self.arena, v))
    }
    fn serialize_bool(self, _: bool) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_i8(self, _: i8) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_i16(self, _: i16) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_i32(self, _: i32) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_i64(self, _: i64) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_u8(self, _: u8) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_u16(self, _: u16) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_u32(self, _: u32) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_u64(self, _: u64) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_f32(self, _: f32) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_f64(self, _: f64) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_char(self, _: char) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_none(self) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_unit(self) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Range<usize>, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, GiveUp> {
        Err(GiveUp)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, GiveUp> {
        Err(GiveUp)
    }
}

#[cfg(test)]
mod tests {
    use super::encode_direct;
    use crate::params::{
        CreateVerificationSession, DocumentOptionsParams, Emptyable, ListVerificationSessions, Metadata,
        OptionsParams, UpdateVerificationSession,
    };
    use crate::wire::encode;
    use serde::Serialize;
    use serde_json::json;

    /// The fast path gives what the `Value` path gives, or gives up.
    fn same<P: Serialize>(p: &P) -> Option<String> {
        let direct = encode_direct(p);
        if let Some(text) = &direct {
            assert_eq!(text, &encode(&serde_json::to_value(p).unwrap()));
        }
        direct
    }

    #[test]
    fn typed_parameters_encode_as_through_a_value() {
        let create = CreateVerificationSession {
            r#type: Some(crate::model::RequestedVerificationType::Document),
            metadata: Some([("order id", "42"), ("old", ""), ("é[x]", "a+b&c")].into_iter().collect()),
            client_reference_id: Some("user 42".into()),
            options: Some(OptionsParams {
                document: Some(Emptyable::Set(DocumentOptionsParams {
                    allowed_types: Some(vec![crate::model::DocumentType::Passport]),
                    require_matching_selfie: Some(true),
                    ..Default::default()
                })),
                ..Default::default()
            }),
            expand: vec!["last_verification_report".into()],
            ..Default::default()
        };
        assert!(same(&create).is_some_and(|t| t.contains("metadata[order+id]=42")));
        let update = UpdateVerificationSession {
            metadata: Some(Metadata::clear()),
            options: Some(OptionsParams { document: Some(Emptyable::Unset), ..Default::default() }),
            ..Default::default()
        };
        assert_eq!(same(&update).as_deref(), Some("metadata=&options[document]="));
        let list = ListVerificationSessions { limit: Some(100), ..Default::default() };
        assert_eq!(same(&list).as_deref(), Some("limit=100"));
        assert_eq!(same(&CreateVerificationSession::default()).as_deref(), Some(""));
    }

    #[test]
    fn extra_parameters_sort_with_the_fields_and_replace_a_field_they_name() {
        let mut create =
            CreateVerificationSession { client_reference_id: Some("typed".into()), ..Default::default() };
        create.extra.insert("client_reference_id".into(), json!("extra"));
        create.extra.insert("a_first".into(), json!({"z": [1, -2, null, {"k": true}], "b": u64::MAX}));
        create.extra.insert("zz".into(), json!([]));
        let text = same(&create).expect("no float, nothing unusual");
        assert!(
            text.starts_with("a_first[b]=18446744073709551615&a_first[z][0]=1&a_first[z][1]=-2"),
            "{text}"
        );
        assert!(text.ends_with("&client_reference_id=extra"), "{text}");
    }

    #[test]
    fn floats_and_other_shapes_are_left_to_the_value_path() {
        assert_eq!(same(&json!({"x": 1.5})), None);
        assert_eq!(same(&json!("not an object")), None);
        assert_eq!(same(&std::collections::BTreeMap::from([(1, "x")])), None);
        assert_eq!(
            same(&json!({"n": i64::MIN, "s": "a b"})).as_deref(),
            Some("n=-9223372036854775808&s=a+b")
        );
    }
}
