//! Small SVG writing helpers shared by the graph picture and the chart:
//! escaping, text width estimates and word wrapping.

use std::fmt::Write;

/// The font every picture uses; widths below are estimated for it.
pub const FONT: &str = "Helvetica, Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif";

/// Estimated width of `text` at `size` px: 0.62 em per character, generous
/// for Helvetica/Arial/DejaVu Sans so that boxes never clip their text.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.62
}

/// Text for an SVG/XML text node or attribute value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ch if ch.is_control() => out.push(' '),
            ch => out.push(ch),
        }
    }
    out
}

/// Words wrapped into at most `max_lines` lines of at most `width` chars;
/// a last line that cannot hold the rest ends with `…`.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let word: String = if word.chars().count() > width {
            let mut cut: String = word.chars().take(width.saturating_sub(1)).collect();
            cut.push('…');
            cut
        } else {
            word.to_string()
        };
        let needed =
            current.chars().count() + usize::from(!current.is_empty()) + word.chars().count();
        if !current.is_empty() && needed > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let keep = width.saturating_sub(1);
            if last.chars().count() > keep {
                *last = last.chars().take(keep).collect();
            }
            last.push('…');
        }
    }
    lines
}

/// A number in a picture: 2 decimals at most, no trailing zeros.
pub fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        return crate::model::format_number(value);
    }
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Writes `<text>` lines starting at (`x`, `y`), one per `line_height`.
pub fn text_lines(
    out: &mut String,
    lines: &[String],
    x: f64,
    y: f64,
    line_height: f64,
    attrs: &str,
) {
    for (line_number, line) in lines.iter().enumerate() {
        let _ = writeln!(
            out,
            r#"<text x="{x:.1}" y="{:.1}" {attrs}>{}</text>"#,
            y + line_number as f64 * line_height,
            escape(line)
        );
    }
}

/// The opening `<svg>` element with a white background.
pub fn open(out: &mut String, width: f64, height: f64, label: &str) {
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONT}" role="img" aria-label="{}">"#,
        escape(label)
    );
    let _ = writeln!(
        out,
        r##"<rect x="0" y="0" width="{width:.0}" height="{height:.0}" fill="#ffffff"/>"##
    );
}
