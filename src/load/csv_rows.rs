//! Splitting quote-free CSV text into records without the CSV state
//! machine, and into chunks that can be read apart: the records and line
//! numbers are those the `csv` reader finds (a unit test compares them).

/// Lines of a text starting at a line end, and the line the CSV reader
/// would report for its first record.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'t> {
    pub text: &'t str,
    pub line: u64,
}

/// Cuts `text` (the CSV reader being at `line` at its start) into chunks
/// of about `target` bytes. A cut follows the end of a non-blank line, so
/// blank lines stay with the record after them, whose line the reader
/// reports as the first blank one's.
pub fn split_chunks(text: &str, line: u64, target: usize) -> Vec<Chunk<'_>> {
    let bytes = text.as_bytes();
    let mut chunks = Vec::with_capacity(text.len() / target.max(1) + 1);
    let (mut start, mut line) = (0, line);
    while start < bytes.len() {
        let mut end = (start + target.max(1)).min(bytes.len());
        while end < bytes.len() && !(bytes[end - 1] == b'\n' && ends_line(bytes, end - 1)) {
            end += 1;
        }
        let piece = &text[start..end];
        chunks.push(Chunk { text: piece, line });
        line += piece.bytes().filter(|byte| *byte == b'\n').count() as u64;
        start = end;
    }
    chunks
}

/// The high bit of each byte of `word` that equals `byte`, and no other
/// bit (exact, unlike the borrow trick, which marks some bytes after a
/// match too).
fn bytes_equal_to(word: u64, byte: u8) -> u64 {
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let zero_where_equal = word ^ (u64::from(byte) * 0x0101_0101_0101_0101);
    !(((zero_where_equal & LOW_SEVEN) + LOW_SEVEN) | zero_where_equal | LOW_SEVEN)
}

/// The end of the line at `at` (its `\n`, or the text's end) in the last
/// bytes of a text, too few for a word; `comma` is called at each comma.
fn line_end(bytes: &[u8], mut at: usize, comma: &mut impl FnMut(usize)) -> usize {
    while let Some(byte) = bytes.get(at) {
        match byte {
            b',' => comma(at),
            b'\n' => break,
            _ => {}
        }
        at += 1;
    }
    at
}

/// Whether the `\n` at `at` ends a non-blank line.
fn ends_line(bytes: &[u8], at: usize) -> bool {
    at > 0 && bytes[at - 1] != b'\n'
}

/// Splits rows of a text with no quotes and no carriage returns: a record
/// per non-empty line, fields between commas.
pub struct FastRows<'t> {
    rest: &'t str,
    /// The line the reader would report for the next record.
    line: u64,
}

impl<'t> FastRows<'t> {
    /// Whether a text is simple enough to be split this way.
    pub fn handles(text: &str) -> bool {
        !text.contains('"') && !text.contains('\r')
    }

    /// Rows from `rest` on, the CSV reader being at `line` there.
    pub fn new(rest: &'t str, line: u64) -> FastRows<'t> {
        FastRows { rest, line }
    }

    /// Reads the next record's fields into `fields`; its line, or `None`
    /// at the end. Like the CSV reader, the line is where the reader stood
    /// before skipping blank lines.
    pub fn read(&mut self, fields: &mut Vec<&'t str>) -> Option<u64> {
        let line = self.line;
        let text = self.rest;
        let bytes = text.as_bytes();
        let mut at = 0;
        while bytes.get(at) == Some(&b'\n') {
            at += 1;
            self.line += 1;
        }
        if at == bytes.len() {
            self.rest = "";
            return None;
        }
        // Eight bytes at a time: the commas and the line end of each word
        // are found at once, then each comma closes a field.
        fields.clear();
        let mut start = at;
        let at = loop {
            let Some(word) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) else {
                break line_end(bytes, at, &mut |comma| {
                    fields.push(&text[start..comma]);
                    start = comma + 1;
                });
            };
            let word = u64::from_le_bytes(*word);
            let newlines = bytes_equal_to(word, b'\n');
            // The commas before the word's first line end, if it has one.
            let mut commas = bytes_equal_to(word, b',');
            if newlines != 0 {
                commas &= (newlines & newlines.wrapping_neg()) - 1;
            }
            while commas != 0 {
                let comma = at + (commas.trailing_zeros() / 8) as usize;
                fields.push(&text[start..comma]);
                start = comma + 1;
                commas &= commas - 1;
            }
            if newlines != 0 {
                break at + (newlines.trailing_zeros() / 8) as usize;
            }
            at += 8;
        };
        fields.push(&text[start..at]);
        self.line += 1;
        self.rest = text.get(at + 1..).unwrap_or("");
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: &[&str] = &[
        "h1,h2\na,b\nc,d\n",
        "h1,h2\na,b\nc,d",
        "h1,h2\n\na,b\n\n\nc,d\n\n",
        "h1,h2\na\n,\n,,,\n  \n x , y \n",
        "h\n",
        "h\n\n\n",
        "h1,h2\na,b,c,d,e\nf\n\ng,\n",
        "h1,h2\n\u{e9},\u{2003}x\n\u{1F600}\n",
        "h\n\n\na\n\n\nb\nc\n\n\n\nd\n\ne\n\n",
    ];

    /// The records of a text and their lines, as the CSV reader finds them.
    fn by_reader(text: &str) -> (Vec<(u64, csv::StringRecord)>, usize, u64) {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        if reader.headers().is_err() {
            panic!("header of {text:?}");
        }
        let (start, line) = (reader.position().byte() as usize, reader.position().line());
        let mut found = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            let line = reader.position().line();
            match reader.read_record(&mut record) {
                Ok(true) => found.push((line, record.clone())),
                _ => break,
            }
        }
        (found, start, line)
    }

    /// The quick row splitter finds the records and lines the CSV reader does.
    #[test]
    fn fast_rows_match_the_csv_reader() {
        for text in TEXTS {
            let (expected, start, line) = by_reader(text);
            assert!(FastRows::handles(&text[start..]), "{text:?} is simple");
            let mut fast = FastRows::new(&text[start..], line);
            let (mut found, mut fields) = (Vec::new(), Vec::new());
            while let Some(line) = fast.read(&mut fields) {
                found.push((line, csv::StringRecord::from(fields.clone())));
            }
            assert_eq!(found, expected, "{text:?}");
        }
        assert!(!FastRows::handles("a,\"b\"\n"));
        assert!(!FastRows::handles("a,b\r\n"));
    }

    proptest::proptest! {
        /// On texts long enough for whole words, with fields and blank
        /// lines of every length and multi-byte characters, the quick
        /// splitter finds the records and lines the CSV reader does.
        #[test]
        fn fast_rows_match_the_csv_reader_on_any_text(
            body in "[a,\n\u{e9}\u{2003}\u{1F600} -]{0,80}",
        ) {
            let text = format!("h1,h2\n{body}");
            let (expected, start, line) = by_reader(&text);
            let mut fast = FastRows::new(&text[start..], line);
            let (mut found, mut fields) = (Vec::new(), Vec::new());
            while let Some(line) = fast.read(&mut fields) {
                found.push((line, csv::StringRecord::from(fields.clone())));
            }
            proptest::prop_assert_eq!(found, expected, "{:?}", text);
        }
    }

    #[test]
    fn words_mark_exactly_the_bytes_equal_to_one() {
        for word in [0u64, u64::MAX, 0x2c2c_2d2c_0a2b_2c00, 0x2d2c_2d2c_2d2c_2d2c] {
            for byte in [b',', b'\n', b'-', 0, 0xff] {
                let expected = word
                    .to_le_bytes()
                    .iter()
                    .enumerate()
                    .filter(|(_, found)| **found == byte)
                    .fold(0u64, |marks, (at, _)| marks | 0x80 << (8 * at));
                assert_eq!(bytes_equal_to(word, byte), expected, "{word:x} {byte}");
            }
        }
    }

    /// Read chunk by chunk, at every chunk size, a text gives the records
    /// and lines of the CSV reader.
    #[test]
    fn chunks_match_the_csv_reader() {
        for text in TEXTS {
            let (expected, start, line) = by_reader(text);
            for target in 1..=text.len() {
                let chunks = split_chunks(&text[start..], line, target);
                let joined: String = chunks.iter().map(|chunk| chunk.text).collect();
                assert_eq!(joined, &text[start..]);
                let (mut found, mut fields) = (Vec::new(), Vec::new());
                for chunk in chunks {
                    let mut fast = FastRows::new(chunk.text, chunk.line);
                    while let Some(line) = fast.read(&mut fields) {
                        found.push((line, csv::StringRecord::from(fields.clone())));
                    }
                }
                assert_eq!(found, expected, "{text:?} in chunks of {target}");
            }
        }
    }
}
