//! Unicode normalisation of names: `Türkiye` typed as one precomposed `ü`
//! (NFC) or as `u` + a combining diaeresis (NFD) is the same name, for
//! look-up and for duplicate checks. Names are stored in NFC.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// `text` in Unicode Normalization Form C; borrowed when it already is.
pub fn nfc(text: &str) -> Cow<'_, str> {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => Cow::Borrowed(text),
        _ => Cow::Owned(text.nfc().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_and_decomposed_spellings_agree() {
        let composed = "T\u{fc}rkiye";
        let decomposed = "Tu\u{308}rkiye";
        assert_ne!(composed, decomposed);
        assert_eq!(nfc(decomposed), composed);
        assert!(matches!(nfc(composed), Cow::Borrowed(_)));
    }
}
