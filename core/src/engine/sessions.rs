//! The stored sessions, found by id and walked in list order.
//!
//! Each record is held once and shared by both indexes, so a page is read straight from the
//! list-order index (no look-up by id per row, no second copy of the id) and a record is
//! replaced in both by one save.

use super::state::Record;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::{Bound, Index};
use std::sync::Arc;

/// A session's position in list order: `(created, seq)`.
pub type Position = (i64, u64);

/// Sessions by id and by position in list order (`(created, seq)`, oldest first).
#[derive(Debug, Default)]
pub struct Sessions {
    by_id: HashMap<Box<str>, Arc<Record>, BuildHasherDefault<IdHasher>>,
    order: BTreeMap<Position, Arc<Record>>,
}

impl Sessions {
    /// The session with this id.
    pub fn get(&self, id: &str) -> Option<&Record> {
        self.by_id.get(id).map(|r| &**r)
    }

    /// Number of sessions.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Every session, in no particular order.
    pub fn values(&self) -> impl Iterator<Item = &Record> {
        self.by_id.values().map(|r| &**r)
    }

    /// Sessions whose position lies within the bounds, oldest first.
    pub fn range(
        &self,
        bounds: (Bound<Position>, Bound<Position>),
    ) -> impl DoubleEndedIterator<Item = &Record> {
        self.order.range(bounds).map(|(_, r)| &**r)
    }

    /// Stores a session under `id`, new or replacing the one there; gives back the one replaced.
    pub fn insert(&mut self, id: String, record: Record) -> Option<Record> {
        let key = record.key();
        let record = Arc::new(record);
        // One hash of the id, whether the session is new or replaced.
        let before = match self.by_id.entry(id.into_boxed_str()) {
            Entry::Occupied(mut slot) => Some(slot.insert(Arc::clone(&record))),
            Entry::Vacant(slot) => {
                slot.insert(Arc::clone(&record));
                None
            }
        };
        if let Some(old) = &before {
            // A session keeps its position; this only guards the index if it ever moved.
            if old.key() != key {
                self.order.remove(&old.key());
            }
        }
        self.order.insert(key, record);
        before.map(unshare)
    }

    /// Forgets a session (a write undone); gives it back.
    pub fn remove(&mut self, id: &str) -> Option<Record> {
        let record = self.by_id.remove(id)?;
        self.order.remove(&record.key());
        Some(unshare(record))
    }
}

/// The hash of the by-id index: a multiply-rotate over eight bytes at a time (FxHash's), a
/// fraction of SipHash's cost on an id, hashed three or four times per write. SipHash guards a
/// table against keys chosen to collide; this one only holds ids the simulator drew at random,
/// so a caller chooses none of them (a lookup with a chosen id finds a slot, and that is all).
#[derive(Debug, Default, Clone, Copy)]
struct IdHasher(u64);

const SEED: u64 = 0xf135_7aea_2e62_a9c5;

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = self.0.wrapping_add(word).wrapping_mul(SEED);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        // The table places by the low bits, which a multiply mixes least: rotate the
        // well-mixed high bits down (as rustc-hash 2 does).
        self.0.rotate_left(26)
    }
}

/// A record no index holds any more.
fn unshare(record: Arc<Record>) -> Record {
    Arc::try_unwrap(record).unwrap_or_else(|shared| (*shared).clone())
}

impl Index<&str> for Sessions {
    type Output = Record;

    fn index(&self, id: &str) -> &Record {
        self.get(id).expect("no session with this id")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VerificationStatus;

    fn record(created: i64, seq: u64, json: &str) -> Record {
        Record {
            seq,
            created,
            status: VerificationStatus::RequiresInput,
            client_reference_id: None,
            related_customer: None,
            related_customer_account: None,
            json: serde_json::value::RawValue::from_string(json.into()).unwrap(),
            provided: None,
            outputs: None,
            reports: Vec::new(),
            link: Default::default(),
        }
    }

    fn walk(s: &Sessions) -> Vec<&str> {
        s.range((Bound::Unbounded, Bound::Unbounded)).map(|r| r.json.get()).collect()
    }

    #[test]
    fn ids_that_differ_anywhere_hash_apart() {
        use std::hash::BuildHasher;
        let hash = |s: &str| BuildHasherDefault::<IdHasher>::default().hash_one(s);
        let id = "vs_1NuaVu2eZvKYlo2CL9JBBvwd";
        let mut seen = std::collections::HashSet::new();
        assert!(seen.insert(hash(id)));
        for i in 0..id.len() {
            let mut other = id.as_bytes().to_vec();
            other[i] ^= 1;
            assert!(seen.insert(hash(std::str::from_utf8(&other).unwrap())), "byte {i}");
        }
        // A prefix is a different key.
        assert!(seen.insert(hash(&id[..24])));
    }

    #[test]
    fn both_indexes_follow_every_insert_replace_and_remove() {
        let mut s = Sessions::default();
        assert!(s.insert("vs_b".into(), record(5, 1, "2")).is_none());
        assert!(s.insert("vs_a".into(), record(5, 0, "1")).is_none());
        assert_eq!(walk(&s), ["1", "2"]);
        let before = s.insert("vs_a".into(), record(5, 0, "3")).expect("replaced");
        assert_eq!(before.json.get(), "1");
        assert_eq!((s.len(), s["vs_a"].json.get()), (2, "3"));
        assert_eq!(walk(&s), ["3", "2"]);
        assert_eq!(s.remove("vs_b").map(|r| r.json.get().to_string()).as_deref(), Some("2"));
        assert!(s.get("vs_b").is_none() && s.remove("vs_b").is_none());
        assert_eq!(walk(&s), ["3"]);
        assert_eq!(s.values().count(), 1);
    }
}
