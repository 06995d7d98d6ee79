//! The distinct property values of a graph. Bulk graphs repeat values
//! heavily (a handful of stages and years, a few thousand items and
//! shares, one tonnage in seven), so the property arena holds a four-byte
//! slot per property and each distinct [`Value`] is stored once, here.
//!
//! Values are told apart exactly: a number by its bits (`0` and `-0`
//! stay two values, so every figure prints as it was read), a string by
//! its allocation (the graph interns strings, so equal texts share one;
//! a string that was not interned only costs a slot of its own).
//!
//! Invariant: a slot, once handed out, names the same value for the life
//! of the table; the look-up index is rebuilt on demand, never stale.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use super::value::Value;

/// The distinct values, and the index that finds a value's slot.
#[derive(Debug, Clone, Default)]
pub(super) struct ValueTable {
    values: Vec<Value>,
    /// The slots of `values[..index.len()]` by value; filled up to the
    /// whole table on the first [`ValueTable::slot`] after a bulk start
    /// ([`ValueTable::from_values`]), so opening a snapshot never pays for it.
    index: HashTable<u32>,
}

impl ValueTable {
    /// A table of values (a snapshot's, distinct when it was written).
    pub(super) fn from_values(values: Vec<Value>) -> ValueTable {
        ValueTable {
            values,
            index: HashTable::new(),
        }
    }

    /// The value in a slot handed out by [`ValueTable::slot`].
    pub(super) fn get(&self, slot: u32) -> Option<&Value> {
        self.values.get(slot as usize)
    }

    /// Every distinct value, in slot order.
    pub(super) fn values(&self) -> &[Value] {
        &self.values
    }

    /// The slot of `value`, stored if new.
    pub(super) fn slot(&mut self, value: Value) -> u32 {
        if self.index.len() < self.values.len() {
            self.index_all();
        }
        let key = ValueKey::of(&value);
        let hash = key.hash();
        let values = &self.values;
        let found = self
            .index
            .find(hash, |slot| ValueKey::of(&values[*slot as usize]) == key);
        if let Some(slot) = found {
            return *slot;
        }
        let slot = self.values.len() as u32;
        self.values.push(value);
        let values = &self.values;
        self.index.insert_unique(hash, slot, |slot| {
            ValueKey::of(&values[*slot as usize]).hash()
        });
        slot
    }

    /// Indexes every value (after [`ValueTable::from_values`]).
    fn index_all(&mut self) {
        let values = &self.values;
        let hash_of = |slot: &u32| ValueKey::of(&values[*slot as usize]).hash();
        self.index.clear();
        self.index.reserve(values.len(), hash_of);
        for (slot, value) in values.iter().enumerate() {
            self.index
                .insert_unique(ValueKey::of(value).hash(), slot as u32, hash_of);
        }
    }
}

/// What makes two values the same value: the type and the exact bits (a
/// string's, its allocation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ValueKey(u8, u64);

impl ValueKey {
    fn of(value: &Value) -> ValueKey {
        match value {
            Value::Number(number) => ValueKey(0, number.to_bits()),
            Value::Bool(flag) => ValueKey(1, u64::from(*flag)),
            Value::Str(text) => ValueKey(2, text.as_ptr() as usize as u64),
            Value::Date(date) => ValueKey(3, u64::from(date.code())),
        }
    }

    fn hash(self) -> u64 {
        FxBuildHasher.hash_one(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArcStr, PartialDate};

    #[test]
    fn equal_values_share_a_slot() {
        let mut table = ValueTable::default();
        let mining = ArcStr::from("mining");
        let first = table.slot(Value::Str(mining.clone()));
        assert_eq!(table.slot(Value::Number(0.5)), 1);
        assert_eq!(table.slot(Value::Str(mining)), first);
        assert_eq!(table.slot(Value::Number(0.5)), 1);
        let year = PartialDate::year_only(2024).unwrap();
        let date = table.slot(Value::Date(year));
        assert_eq!(table.slot(Value::Date(year)), date);
        assert_eq!(table.slot(Value::Bool(true)), 3);
        assert_eq!(table.values().len(), 4);
        assert_eq!(table.get(1), Some(&Value::Number(0.5)));
        assert_eq!(table.get(9), None);
    }

    #[test]
    fn numbers_are_told_apart_by_their_bits() {
        let mut table = ValueTable::default();
        let zero = table.slot(Value::Number(0.0));
        assert_ne!(table.slot(Value::Number(-0.0)), zero);
        assert_eq!(
            table
                .get(1)
                .and_then(Value::as_f64)
                .map(f64::is_sign_negative),
            Some(true)
        );
    }

    #[test]
    fn a_table_from_values_finds_them_again() {
        let values = vec![Value::Number(1.0), Value::Number(2.0), Value::Bool(false)];
        let mut table = ValueTable::from_values(values);
        assert_eq!(table.slot(Value::Number(2.0)), 1);
        assert_eq!(table.slot(Value::Bool(false)), 2);
        assert_eq!(table.slot(Value::Number(3.0)), 3);
        assert_eq!(table.values().len(), 4);
    }
}
