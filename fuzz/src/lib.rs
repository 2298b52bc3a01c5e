//! What each fuzz target runs, one function per target, so that `tests/fuzz_regressions.rs`
//! replays saved inputs through exactly the same code in a plain `cargo test`. Every function
//! takes arbitrary bytes and must return without panicking, whatever they hold.

use countersign::attest::allowed_signers::AllowedSigners;
use countersign::attest::dsse::{Envelope, decode_base64};
use countersign::attest::statement::Statement;
use countersign::attest::{sshsig, verify};
use countersign::model::sha256_hex;
use countersign::session::chain;

/// The unified-diff parser.
pub fn patch(data: &[u8]) {
    let _ = countersign::source::patch::parse(data, "fuzz.diff");
}

/// The Terraform plan loader (plan JSON → ChangeSet, with the addresses and sensitive values
/// it finds), and the engine's input read from the same text.
pub fn plan(data: &[u8]) {
    if let Ok((_, document)) = countersign::source::plan::read(data, "fuzz.json") {
        let families: Vec<_> = countersign::policy::families::FAMILIES
            .iter()
            .map(Some)
            .collect();
        let _ = countersign::policy::families::read_input(&families, &document.text);
    }
}

/// The HCL policy-input loader with its source map (UTF-8 input only, as files are decoded
/// before loading).
pub fn hcl(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = countersign::policy::input::hcl::load(text, "fuzz.tf");
    }
}

/// The YAML policy-input loader with its source map (UTF-8 input only).
pub fn yaml(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = countersign::policy::input::yaml::load(text, "fuzz.yaml");
    }
}

/// The key the attestation seeds' allowed_signers lines name, so lookups reach the option
/// checks.
const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFACfkviR5F8usFYCQNs1iyd9w3WekcOHnH//FbpLk6D fuzz";

/// The attestation parsers: the DSSE envelope (its signatures checked against a fixed key,
/// SSHSIG included), the in-toto statement, and an allowed_signers file with the fixed key's
/// principals looked up in it.
pub fn attestation(data: &[u8]) {
    let key = ssh_key::PublicKey::from_openssh(KEY).expect("the fixed key parses");
    if let Ok(envelope) = Envelope::from_json(data) {
        let _ = verify::verify(&envelope, &key);
        let payload = decode_base64(&envelope.payload).unwrap_or_default();
        let _ = Statement::from_json(&payload);
        for signature in &envelope.signatures {
            if let Some(armored) = &signature.sshsig {
                let _ = sshsig::check(armored, &key, &payload);
            }
        }
    }
    let _ = Statement::from_json(data);
    if let Ok(signers) = AllowedSigners::parse(&String::from_utf8_lossy(data), "allowed_signers") {
        let _ = signers.principals_for(&key, sshsig::NAMESPACE, chrono::Utc::now());
    }
}

/// The session log reader. With an even first byte the rest is read as it is; with an odd one
/// every line is first sealed as the recorder writes it (its own hash appended, `@prev@`
/// replaced by the hash of the line before), so the fuzzer gets past the hash checks into the
/// records and the chain.
pub fn session_log(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let _ = chain::read(rest);
        return;
    }
    let _ = chain::read(&seal_lines(rest));
}

/// Every line of `text` that ends with `}` sealed with its hash, chained through `@prev@`.
fn seal_lines(text: &[u8]) -> Vec<u8> {
    let mut sealed = Vec::with_capacity(text.len() * 2);
    let mut prev = String::new();
    for line in text.split(|&b| b == b'\n') {
        let line = replace(line, b"@prev@", prev.as_bytes());
        match line.strip_suffix(b"}") {
            Some(open) => {
                prev = sha256_hex(&line);
                sealed.extend_from_slice(open);
                sealed.extend_from_slice(b",\"hash\":\"");
                sealed.extend_from_slice(prev.as_bytes());
                sealed.extend_from_slice(b"\"}\n");
            }
            None => {
                sealed.extend_from_slice(&line);
                sealed.push(b'\n');
            }
        }
    }
    sealed
}

/// `line` with every `from` replaced by `to`.
fn replace(line: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}
