//! Short texts (up to 15 bytes: most ids, kinds and codes of a bulk file)
//! packed into two integers, so that a worker compares and hashes them
//! without a call to `memcmp` or a read of a string kept elsewhere.
//!
//! Invariant: two texts pack to equal keys exactly when they are equal.

use rustc_hash::FxHashMap;

/// The longest text that packs.
const LONGEST: usize = 15;

/// A text of at most [`LONGEST`] bytes as two integers: its bytes, in an
/// order fixed by its length, and the length in the top byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct ShortText {
    low: u64,
    high: u64,
}

impl ShortText {
    /// The text packed; `None` if it is longer than [`LONGEST`] bytes.
    pub fn new(text: &str) -> Option<ShortText> {
        let bytes = text.as_bytes();
        let len = bytes.len();
        // Loads that may overlap: with the length known, they still give
        // every byte once at a fixed place.
        let (low, high) = match len {
            0 => (0, 0),
            1..=3 => {
                let middle = bytes[len / 2];
                let last = bytes[len - 1];
                let low = u64::from(bytes[0]) | u64::from(middle) << 8 | u64::from(last) << 16;
                (low, 0)
            }
            4..=7 => {
                let first = u32::from_le_bytes(*bytes.first_chunk::<4>()?);
                let last = u32::from_le_bytes(*bytes.last_chunk::<4>()?);
                (u64::from(first) | u64::from(last) << 32, 0)
            }
            8..=LONGEST => {
                let first = u64::from_le_bytes(*bytes.first_chunk::<8>()?);
                let last = u64::from_le_bytes(*bytes.last_chunk::<8>()?);
                // The bytes after the first eight, at the bottom: the top
                // byte stays clear for the length.
                let rest = last.checked_shr(8 * (16 - len) as u32).unwrap_or(0);
                (first, rest)
            }
            _ => return None,
        };
        Some(ShortText {
            low,
            high: high | (len as u64) << 56,
        })
    }
}

/// A map from texts, looked up by their packed form when they pack.
pub(super) struct TextMap<V> {
    short: FxHashMap<ShortText, V>,
    long: FxHashMap<Box<str>, V>,
}

impl<V: Copy> TextMap<V> {
    pub fn new<'t>(entries: impl Iterator<Item = (&'t str, V)>) -> TextMap<V> {
        let (mut short, mut long) = (FxHashMap::default(), FxHashMap::default());
        for (text, value) in entries {
            match ShortText::new(text) {
                Some(key) => short.insert(key, value),
                None => long.insert(Box::from(text), value),
            };
        }
        TextMap { short, long }
    }

    /// The value of `text`, whose packed form (if it packs) is `key`.
    pub fn get(&self, text: &str, key: Option<ShortText>) -> Option<V> {
        match key {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(text).copied(),
        }
    }
}

/// Values of short texts looked up lately, in a small table with one
/// place per text (a later text that falls on the same place replaces it):
/// a bulk file's rows name a few hundred ids over and over, and this table
/// stays in the core's nearest cache where the full map does not.
pub(super) struct RecentTexts<V> {
    slots: Vec<Option<(ShortText, V)>>,
}

/// The places of a [`RecentTexts`], as a power of two.
const RECENT_BITS: u32 = 9;

impl<V: Copy> RecentTexts<V> {
    pub fn new() -> RecentTexts<V> {
        RecentTexts {
            slots: vec![None; 1 << RECENT_BITS],
        }
    }

    /// The value of `key`: the one kept if it is there, else `look_up`'s,
    /// kept from now on.
    pub fn get_or(&mut self, key: ShortText, look_up: impl FnOnce() -> V) -> V {
        let mixed = (key.low ^ key.high.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let place = (mixed >> (64 - RECENT_BITS)) as usize;
        let Some(slot) = self.slots.get_mut(place) else {
            return look_up();
        };
        match slot {
            Some((kept, value)) if *kept == key => *value,
            _ => {
                let value = look_up();
                *slot = Some((key, value));
                value
            }
        }
    }
}

/// The last text seen in one place (a column of a chunk): a repeat of a
/// short one is told by comparing two integers.
#[derive(Debug, Default)]
pub(super) struct LastText {
    /// The last text if it is short.
    short: Option<ShortText>,
    /// The last text if it is long (no long text is empty, so the empty
    /// text kept at first matches none).
    long: String,
}

impl LastText {
    /// Whether `text`, whose packed form is `key`, is the last text kept.
    #[inline]
    pub fn is(&self, text: &str, key: Option<ShortText>) -> bool {
        match key {
            Some(key) => self.short == Some(key),
            None => self.short.is_none() && self.long == text,
        }
    }

    /// Keeps `text`, whose packed form is `key`, as the last one.
    #[inline]
    pub fn keep(&mut self, text: &str, key: Option<ShortText>) {
        self.short = key;
        if key.is_none() {
            self.long.clear();
            self.long.push_str(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Two texts pack to equal keys exactly when they are equal, and
        /// exactly the texts of at most 15 bytes pack.
        #[test]
        fn keys_are_equal_exactly_when_texts_are(
            first in "[ab\\x00\\u{e9}\\u{1F600}]{0,17}",
            second in "[ab\\x00\\u{e9}\\u{1F600}]{0,17}",
        ) {
            for text in [&first, &second] {
                prop_assert_eq!(ShortText::new(text).is_some(), text.len() <= 15);
            }
            if let (Some(one), Some(other)) = (ShortText::new(&first), ShortText::new(&second)) {
                prop_assert_eq!(one == other, first == second, "{:?} {:?}", first, second);
            }
        }
    }

    /// Texts that differ in one byte, at every length and place, pack apart.
    #[test]
    fn one_byte_apart_packs_apart() {
        for len in 0..=LONGEST {
            let text = "a".repeat(len);
            let key = ShortText::new(&text);
            assert!(key.is_some());
            assert_ne!(key, ShortText::new(&"a".repeat(len + 1)), "{len}");
            for at in 0..len {
                let mut other = text.clone().into_bytes();
                other[at] = b'b';
                let other = String::from_utf8(other).unwrap_or_default();
                assert_ne!(key, ShortText::new(&other), "{len} {at}");
            }
        }
    }

    #[test]
    fn the_last_text_is_the_one_kept() {
        let mut last = LastText::default();
        let texts = [
            "",
            "c1",
            "a-rather-long-node-id",
            "c2",
            "a-rather-long-node-id-2",
        ];
        for text in texts {
            assert!(!last.is(text, ShortText::new(text)), "{text:?} before any");
        }
        for text in texts {
            last.keep(text, ShortText::new(text));
            for other in texts {
                assert_eq!(last.is(other, ShortText::new(other)), other == text);
            }
        }
    }

    #[test]
    fn recent_texts_give_the_looked_up_value() {
        let mut recent = RecentTexts::new();
        let mut looked_up = 0;
        for round in 0..3 {
            for number in 0..2000u32 {
                let text = format!("c{number}");
                let key = ShortText::new(&text).unwrap_or(ShortText { low: 0, high: 0 });
                let value = recent.get_or(key, || {
                    looked_up += 1;
                    number * 2
                });
                assert_eq!(value, number * 2, "{text} in round {round}");
            }
        }
        // Kept values were used: fewer look-ups than texts.
        assert!(looked_up < 6000, "{looked_up}");
        let key = ShortText::new("c7").unwrap_or(ShortText { low: 0, high: 0 });
        assert_eq!(recent.get_or(key, || 14), 14);
        assert_eq!(recent.get_or(key, || 99), 14);
    }

    #[test]
    fn maps_find_short_and_long_texts() {
        let texts = ["c1", "united-states", "a-rather-long-node-id", "x"];
        let map = TextMap::new(texts.iter().enumerate().map(|(at, text)| (*text, at)));
        for (at, text) in texts.iter().enumerate() {
            assert_eq!(map.get(text, ShortText::new(text)), Some(at));
        }
        for text in ["c2", "", "a-rather-long-node-id-2"] {
            assert_eq!(map.get(text, ShortText::new(text)), None);
        }
    }
}
