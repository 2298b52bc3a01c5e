//! Signed attestations (SPEC §7): the in-toto statement a finished review produces, signed in a
//! DSSE envelope with the reviewer's OpenSSH ed25519 key, and the checks a CI gate runs on it.
//!
//! Each signature in the envelope carries two signatures by the same key: the DSSE one over the
//! pre-authentication encoding (standard DSSE tooling verifies it), and an SSHSIG over the raw
//! payload in the `countersign` namespace (`ssh-keygen -Y verify` verifies it against an
//! allowed_signers file). Everything here is pure except reading key and allowed_signers files
//! and asking for a passphrase.

pub mod allowed_signers;
pub mod dsse;
pub mod gate;
pub mod key_location;
pub mod new_key;
pub mod notes;
pub mod pattern;
pub mod predicate;
pub mod review_statement;
pub mod sign;
pub mod signer_options;
pub mod signing_key;
pub mod sshsig;
pub mod statement;
pub mod verify;

#[cfg(test)]
mod fixtures;
