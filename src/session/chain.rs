//! The hash chain of a session log. Each line is a record's JSON with its own hash appended as
//! the last member, `…,"hash":"<sha256>"}`, where the hash is the sha256 of the line without
//! that member (the bytes exactly as written, so no canonical form is needed). A record holds
//! the hash of the one before it (`prev`), so changing, removing or reordering any record breaks
//! the chain at that record. The last line's hash is the log's *final hash*, which an
//! attestation records.

use super::record::Record;
use crate::model::sha256_hex;

/// The member every line ends with, before the hash's 64 hex digits and `"}`.
const HASH_MEMBER: &str = ",\"hash\":\"";

/// A log read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Log {
    /// The records, in order.
    pub records: Vec<Record>,
    /// Each record's chain hash.
    pub hashes: Vec<String>,
    /// Bytes of the log that hold whole, valid records (what to keep before appending).
    pub valid_len: usize,
    /// What was wrong but recoverable (a record cut short by a crash).
    pub warnings: Vec<String>,
}

/// Why a log cannot be trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// A record is malformed or its hash does not match: the log was altered.
    #[error("record {record}: {reason} — the log was altered after it was written")]
    Tampered {
        /// The record's number (its line, from 1).
        record: usize,
        /// What does not match.
        reason: String,
    },
    /// Nothing to read.
    #[error("the log is empty")]
    Empty,
}

impl Log {
    /// The last record's hash: what a continuation links to, and what an attestation names.
    pub fn final_hash(&self) -> Option<&str> {
        self.hashes.last().map(String::as_str)
    }

    /// The review clock at the last record.
    pub fn last_ms(&self) -> u64 {
        self.records.last().map_or(0, Record::ms)
    }
}

/// The line for `record` (without its `\n`) and its hash.
pub fn seal(record: &Record) -> (String, String) {
    let body = serde_json::to_string(record).expect("records always serialise");
    let hash = sha256_hex(body.as_bytes());
    let line = format!("{}{HASH_MEMBER}{hash}\"}}", &body[..body.len() - 1]);
    (line, hash)
}

/// Reads a log and checks its chain. A last line without its `\n` that does not hold a whole
/// record is a write cut short by a crash: it is dropped with a warning. Anything else that
/// does not check is an error naming the record.
pub fn read(bytes: &[u8]) -> Result<Log, ChainError> {
    let mut log = Log {
        records: Vec::new(),
        hashes: Vec::new(),
        valid_len: 0,
        warnings: Vec::new(),
    };
    let mut rest = bytes;
    while !rest.is_empty() {
        let number = log.records.len() + 1;
        let (line, complete) = match rest.iter().position(|&b| b == b'\n') {
            Some(end) => (&rest[..end], true),
            None => (rest, false),
        };
        match check(line, number, log.final_hash()) {
            Ok((record, hash)) => {
                log.records.push(record);
                log.hashes.push(hash);
                log.valid_len += line.len() + usize::from(complete);
            }
            Err(_) if !complete => {
                log.warnings.push(format!(
                    "record {number} was cut short (the review stopped while writing it) and is dropped"
                ));
                break;
            }
            Err(reason) => {
                return Err(ChainError::Tampered {
                    record: number,
                    reason,
                });
            }
        }
        rest = &rest[(line.len() + usize::from(complete)).min(rest.len())..];
    }
    if log.records.is_empty() {
        return Err(ChainError::Empty);
    }
    Ok(log)
}

/// Checks one line: its own hash, its number and its link to the record before.
fn check(line: &[u8], number: usize, prev: Option<&str>) -> Result<(Record, String), String> {
    let text = std::str::from_utf8(line).map_err(|_| "not UTF-8 text".to_string())?;
    // Checking the ASCII `"}` end first makes `text.len() - 2` a character boundary.
    let split = text
        .len()
        .checked_sub(64 + 2 + HASH_MEMBER.len())
        .filter(|&at| {
            text.ends_with("\"}")
                && text.is_char_boundary(at)
                && text[at..].starts_with(HASH_MEMBER)
        })
        .ok_or("it does not end with its hash")?;
    let hash = &text[split + HASH_MEMBER.len()..text.len() - 2];
    if !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("it does not end with its hash".into());
    }
    let body = format!("{}}}", &text[..split]);
    if sha256_hex(body.as_bytes()) != hash {
        return Err("its content does not match its hash".into());
    }
    let record: Record =
        serde_json::from_str(&body).map_err(|e| format!("not a session record ({e})"))?;
    if record.seq != number as u64 {
        return Err(format!("numbered {} where {number} belongs", record.seq));
    }
    if record.prev.as_deref() != prev {
        return Err("it does not link to the record before it".into());
    }
    let first = matches!(record.body, super::record::Body::Start(_));
    if first != (number == 1) {
        return Err("a session starts with exactly one start record".into());
    }
    Ok((record, hash.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChangeSet, SourceInfo};
    use crate::review::{Action, Options};
    use crate::session::record::{Body, Reopen, Start};

    fn start() -> Record {
        let source = SourceInfo::Patch {
            name: "-".into(),
            sha256: "00".into(),
        };
        Record {
            seq: 1,
            body: Body::Start(Box::new(Start {
                format: 1,
                session: "s".into(),
                tool: "countersign test".into(),
                wall: "2026-11-24T10:00:00.000Z".into(),
                source: source.clone(),
                reopen: Reopen::Stdin,
                source_key: "patch:-".into(),
                reviewer: "r".into(),
                policy_bundle: "00".into(),
                terminal: (80, 24),
                options: Options {
                    reviewer: "r".into(),
                    source: "s".into(),
                    min_justification: 20,
                    ai_hunks: Vec::new(),
                },
                change: ChangeSet {
                    source,
                    files: Vec::new(),
                    plan: None,
                    notes: Vec::new(),
                    value_lines: Default::default(),
                }
                .into(),
                findings: Vec::new(),
                findings_pending: false,
            })),
            prev: None,
        }
    }

    fn action(seq: u64, prev: Option<String>, ms: u64) -> Record {
        Record {
            seq,
            body: Body::Action {
                ms,
                wall: "2026-11-24T10:00:00.000Z".into(),
                action: Action::NextHunk,
            },
            prev,
        }
    }

    /// A start record and `n - 1` actions, chained.
    fn chain(n: u64) -> (Vec<u8>, Vec<String>) {
        let mut bytes = Vec::new();
        let mut hashes: Vec<String> = Vec::new();
        for seq in 1..=n {
            let record = if seq == 1 {
                start()
            } else {
                action(seq, hashes.last().cloned(), seq * 10)
            };
            let (line, hash) = seal(&record);
            bytes.extend_from_slice(line.as_bytes());
            bytes.push(b'\n');
            hashes.push(hash);
        }
        (bytes, hashes)
    }

    #[test]
    fn a_line_ends_with_the_hash_of_the_rest() {
        let (line, hash) = seal(&action(2, Some("ab".into()), 5));
        assert!(line.ends_with(&format!(",\"hash\":\"{hash}\"}}")), "{line}");
        assert!(line.starts_with("{\"seq\":2,\"type\":\"action\""), "{line}");
    }

    #[test]
    fn every_flipped_byte_is_caught_and_numbered() {
        let (bytes, _) = chain(4);
        for at in 0..bytes.len() - 1 {
            let mut bad = bytes.clone();
            bad[at] ^= 0x01;
            match read(&bad) {
                Err(ChainError::Tampered { record, .. }) => {
                    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                    assert!(
                        record == line || record == line + 1,
                        "flip at {at}: {record}"
                    );
                }
                other => panic!("flip at byte {at} went unnoticed: {other:?}"),
            }
        }
    }

    #[test]
    fn a_torn_last_line_is_dropped_with_a_warning() {
        let (bytes, hashes) = chain(3);
        let torn = &bytes[..bytes.len() - 20];
        let log = read(torn).unwrap();
        assert_eq!(log.records.len(), 2);
        assert_eq!(log.final_hash(), Some(hashes[1].as_str()));
        assert!(log.warnings[0].contains("record 3 was cut short"));
        assert_eq!(&bytes[..log.valid_len], &torn[..log.valid_len]);
        // A whole last record without its line end is kept.
        let log = read(&bytes[..bytes.len() - 1]).unwrap();
        assert_eq!((log.records.len(), log.warnings.len()), (3, 0));
    }

    #[test]
    fn removing_records_breaks_the_chain() {
        let (bytes, _) = chain(4);
        let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
        let without = [lines[0], lines[1], lines[3]].concat();
        assert!(matches!(
            read(&without),
            Err(ChainError::Tampered { record: 3, .. })
        ));
        assert_eq!(read(b""), Err(ChainError::Empty));
    }

    #[test]
    fn a_line_ending_inside_a_character_is_tampering_not_a_panic() {
        let line = format!("{{\"seq\":1}}{HASH_MEMBER}{}€\n", "a".repeat(63));
        assert_eq!(
            read(line.as_bytes()),
            Err(ChainError::Tampered {
                record: 1,
                reason: "it does not end with its hash".into()
            })
        );
    }
}
