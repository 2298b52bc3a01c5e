//! Very long lines (minified JSON, generated bundles, a hostile one-line file) are cut for
//! display: only the first [`MAX_SHOWN_BYTES`] bytes are drawn, followed by a visible marker
//! saying how much was left out. Only the display is cut: the hunk keeps every byte, so its
//! id — and any approval of it — covers the whole line.

use super::sanitize::{Sanitized, sanitize};

/// How many bytes of one line are drawn before the rest is replaced by a marker.
pub const MAX_SHOWN_BYTES: usize = 4096;

/// `bytes` made safe to print (see [`sanitize`]), cut after [`MAX_SHOWN_BYTES`] on a
/// character boundary with a `⟪… N more bytes not shown⟫` marker.
pub fn shown_line(bytes: &[u8]) -> Sanitized {
    if bytes.len() <= MAX_SHOWN_BYTES {
        return sanitize(bytes);
    }
    // Back up over UTF-8 continuation bytes so no character is split (at most 3).
    let cut = (MAX_SHOWN_BYTES - 3..=MAX_SHOWN_BYTES)
        .rev()
        .find(|&i| bytes[i] & 0xC0 != 0x80)
        .unwrap_or(MAX_SHOWN_BYTES);
    let mut shown = sanitize(&bytes[..cut]);
    let marker = format!("⟪… {} more bytes not shown⟫", bytes.len() - cut);
    let start = shown.text.len();
    shown.text.push_str(&marker);
    shown.markers.push(start..shown.text.len());
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_are_only_sanitized() {
        assert_eq!(shown_line(b"a\x1bb"), sanitize(b"a\x1bb"));
    }

    #[test]
    fn long_lines_are_cut_with_a_marker_counting_the_rest() {
        let line = vec![b'x'; MAX_SHOWN_BYTES + 10];
        let shown = shown_line(&line);
        assert!(
            shown.text.ends_with("x⟪… 10 more bytes not shown⟫"),
            "{}",
            &shown.text[MAX_SHOWN_BYTES - 5..]
        );
        let marker = shown.markers.last().unwrap();
        assert_eq!(marker.start, MAX_SHOWN_BYTES);
        assert_eq!(marker.end, shown.text.len());
    }

    #[test]
    fn the_cut_never_splits_a_character() {
        // "é" is two bytes: with an odd prefix the limit falls inside one.
        let mut line = b"x".to_vec();
        line.extend("é".repeat(MAX_SHOWN_BYTES).as_bytes());
        let shown = shown_line(&line);
        assert!(!shown.text.contains('\u{FFFD}') && !shown.text.contains("\\x"));
        assert!(shown.text.contains(&format!(
            "{} more bytes not shown",
            line.len() - MAX_SHOWN_BYTES + 1
        )));
    }
}
