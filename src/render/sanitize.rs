//! What reaches the terminal is what is in the file (SPEC §9): control characters,
//! bidirectional controls, invisible characters and invalid UTF-8 are replaced by visible
//! markers before anything is drawn, and the markers' positions are kept so they can be
//! painted in a warning colour.

use std::ops::Range;

/// Display text made safe for a terminal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sanitized {
    /// The text: every hidden or hostile character replaced by a visible marker, tabs expanded.
    pub text: String,
    /// Byte ranges of `text` that are markers (not the file's own characters).
    pub markers: Vec<Range<usize>>,
}

/// Tab stops every this many columns, as delta and most pagers do.
pub const TAB_WIDTH: usize = 4;

/// Makes `bytes` safe to print: see the module docs. Tabs expand to [`TAB_WIDTH`] stops.
pub fn sanitize(bytes: &[u8]) -> Sanitized {
    let mut out = Sanitized {
        text: String::with_capacity(bytes.len()),
        markers: Vec::new(),
    };
    let mut column = 0;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == '\t' {
                let n = TAB_WIDTH - column % TAB_WIDTH;
                out.text.extend(std::iter::repeat_n(' ', n));
                column += n;
            } else if let Some(marker) = marker_for(c) {
                column += push_marker(&mut out, &marker);
            } else {
                out.text.push(c);
                column += 1;
            }
        }
        for b in chunk.invalid() {
            column += push_marker(&mut out, &format!("\\x{b:02X}"));
        }
    }
    out
}

/// Convenience for single-line display strings (paths, titles, messages): the sanitized text
/// without marker positions.
pub fn sanitize_str(s: &str) -> String {
    sanitize(s.as_bytes()).text
}

fn push_marker(out: &mut Sanitized, marker: &str) -> usize {
    let start = out.text.len();
    out.text.push_str(marker);
    out.markers.push(start..out.text.len());
    marker.chars().count()
}

/// The visible marker for a character that must not reach the terminal as itself.
fn marker_for(c: char) -> Option<String> {
    let cp = u32::from(c);
    match cp {
        // C0 controls: the Unicode control pictures (␀ … ␟), distinct per character.
        0x00..=0x1F => char::from_u32(0x2400 + cp).map(String::from),
        0x7F => Some("␡".into()),
        _ if is_hidden(cp) => Some(format!("⟨U+{cp:04X}⟩")),
        _ => None,
    }
}

/// C1 controls, bidirectional controls, default-ignorable/invisible characters, line and
/// paragraph separators and non-characters.
pub(crate) fn is_hidden(cp: u32) -> bool {
    matches!(cp,
        0x80..=0x9F
        | 0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F
        | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0x3164
        | 0xFDD0..=0xFDEF | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
        || cp & 0xFFFE == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hostile_characters_become_markers() {
        let s = sanitize("a\x1b[2Kb\rc\u{202E}d\u{200B}e".as_bytes());
        assert_eq!(s.text, "a␛[2Kb␍c⟨U+202E⟩d⟨U+200B⟩e");
        assert_eq!(s.markers.len(), 4);
        assert_eq!(&s.text[s.markers[2].clone()], "⟨U+202E⟩");
    }

    #[test]
    fn invalid_utf8_is_shown_as_hex_and_tabs_expand() {
        let s = sanitize(b"x\xffy\tz");
        assert_eq!(s.text, "x\\xFFy  z");
        let t = sanitize(b"\tab\tc");
        assert_eq!(t.text, "    ab  c");
    }

    proptest! {
        #[test]
        fn output_never_carries_controls_or_bidi(bytes in proptest::collection::vec(any::<u8>(), 0..200), s in any::<String>()) {
            for input in [bytes.as_slice(), s.as_bytes()] {
                let out = sanitize(input).text;
                prop_assert!(!out.chars().any(|c| (c as u32) < 0x20 || c == '\x7f'
                    || (0x80..=0x9f).contains(&(c as u32))
                    || matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C)));
            }
        }
    }
}
