//! Splitting a script into statements.
//!
//! A statement ends at `;` or at a newline, except that a newline inside an
//! open quote or bracket, after a line ending in `|`, or before a line
//! starting with `|` continues the statement. `#` starts a comment (outside
//! quotes) that runs to the end of the line. The scan is linear.

/// The byte range of one statement's raw text (comments and blanks included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub start: usize,
    pub end: usize,
}

/// The raw statement segments of `text`, in order; some may be blank.
pub(crate) fn split_statements(text: &str) -> Vec<Segment> {
    scan(text).0
}

/// Whether the next line continues `text`'s last statement: an open quote
/// or bracket, or a last line ending in `|` (the rule [`split_statements`]
/// applies at each newline; the shell asks it for its continuation prompt).
pub fn statement_continues(text: &str) -> bool {
    scan(text).1
}

/// The segments, and whether the last one is still open at the end.
fn scan(text: &str) -> (Vec<Segment>, bool) {
    let bytes = text.as_bytes();
    let mut segments = Vec::new();
    let (mut start, mut idx) = (0, 0);
    let mut depth: usize = 0;
    let mut last_significant: Option<u8> = None;
    let mut open_string = false;
    while idx < bytes.len() {
        match bytes[idx] {
            b'"' => {
                let (after, closed) = skip_string(bytes, idx);
                idx = after;
                open_string = !closed;
                last_significant = Some(b'"');
                continue;
            }
            b'#' => {
                idx = skip_comment(bytes, idx);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b';' => {
                segments.push(Segment { start, end: idx });
                (start, depth, last_significant) = (idx + 1, 0, None);
                idx += 1;
                continue;
            }
            b'\n' => {
                let next = next_significant(bytes, idx);
                let continues =
                    depth > 0 || last_significant == Some(b'|') || bytes.get(next) == Some(&b'|');
                if !continues {
                    segments.push(Segment { start, end: idx });
                    (start, last_significant) = (idx + 1, None);
                }
                idx = next;
                continue;
            }
            _ => {}
        }
        if !bytes[idx].is_ascii_whitespace() {
            last_significant = Some(bytes[idx]);
        }
        idx += 1;
    }
    segments.push(Segment {
        start,
        end: bytes.len(),
    });
    let open = open_string || depth > 0 || last_significant == Some(b'|');
    (segments, open)
}

/// The index just past the string starting at `open` (or the end of
/// text), and whether its closing quote was found.
fn skip_string(bytes: &[u8], open: usize) -> (usize, bool) {
    let mut idx = open + 1;
    while idx < bytes.len() {
        match bytes[idx] {
            b'\\' => idx += 2,
            b'"' => return (idx + 1, true),
            _ => idx += 1,
        }
    }
    (bytes.len(), false)
}

/// The index of the newline ending the comment at `hash` (or the end of text).
fn skip_comment(bytes: &[u8], hash: usize) -> usize {
    bytes[hash..]
        .iter()
        .position(|&byte| byte == b'\n')
        .map_or(bytes.len(), |offset| hash + offset)
}

/// The index of the first byte after `newline` that is neither blank nor in a
/// comment; blank lines and comment lines in between are skipped.
fn next_significant(bytes: &[u8], newline: usize) -> usize {
    let mut idx = newline + 1;
    while idx < bytes.len() {
        match bytes[idx] {
            b'#' => idx = skip_comment(bytes, idx),
            byte if byte.is_ascii_whitespace() => idx += 1,
            _ => return idx,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The non-blank statement texts of `text`, trimmed.
    fn statements(text: &str) -> Vec<&str> {
        split_statements(text)
            .into_iter()
            .map(|segment| text[segment.start..segment.end].trim())
            .filter(|statement| !statement.is_empty())
            .collect()
    }

    #[test]
    fn splits_on_newlines_and_semicolons() {
        assert_eq!(
            statements("show a\nshow b; show c"),
            ["show a", "show b", "show c"]
        );
    }

    #[test]
    fn continues_after_and_before_a_bar() {
        assert_eq!(
            statements("list x |\n take 1\nlist y\n\n  # note\n | take 2"),
            ["list x |\n take 1", "list y\n\n  # note\n | take 2"]
        );
    }

    #[test]
    fn continues_inside_quotes_and_brackets() {
        assert_eq!(
            statements("show \"a\nb\"\nlist x where k in (a,\n b)"),
            ["show \"a\nb\"", "list x where k in (a,\n b)"]
        );
    }

    #[test]
    fn comments_hide_separators_but_quotes_hide_comments() {
        assert_eq!(
            statements("show a # ; not a split\nshow \"#b;\""),
            ["show a # ; not a split", "show \"#b;\""]
        );
    }

    #[test]
    fn unclosed_quote_runs_to_the_end() {
        assert_eq!(statements("show \"a\nshow b"), ["show \"a\nshow b"]);
    }
}
