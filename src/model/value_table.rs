//! The distinct property values of a graph. Bulk graphs repeat values
//! heavily (a handful of stages and years, a few thousand items and
//! shares, one tonnage in seven), so the property arena holds a four-byte
//! slot per property and each distinct [`Value`] is stored once, here.
//!
//! Values are told apart exactly: a number by its bits (`0` and `-0`
//! stay two values, so every figure prints as it was read), a string by
//! its allocation (the graph interns strings, so equal texts share one;
//! a string that was not interned only costs a slot of its own). A value
//! may also be stored apart on purpose ([`ValueTable::slot_unless_rare`]): the bulk
//! loader does so for a column whose values seldom repeat. So equal
//! values usually, not always, share a slot; nothing reads a slot as a
//! value's identity.
//!
//! Invariant: a slot, once handed out, names the same value for the life
//! of the table; the look-up index is rebuilt on demand, never stale.

use super::value::Value;

/// The values, and the index that finds a value's slot.
#[derive(Debug, Clone)]
pub(super) struct ValueTable {
    values: Vec<Value>,
    /// Per property key, the slots of its values by value: a key with few
    /// values (a year, a stage) keeps a small index that stays in cache
    /// while a key with many (a tonnage) misses. Equal values under two
    /// keys take two slots. Empty (`indexed` false) after
    /// [`ValueTable::from_values`] until the first [`ValueTable::slot`]
    /// needs it, so opening a snapshot never pays for it.
    by_key: Vec<ValueIndex>,
    indexed: bool,
}

impl Default for ValueTable {
    fn default() -> ValueTable {
        ValueTable {
            values: Vec::new(),
            by_key: Vec::new(),
            indexed: true,
        }
    }
}

impl ValueTable {
    /// A table of values (a snapshot's, distinct when it was written),
    /// not indexed yet: see [`ValueTable::is_indexed`].
    pub(super) fn from_values(values: Vec<Value>) -> ValueTable {
        ValueTable {
            values,
            by_key: Vec::new(),
            indexed: false,
        }
    }

    /// The value in a slot handed out by [`ValueTable::slot`].
    pub(super) fn get(&self, slot: u32) -> Option<&Value> {
        self.values.get(slot as usize)
    }

    /// Every value, in slot order.
    pub(super) fn values(&self) -> &[Value] {
        &self.values
    }

    /// Whether [`ValueTable::slot`] may be called; when not, the owner
    /// calls [`ValueTable::index`] with every property it holds first.
    pub(super) fn is_indexed(&self) -> bool {
        self.indexed
    }

    /// Indexes the slots in use, as `(key index, slot)` pairs.
    pub(super) fn index(&mut self, used: impl Iterator<Item = (u32, u32)>) {
        self.by_key.clear();
        for (key_idx, slot) in used {
            if let Some(value) = self.values.get(slot as usize) {
                let key = ValueKey::of(value);
                self.key_index(key_idx).slot(key, slot);
            }
        }
        self.indexed = true;
    }

    /// The slot of `value` under property key `key_idx`, stored if new.
    pub(super) fn slot(&mut self, key_idx: u32, value: Value) -> u32 {
        let next = self.values.len() as u32;
        let slot = self.key_index(key_idx).slot(ValueKey::of(&value), next);
        if slot == next {
            self.values.push(value);
        }
        slot
    }

    /// The slot of `value` under `key_idx` for a column whose values seldom
    /// repeat: looked up while the key's index is small enough to stay in
    /// cache, else stored in a slot of its own, without looking for an
    /// equal one (there each look-up would be a cache miss, costing more
    /// than a shared slot saves). The index does not learn a value stored
    /// apart, so a later equal value takes a slot of its own too.
    pub(super) fn slot_unless_rare(&mut self, key_idx: u32, value: Value) -> u32 {
        let big = self
            .by_key
            .get(key_idx as usize)
            .is_some_and(|index| index.len >= CACHED_VALUES);
        if !big {
            return self.slot(key_idx, value);
        }
        self.values.push(value);
        self.values.len() as u32 - 1
    }

    fn key_index(&mut self, key_idx: u32) -> &mut ValueIndex {
        let at = key_idx as usize;
        if at >= self.by_key.len() {
            self.by_key.resize_with(at + 1, ValueIndex::default);
        }
        &mut self.by_key[at]
    }
}

/// Values a key's index holds while it still fits in a core's cache (its
/// entries take 16 bytes and it is at most half full: 2 MiB).
const CACHED_VALUES: usize = 1 << 16;

/// What makes two values the same value: the type and the exact bits (a
/// string's, its allocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ValueKey {
    tag: u8,
    bits: u64,
}

impl ValueKey {
    fn of(value: &Value) -> ValueKey {
        let (tag, bits) = match value {
            Value::Number(number) => (0, number.to_bits()),
            Value::Bool(flag) => (1, u64::from(*flag)),
            Value::Str(text) => (2, text.as_ptr() as usize as u64),
            Value::Date(date) => (3, u64::from(date.code())),
        };
        ValueKey { tag, bits }
    }

    /// A hash whose every bit depends on every bit of the key (a whole
    /// number's bits end in dozens of zeros, which a single multiplication
    /// would leave in the low bits).
    fn hash(self) -> u64 {
        mix64(self.bits ^ u64::from(self.tag).wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }
}

/// MurmurHash3's 64-bit finaliser.
fn mix64(mut bits: u64) -> u64 {
    bits ^= bits >> 33;
    bits = bits.wrapping_mul(0xff51_afd7_ed55_8ccd);
    bits ^= bits >> 33;
    bits = bits.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    bits ^ (bits >> 33)
}

/// An open-addressing map from a value's key to its slot, the key kept in
/// the entry: a look-up reads one entry (most often one cache line) and
/// never the values themselves. This is the loader's hot path: one look-up
/// per property of every edge.
#[derive(Debug, Clone, Default)]
struct ValueIndex {
    /// A power of two long, at most half full; linear probing.
    entries: Vec<IndexEntry>,
    len: usize,
}

/// A key and its slot; `slot == VACANT` marks an empty entry.
#[derive(Debug, Clone, Copy)]
struct IndexEntry {
    bits: u64,
    slot: u32,
    tag: u8,
}

const VACANT: u32 = u32::MAX;

const EMPTY_ENTRY: IndexEntry = IndexEntry {
    bits: 0,
    slot: VACANT,
    tag: 0,
};

impl ValueIndex {
    /// The slot of `key`, or `next` (recorded as its slot) when it is new.
    fn slot(&mut self, key: ValueKey, next: u32) -> u32 {
        if (self.len + 1) * 2 > self.entries.len() {
            self.grow();
        }
        let mask = self.entries.len() - 1;
        let mut at = key.hash() as usize & mask;
        loop {
            let entry = &mut self.entries[at];
            if entry.slot == VACANT {
                *entry = IndexEntry {
                    bits: key.bits,
                    slot: next,
                    tag: key.tag,
                };
                self.len += 1;
                return next;
            }
            if entry.bits == key.bits && entry.tag == key.tag {
                return entry.slot;
            }
            at = (at + 1) & mask;
        }
    }

    /// Twice the room, every entry placed again.
    fn grow(&mut self) {
        let size = (self.entries.len() * 2).max(64);
        let old = std::mem::replace(&mut self.entries, vec![EMPTY_ENTRY; size]);
        let mask = size - 1;
        for entry in old.into_iter().filter(|entry| entry.slot != VACANT) {
            let key = ValueKey {
                tag: entry.tag,
                bits: entry.bits,
            };
            let mut at = key.hash() as usize & mask;
            while self.entries[at].slot != VACANT {
                at = (at + 1) & mask;
            }
            self.entries[at] = entry;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArcStr, PartialDate};

    const KEY: u32 = 0;

    #[test]
    fn equal_values_share_a_slot() {
        let mut table = ValueTable::default();
        let mining = ArcStr::from("mining");
        let first = table.slot(KEY, Value::Str(mining.clone()));
        assert_eq!(table.slot(KEY, Value::Number(0.5)), 1);
        assert_eq!(table.slot(KEY, Value::Str(mining)), first);
        assert_eq!(table.slot(KEY, Value::Number(0.5)), 1);
        let year = PartialDate::year_only(2024).unwrap();
        let date = table.slot(KEY, Value::Date(year));
        assert_eq!(table.slot(KEY, Value::Date(year)), date);
        assert_eq!(table.slot(KEY, Value::Bool(true)), 3);
        assert_eq!(table.values().len(), 4);
        assert_eq!(table.get(1), Some(&Value::Number(0.5)));
        assert_eq!(table.get(9), None);
        assert_eq!(table.slot(3, Value::Number(0.5)), 4, "another key");
    }

    #[test]
    fn numbers_are_told_apart_by_their_bits() {
        let mut table = ValueTable::default();
        let zero = table.slot(KEY, Value::Number(0.0));
        assert_ne!(table.slot(KEY, Value::Number(-0.0)), zero);
        let negative = table
            .get(1)
            .and_then(Value::as_f64)
            .map(f64::is_sign_negative);
        assert_eq!(negative, Some(true));
    }

    #[test]
    fn many_values_survive_the_index_growing() {
        let mut table = ValueTable::default();
        for round in 0..2 {
            for number in 0..10_000u32 {
                let slot = table.slot(KEY, Value::Number(f64::from(number) * 1000.0));
                assert_eq!(slot, number, "round {round}");
            }
        }
        assert_eq!(table.values().len(), 10_000);
    }

    #[test]
    fn rare_values_share_slots_until_their_key_has_many() {
        let mut table = ValueTable::default();
        let number = |n: usize| Value::Number(n as f64);
        for n in 0..CACHED_VALUES - 1 {
            assert_eq!(table.slot_unless_rare(KEY, number(n)), n as u32);
        }
        assert_eq!(table.slot_unless_rare(KEY, number(7)), 7, "still shared");
        let last = CACHED_VALUES - 1;
        assert_eq!(table.slot_unless_rare(KEY, number(last)), last as u32);
        let apart = table.slot_unless_rare(KEY, number(7));
        let again = table.slot_unless_rare(KEY, number(7));
        assert_eq!(table.values().len(), CACHED_VALUES + 2);
        assert_ne!(apart, again, "each stored apart");
        for slot in [7, apart, again] {
            assert_eq!(table.get(slot), Some(&number(7)));
        }
        assert_eq!(
            table.slot(KEY, number(7)),
            7,
            "the index keeps the shared one"
        );
        let other = table.slot_unless_rare(1, number(7));
        assert_eq!(
            table.slot_unless_rare(1, number(7)),
            other,
            "another key is small"
        );
    }

    #[test]
    fn a_table_from_values_finds_them_again_once_indexed() {
        let values = vec![Value::Number(1.0), Value::Number(2.0), Value::Bool(false)];
        let mut table = ValueTable::from_values(values);
        assert!(!table.is_indexed());
        table.index([(KEY, 0), (KEY, 1), (1, 2), (KEY, 7)].into_iter());
        assert!(table.is_indexed());
        assert_eq!(table.slot(KEY, Value::Number(2.0)), 1);
        assert_eq!(table.slot(1, Value::Bool(false)), 2);
        assert_eq!(table.slot(KEY, Value::Number(3.0)), 3);
        assert_eq!(table.values().len(), 4);
    }
}
