//! The built-in rule against hidden text (SPEC §9), written in Rust rather than Rego because it
//! reads the raw bytes of every added line: terminal escapes, carriage returns that overwrite a
//! line, bidirectional controls that reorder code (Trojan Source), other control and invisible
//! characters, invalid UTF-8, and identifiers that mix look-alike scripts. Each offending line
//! becomes a finding on its hunk, like a policy's.

use super::engine::RuleKind;
use super::finding::{Anchor, Finding, Origin, Severity};
use super::source_map::Span;
use crate::model::{ChangeSet, LineKind};
use crate::render::sanitize::is_hidden;

/// The rule id of hidden or control characters.
pub const HIDDEN_RULE: &str = "countersign-hidden-characters";
/// The rule id of identifiers mixing scripts.
pub const MIXED_SCRIPT_RULE: &str = "countersign-mixed-script-identifier";
/// Where the rules are, as findings name a policy.
const POLICY: &str = "builtin:src/policy/hidden.rs";
/// Findings per file at most (a file full of them says so well before this).
const PER_FILE: usize = 50;

/// What was found on a line, in the order met.
#[derive(Default)]
struct Seen {
    names: Vec<String>,
    severe: bool,
}

impl Seen {
    fn add(&mut self, name: String, severe: bool) {
        self.severe |= severe;
        if !self.names.contains(&name) {
            self.names.push(name);
        }
    }
}

/// Every added line of `change` that carries hidden text, as findings on its hunk.
pub fn scan(change: &ChangeSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    for file in &change.files {
        let path = String::from_utf8_lossy(file.path()).into_owned();
        let mut in_file = 0;
        for hunk in &file.hunks {
            for line in hunk.lines.iter().filter(|l| l.kind == LineKind::Added) {
                let number = line.new_lineno.unwrap_or(hunk.new_start);
                let mut found = Vec::new();
                let hidden = hidden_in(&line.bytes);
                if !hidden.names.is_empty() {
                    let severity = if hidden.severe {
                        Severity::High
                    } else {
                        Severity::Medium
                    };
                    let message = format!(
                        "line {number} hides text from the reader: {}",
                        hidden.names.join(", ")
                    );
                    found.push((HIDDEN_RULE, severity, message));
                }
                for word in mixed_script_words(&String::from_utf8_lossy(&line.bytes)) {
                    let message = format!(
                        "line {number}: identifier \"{word}\" mixes scripts ({}), so it may only look like the name it imitates",
                        scripts_of(&word).join(" and ")
                    );
                    found.push((MIXED_SCRIPT_RULE, Severity::Medium, message));
                }
                for (rule, severity, message) in found {
                    if in_file == PER_FILE {
                        break;
                    }
                    in_file += 1;
                    findings.push(Finding {
                        rule: rule.into(),
                        severity,
                        message,
                        remediation: Some(
                            "Remove the character, or write it as a visible escape (\\u202E, \\x1b) if it is meant; rename look-alike identifiers with one script.".into(),
                        ),
                        resource: None,
                        path: None,
                        kind: RuleKind::Deny,
                        policy: POLICY.into(),
                        file: path.clone(),
                        lines: Some(Span::new(number, number)),
                        origin: Origin::Introduced,
                        anchor: Anchor::Hunks(vec![hunk.id.clone()]),
                    });
                }
            }
        }
    }
    findings
}

/// The hidden characters of one line. A carriage return at the very end (a CRLF file) is not
/// hidden text.
fn hidden_in(bytes: &[u8]) -> Seen {
    let mut seen = Seen::default();
    let body = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    for chunk in body.utf8_chunks() {
        for c in chunk.valid().chars() {
            let cp = u32::from(c);
            match cp {
                0x1B => seen.add("ESC (a terminal escape sequence)".into(), true),
                0x0D => seen.add(
                    "CR (a carriage return that overwrites the line)".into(),
                    true,
                ),
                0x08 => seen.add("BS (a backspace that erases)".into(), true),
                0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 => {
                    seen.add(format!("U+{cp:04X} (a bidirectional control)"), true)
                }
                0x09 => {}
                0x00..=0x1F | 0x7F..=0x9F => {
                    seen.add(format!("U+{cp:04X} (a control character)"), false)
                }
                // Bidirectional controls and C1 controls are matched above.
                _ if is_hidden(cp) => {
                    seen.add(format!("U+{cp:04X} (an invisible character)"), false)
                }
                _ => {}
            }
        }
        if !chunk.invalid().is_empty() {
            seen.add("bytes that are not UTF-8".into(), false);
        }
    }
    seen
}

/// The look-alike script of a letter, when it has one.
fn script(c: char) -> Option<&'static str> {
    match u32::from(c) {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Some("Latin"),
        0x370..=0x3FF | 0x1F00..=0x1FFF => Some("Greek"),
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Some("Cyrillic"),
        0x530..=0x58F => Some("Armenian"),
        0x13A0..=0x13FF => Some("Cherokee"),
        _ => None,
    }
}

/// The scripts of a word's letters, in the order met.
fn scripts_of(word: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for s in word.chars().filter_map(script) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// The identifier-like words of `text` whose letters come from more than one look-alike
/// script (`pаssword` with a Cyrillic `а`).
fn mixed_script_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_ascii() && scripts_of(w).len() > 1)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_carriage_returns_and_bidi_are_high_the_rest_medium() {
        let high = |s: &[u8]| {
            let seen = hidden_in(s);
            (seen.severe, seen.names)
        };
        assert!(high(b"Action = \"*\"\x1b[2K").0);
        assert!(high(b"Resource = \"*\"\rResource = \"arn\"").0);
        assert!(high("// check \u{202E}nimda\u{2066}".as_bytes()).0);
        let (severe, names) = high("user\u{200B}name".as_bytes());
        assert!(!severe);
        assert_eq!(names, ["U+200B (an invisible character)"]);
        assert!(
            high(b"name = \"x\"\r").1.is_empty(),
            "a CRLF line end is fine"
        );
        assert!(high(b"\tindented").1.is_empty());
    }

    #[test]
    fn look_alike_identifiers_are_found() {
        assert_eq!(
            mixed_script_words("p\u{0430}ssword = var.x"),
            ["p\u{0430}ssword"]
        );
        assert!(mixed_script_words("name = \"Zürich\" # café").is_empty());
        assert!(mixed_script_words("описание = \"пароль\"").is_empty());
    }
}
