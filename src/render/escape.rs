//! Text from data files made safe to show: control characters (ESC, BEL,
//! NUL, a newline that would forge an extra line) become visible Unicode
//! control pictures (`␛`, `␇`, `␀`, `␊`), and long user tokens are cut with
//! `…` before they are echoed in a message.

use std::borrow::Cow;

/// Characters of a user token echoed in a message before it is cut.
pub const MAX_ECHO_CHARS: usize = 60;

/// `text` with every control character shown as its control picture
/// (U+2400 + code for C0, `␡` for DEL, `�` for C1).
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().map(picture).collect())
}

/// `text` like [`visible`], keeping newlines (multi-line messages and tables).
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|ch| ch.is_control() && ch != '\n') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|ch| if ch == '\n' { ch } else { picture(ch) })
            .collect(),
    )
}

/// A user token cut to [`MAX_ECHO_CHARS`] characters with `…`, control
/// characters made visible.
pub fn shorten(text: &str) -> String {
    let shown: String = text.chars().take(MAX_ECHO_CHARS).collect();
    let cut = shown.len() < text.len();
    let mut shown = visible(&shown).into_owned();
    if cut {
        shown.push('…');
    }
    shown
}

/// A message with every quoted token (between backquotes or double
/// quotes) longer than [`MAX_ECHO_CHARS`] cut with `…`, and control
/// characters visible: a 1 MB word is never echoed in full.
pub fn shorten_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4096));
    let mut rest = message;
    while let Some(open_at) = rest.find(['`', '"']) {
        let quote = rest[open_at..].chars().next().unwrap_or('`');
        out.push_str(&visible(&rest[..=open_at]));
        let after = &rest[open_at + 1..];
        let Some(close_at) = after.find(quote) else {
            out.push_str(&shorten(after));
            return out;
        };
        out.push_str(&shorten(&after[..close_at]));
        out.push(quote);
        rest = &after[close_at + 1..];
    }
    out.push_str(&visible(rest));
    out
}

fn picture(ch: char) -> char {
    match u32::from(ch) {
        code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
        0x7f => '\u{2421}',
        0x80..=0x9f => '\u{fffd}',
        _ => ch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_pictures() {
        assert_eq!(visible("a\u{1b}[31mb\u{7}\0\nc"), "a␛[31mb␇␀␊c");
        assert_eq!(visible_lines("a\nb\u{1b}"), "a\nb␛");
        assert!(matches!(visible("Türkiye"), Cow::Borrowed(_)));
    }

    #[test]
    fn quoted_tokens_in_messages_are_cut() {
        let long = "a".repeat(1000);
        let message = format!("no node is named `{long}` (did you mean \"{long}\"?)");
        let short = shorten_quoted(&message);
        assert!(short.len() < 200, "{short}");
        assert!(short.starts_with("no node is named `aaa"));
        assert!(short.contains("…` (did you mean \"a"));
        assert_eq!(shorten_quoted("plain `x` \"y\""), "plain `x` \"y\"");
    }

    #[test]
    fn long_tokens_are_cut() {
        let long = "a".repeat(1_000_000);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), MAX_ECHO_CHARS + 1);
        assert!(short.ends_with('…'));
        assert_eq!(shorten("abc"), "abc");
    }
}
