//! OpenSSH pattern lists (ssh_config(5), PATTERNS): comma-separated patterns with `*` and `?`
//! wildcards, where a pattern prefixed with `!` excludes what it matches.

use std::fmt;

/// A pattern list, kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternList(String);

impl PatternList {
    /// The list `text` (for example `alice@example.com,*@ops.example.com,!bob@ops.example.com`).
    pub fn new(text: &str) -> PatternList {
        PatternList(text.to_string())
    }

    /// The list as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when some pattern matches `name` and no negated one does (case-sensitive, as
    /// OpenSSH compares principals and namespaces).
    pub fn matches(&self, name: &str) -> bool {
        let mut matched = false;
        for pattern in self.0.split(',') {
            let (negated, pattern) = match pattern.strip_prefix('!') {
                Some(p) => (true, p),
                None => (false, pattern),
            };
            if glob(name.as_bytes(), pattern.as_bytes()) {
                if negated {
                    return false;
                }
                matched = true;
            }
        }
        matched
    }
}

impl fmt::Display for PatternList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `pattern` (`*`: any run of bytes, `?`: one byte) matches all of `text`.
fn glob(text: &[u8], pattern: &[u8]) -> bool {
    let (mut t, mut p) = (0, 0);
    // The last `*` seen and the text position it is currently assumed to stretch to.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    star = Some((star_p, star_t + 1));
                    p = star_p + 1;
                    t = star_t + 1;
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wildcards() {
        assert!(glob(b"alice@example.com", b"*@example.com"));
        assert!(glob(b"alice@example.com", b"al?ce@*"));
        assert!(glob(b"", b"*"));
        assert!(glob(b"a*b", b"a*b"));
        assert!(!glob(b"alice@example.org", b"*@example.com"));
        assert!(!glob(b"alice", b"alice?"));
        assert!(glob(b"aaab", b"*a*b"));
        assert!(!glob(b"Alice", b"alice"), "case-sensitive");
    }

    #[test]
    fn lists_and_negation() {
        let list = PatternList::new("*@ops.example.com,!mallory@ops.example.com,ada@example.com");
        assert!(list.matches("bob@ops.example.com"));
        assert!(list.matches("ada@example.com"));
        assert!(!list.matches("mallory@ops.example.com"));
        assert!(!list.matches("eve@example.com"));
        assert!(!PatternList::new("!ada@example.com").matches("bob@example.com"));
        assert_eq!(list.to_string(), list.as_str());
    }

    proptest! {
        #[test]
        fn a_literal_matches_only_itself(a in "[a-z@.]{0,12}", b in "[a-z@.]{0,12}") {
            prop_assert_eq!(glob(a.as_bytes(), b.as_bytes()), a == b);
        }

        #[test]
        fn a_star_between_a_prefix_and_suffix(prefix in "[a-z]{0,5}", middle in "[a-z*?]{0,5}", suffix in "[a-z]{0,5}") {
            let text = format!("{prefix}{middle}{suffix}");
            let pattern = format!("{prefix}*{suffix}");
            prop_assert!(glob(text.as_bytes(), pattern.as_bytes()));
        }
    }
}
