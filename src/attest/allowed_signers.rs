//! git's and ssh-keygen's allowed_signers file (ssh-keygen(1), ALLOWED SIGNERS): which keys
//! may sign as which principals, in which namespaces, and when. Each line is
//! `principals [options] keytype base64key [comment]`; `#` starts a comment line.

use std::path::Path;

use chrono::{DateTime, Utc};
use ssh_key::{Algorithm, PublicKey};

use super::pattern::PatternList;
use super::signer_options::Options;
use super::sshsig::NAMESPACE;
use crate::error::{Error, Result};

/// A parsed allowed_signers file.
#[derive(Debug, Clone)]
pub struct AllowedSigners {
    entries: Vec<Entry>,
}

/// One line of the file.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Its line number (1-based).
    pub line: usize,
    /// Who may sign with the key: a pattern list such as `alice@example.com,*@ops.example.com`.
    pub principals: PatternList,
    /// Its options: namespaces, validity window, cert-authority.
    pub options: Options,
    /// The public key.
    pub key: PublicKey,
}

/// Why a key may not sign, like `ssh-keygen -Y verify` explains it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// No line lists the key.
    #[error("the key is not listed")]
    NotListed,
    /// The key is listed only as a certificate authority.
    #[error(
        "line {line} lists the key as a cert-authority, which countersign does not support \
         (attestations are signed by plain keys): list the reviewer's own key"
    )]
    CertAuthorityUnsupported {
        /// The line.
        line: usize,
    },
    /// The key is listed, for other namespaces only.
    #[error("line {line} allows the key only in namespaces \"{namespaces}\", not \"{namespace}\"")]
    NamespaceNotAllowed {
        /// The line.
        line: usize,
        /// The line's `namespaces` option.
        namespaces: String,
        /// The namespace asked about.
        namespace: String,
    },
    /// The key is listed from a later time on.
    #[error("line {line}: the key is not valid before {}", valid_after.to_rfc3339())]
    NotYetValid {
        /// The line.
        line: usize,
        /// When it becomes valid.
        valid_after: DateTime<Utc>,
    },
    /// The key was listed until an earlier time.
    #[error("line {line}: the key expired at {}", valid_before.to_rfc3339())]
    Expired {
        /// The line.
        line: usize,
        /// When it stopped being valid.
        valid_before: DateTime<Utc>,
    },
}

impl AllowedSigners {
    /// Reads and parses the file at `path`.
    pub fn load(path: &Path) -> Result<AllowedSigners> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::unreadable(path, e))?;
        AllowedSigners::parse(&text, &path.display().to_string())
    }

    /// Parses the text of a file called `file` (for messages, which name the file and line).
    pub fn parse(text: &str, file: &str) -> Result<AllowedSigners> {
        let mut entries = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim_matches([' ', '\t', '\r']);
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let entry =
                parse_line(line, index + 1).map_err(|m| Error::at_line(file, index + 1, m))?;
            entries.push(entry);
        }
        Ok(AllowedSigners { entries })
    }

    /// The key listed with the OpenSSH fingerprint `fingerprint` (`SHA256:…`), if any.
    pub fn key_with_fingerprint(&self, fingerprint: &str) -> Option<&PublicKey> {
        self.entries
            .iter()
            .map(|e| &e.key)
            .find(|k| k.fingerprint(ssh_key::HashAlg::Sha256).to_string() == fingerprint)
    }

    /// The lines that let `key` sign in `namespace` at time `at`, in file order (like
    /// `ssh-keygen -Y find-principals`, with the namespace also checked); when there is none,
    /// why, from the first line that lists the key.
    pub fn principals_for(
        &self,
        key: &PublicKey,
        namespace: &str,
        at: DateTime<Utc>,
    ) -> Result<Vec<&Entry>, Refusal> {
        let mut granted = Vec::new();
        let mut refusal = None;
        for entry in self
            .entries
            .iter()
            .filter(|e| e.key.key_data() == key.key_data())
        {
            match entry.refusal(namespace, at) {
                None => granted.push(entry),
                Some(r) => {
                    refusal.get_or_insert(r);
                }
            }
        }
        if granted.is_empty() {
            Err(refusal.unwrap_or(Refusal::NotListed))
        } else {
            Ok(granted)
        }
    }
}

impl Entry {
    /// Why this line does not let its key sign in `namespace` at `at`, if it does not.
    fn refusal(&self, namespace: &str, at: DateTime<Utc>) -> Option<Refusal> {
        let line = self.line;
        if self.options.cert_authority {
            return Some(Refusal::CertAuthorityUnsupported { line });
        }
        if let Some(allowed) = self
            .options
            .namespaces
            .as_ref()
            .filter(|n| !n.matches(namespace))
        {
            return Some(Refusal::NamespaceNotAllowed {
                line,
                namespaces: allowed.as_str().into(),
                namespace: namespace.into(),
            });
        }
        if let Some(valid_after) = self.options.valid_after.filter(|t| at < *t) {
            return Some(Refusal::NotYetValid { line, valid_after });
        }
        if let Some(valid_before) = self.options.valid_before.filter(|t| at > *t) {
            return Some(Refusal::Expired { line, valid_before });
        }
        None
    }
}

/// The allowed_signers line that lets `key` sign countersign attestations as `principal`.
pub fn line_for(principal: &str, key: &PublicKey) -> String {
    let bare = PublicKey::new(key.key_data().clone(), "");
    let key_text = bare.to_openssh().expect("a parsed key always encodes");
    format!("{principal} namespaces=\"{NAMESPACE}\" {key_text}")
}

/// Parses one non-blank, non-comment line.
fn parse_line(line: &str, number: usize) -> Result<Entry, String> {
    let (principals, rest) = next_field(line)?;
    let principals = principals.trim_matches('"');
    if principals.is_empty() {
        return Err("empty principals".into());
    }
    let (first, after) = next_field(rest)?;
    // Options contain `=` or `,`, or are a flag followed by the key type.
    let is_algorithm = |word: &str| Algorithm::new(word).is_ok();
    let next_word = after.split_whitespace().next().unwrap_or("");
    let has_options =
        first.contains(['=', ',']) || (!is_algorithm(first) && is_algorithm(next_word));
    let (options, key_text) = if has_options {
        (Options::parse(first)?, after)
    } else {
        (Options::default(), rest)
    };
    let mut words = key_text.split_whitespace();
    let (Some(algorithm), Some(base64)) = (words.next(), words.next()) else {
        return Err("missing key: expected `principals [options] keytype base64key`".into());
    };
    let key = PublicKey::from_openssh(&format!("{algorithm} {base64}"))
        .map_err(|e| format!("invalid {algorithm} key: {e}"))?;
    Ok(Entry {
        line: number,
        principals: PatternList::new(principals),
        options,
        key,
    })
}

/// Splits off the first whitespace-separated field, keeping double-quoted spaces in it.
fn next_field(text: &str) -> Result<(&str, &str), String> {
    let text = text.trim_start_matches([' ', '\t']);
    let mut quoted = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ' ' | '\t' if !quoted => return Ok((&text[..i], &text[i..])),
            _ => {}
        }
    }
    if quoted {
        return Err("unterminated quote".into());
    }
    Ok((text, ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::fixtures::signing_key;
    use chrono::TimeZone;

    fn key(seed: u8) -> PublicKey {
        signing_key(seed).public_key().clone()
    }

    fn text(seed: u8) -> String {
        key(seed).to_openssh().unwrap()
    }

    fn utc(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    fn now() -> DateTime<Utc> {
        utc(2025, 6, 1)
    }

    fn principals(file: &AllowedSigners, seed: u8) -> Result<Vec<String>, Refusal> {
        file.principals_for(&key(seed), NAMESPACE, now())
            .map(|es| es.iter().map(|e| e.principals.to_string()).collect())
    }

    #[test]
    fn lines_with_and_without_options_comments_and_blanks() {
        let file = AllowedSigners::parse(
            &format!(
                "# reviewers\n\n  ada@example.com {} laptop\n\
                 bob@example.com,*@ops.example.com namespaces=\"git,countersign\" {}\r\n\
                 \"carol@example.com\" NAMESPACES=\"countersign\",Valid-After=\"20240101\" {}\n",
                text(1),
                text(2),
                text(3)
            ),
            "allowed_signers",
        )
        .unwrap();
        assert_eq!(principals(&file, 1).unwrap(), ["ada@example.com"]);
        assert_eq!(
            principals(&file, 2).unwrap(),
            ["bob@example.com,*@ops.example.com"]
        );
        let entries = file.principals_for(&key(3), NAMESPACE, now()).unwrap();
        assert_eq!(entries[0].line, 5);
        assert_eq!(entries[0].principals.as_str(), "carol@example.com");
        assert!(entries[0].principals.matches("carol@example.com"));
    }

    #[test]
    fn every_line_granting_the_key_is_returned() {
        let file = AllowedSigners::parse(
            &format!("ada@example.com {k}\nada@corp.example {k}\n", k = text(1)),
            "f",
        )
        .unwrap();
        assert_eq!(
            principals(&file, 1).unwrap(),
            ["ada@example.com", "ada@corp.example"]
        );
    }

    #[test]
    fn refusals_say_why() {
        let file = AllowedSigners::parse(
            &format!(
                "ada@example.com namespaces=\"git\" {}\n\
                 bob@example.com valid-after=\"20300101Z\" {}\n\
                 carol@example.com valid-before=\"202001011200Z\" {}\n\
                 *@example.com cert-authority {}\n",
                text(1),
                text(2),
                text(3),
                text(4)
            ),
            "f",
        )
        .unwrap();
        assert_eq!(
            principals(&file, 1),
            Err(Refusal::NamespaceNotAllowed {
                line: 1,
                namespaces: "git".into(),
                namespace: NAMESPACE.into()
            })
        );
        assert_eq!(
            principals(&file, 2),
            Err(Refusal::NotYetValid {
                line: 2,
                valid_after: utc(2030, 1, 1)
            })
        );
        let expired = principals(&file, 3).unwrap_err();
        assert_eq!(
            expired,
            Refusal::Expired {
                line: 3,
                valid_before: Utc.with_ymd_and_hms(2020, 1, 1, 12, 0, 0).unwrap()
            }
        );
        assert!(
            expired
                .to_string()
                .contains("expired at 2020-01-01T12:00:00"),
            "{expired}"
        );
        let ca = principals(&file, 4).unwrap_err();
        assert!(ca.to_string().contains("cert-authority"), "{ca}");
        assert_eq!(principals(&file, 5), Err(Refusal::NotListed));
    }

    #[test]
    fn validity_bounds_are_inclusive() {
        let file = AllowedSigners::parse(
            &format!(
                "ada@example.com valid-after=\"20250601Z\",valid-before=\"20250602Z\" {}\n",
                text(1)
            ),
            "f",
        )
        .unwrap();
        let at = |t| file.principals_for(&key(1), NAMESPACE, t).is_ok();
        assert!(at(utc(2025, 6, 1)));
        assert!(at(utc(2025, 6, 2)));
        assert!(!at(utc(2025, 6, 2) + chrono::Duration::seconds(1)));
        assert!(!at(utc(2025, 6, 1) - chrono::Duration::seconds(1)));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let k = text(1);
        for (line, message) in [
            ("ada@example.com".to_string(), "missing key"),
            ("ada@example.com ssh-ed25519".to_string(), "missing key"),
            (
                "ada@example.com ssh-ed25519 AAAAnotakey".to_string(),
                "invalid ssh-ed25519 key",
            ),
            (
                format!("ada@example.com no-touch-required {k}"),
                "unknown option \"no-touch-required\"",
            ),
            (
                "ada@example.com ssh-foo AAAA".to_string(),
                "invalid ssh-foo key",
            ),
            (
                format!("ada@example.com permit-pty=\"x\" {k}"),
                "unknown option \"permit-pty\"",
            ),
            (
                format!("ada@example.com namespaces=git {k}"),
                "double quotes",
            ),
            (
                format!("ada@example.com namespaces=\"git {k}"),
                "unterminated quote",
            ),
            (
                format!("ada@example.com namespaces=\"a\",namespaces=\"b\" {k}"),
                "more than one",
            ),
            (
                format!("ada@example.com valid-after=\"tomorrow\" {k}"),
                "invalid valid-after time",
            ),
            (
                format!("ada@example.com valid-after=\"20250101Z\",valid-before=\"20240101Z\" {k}"),
                "not later",
            ),
            (
                format!("ada@example.com cert-authority, {k}"),
                "end with a comma",
            ),
        ] {
            let err = AllowedSigners::parse(&format!("# first\n{line}\n"), "team/allowed_signers")
                .unwrap_err()
                .to_string();
            assert!(err.starts_with("team/allowed_signers:2: "), "{err}");
            assert!(err.contains(message), "{line}: {err}");
        }
    }

    #[test]
    fn quoted_option_values_may_hold_spaces_commas_and_escaped_quotes() {
        let file = AllowedSigners::parse(
            &format!(
                "ada@example.com namespaces=\"x \\\"y\\\", countersign\" {}\n",
                text(1)
            ),
            "f",
        )
        .unwrap();
        let entries = file.principals_for(&key(1), "x \"y\"", now()).unwrap();
        assert_eq!(
            entries[0].options.namespaces.as_ref().unwrap().as_str(),
            "x \"y\", countersign"
        );
    }

    #[test]
    fn the_keygen_line_parses_and_grants_the_namespace() {
        let line = line_for("ada@example.com", &key(1));
        assert!(
            line.starts_with("ada@example.com namespaces=\"countersign\" ssh-ed25519 AAAA"),
            "{line}"
        );
        let file = AllowedSigners::parse(&line, "f").unwrap();
        assert_eq!(principals(&file, 1).unwrap(), ["ada@example.com"]);
        assert!(file.principals_for(&key(1), "git", now()).is_err());
    }
}
