//! Decoding objects that keep unknown fields, without `#[serde(flatten)]`.
//!
//! `flatten` buffers every value of an object (nested objects included) before decoding it,
//! which made a session twice as slow to decode. The visitor written by [`deserialize_with_extra`]
//! decodes known keys straight into their fields and only the unknown ones into `extra`.

use serde::de::{Deserializer, Visitor};
use std::borrow::Cow;
use std::fmt;

/// An object key, borrowed from the input when it can be.
pub struct Key<'de>(Cow<'de, str>);

impl<'de> Key<'de> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key, owned.
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// Implements `Deserialize` for a struct whose last field is `extra: Extra`.
///
/// Each field is listed with how a missing or `null` key reads:
/// `req` must be present; `opt` is an `Option` (missing or `null` → `None`); `dbl` is an
/// `Option<Option<_>>` (missing → `None`, `null` → `Some(None)`); `def` takes `Default` when missing.
macro_rules! deserialize_with_extra {
    ($name:ident { $($kind:ident $field:ident : $wire:literal),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    #[allow(unused_mut)]
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $(let mut $field = None;)*
                        let mut extra = $crate::model::Extra::new();
                        while let Some(key) = map.next_key::<$crate::model::de::Key<'de>>()? {
                            match key.as_str() {
                                $($wire => $field = Some(map.next_value()?),)*
                                _ => {
                                    let value: ::serde_json::Value = map.next_value()?;
                                    extra.insert(key.into_string(), value);
                                }
                            }
                        }
                        Ok($name {
                            $($field: $crate::model::de::deserialize_with_extra!(@finish $kind $field $wire A),)*
                            extra,
                        })
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
    (@finish req $field:ident $wire:literal $a:ident) => {
        $field.ok_or_else(|| <$a::Error as ::serde::de::Error>::missing_field($wire))?
    };
    (@finish opt $field:ident $wire:literal $a:ident) => {
        $field.flatten()
    };
    (@finish dbl $field:ident $wire:literal $a:ident) => {
        $field
    };
    (@finish def $field:ident $wire:literal $a:ident) => {
        $field.unwrap_or_default()
    };
}

pub(crate) use deserialize_with_extra;
