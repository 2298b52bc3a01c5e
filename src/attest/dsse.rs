//! The DSSE envelope (github.com/secure-systems-lab/dsse, protocol v1 and its JSON envelope):
//! the payload, its type, and signatures over the pre-authentication encoding of both.

use base64::Engine;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use serde::{Deserialize, Serialize};

use super::verify::VerifyError;

/// The payload type of an in-toto statement.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// A signed payload, as the DSSE JSON envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    /// How to read the payload; [`PAYLOAD_TYPE`] for countersign.
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// The payload bytes, base64 (standard alphabet when written; URL-safe also read).
    pub payload: String,
    /// One signature per signer.
    pub signatures: Vec<EnvelopeSignature>,
}

/// One signer's signature in an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeSignature {
    /// The signing key's OpenSSH SHA256 fingerprint (`SHA256:…`). A hint for choosing the key,
    /// never trusted by itself.
    #[serde(default)]
    pub keyid: String,
    /// The ed25519 signature over `PAE(payloadType, payload)`, base64.
    pub sig: String,
    /// countersign's addition: the armored OpenSSH signature (SSHSIG, namespace
    /// `countersign`, sha512) over the raw payload bytes, which `ssh-keygen -Y verify` checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sshsig: Option<String>,
}

/// DSSE's pre-authentication encoding:
/// `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, with lengths in ASCII decimal bytes.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let head = format!(
        "DSSEv1 {} {payload_type} {} ",
        payload_type.len(),
        payload.len()
    );
    let mut out = Vec::with_capacity(head.len() + payload.len());
    out.extend_from_slice(head.as_bytes());
    out.extend_from_slice(payload);
    out
}

/// Encodes bytes as the envelope writes them: standard base64 with padding.
pub fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes base64 as DSSE verifiers must: the standard or the URL-safe alphabet, padded or not.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    const CONFIG: GeneralPurposeConfig =
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    const STANDARD_ANY: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, CONFIG);
    const URL_SAFE_ANY: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, CONFIG);
    STANDARD_ANY
        .decode(text)
        .or_else(|_| URL_SAFE_ANY.decode(text))
        .ok()
}

impl Envelope {
    /// The envelope as one line of compact JSON, newline-terminated: the attestation file's
    /// content (also a one-entry in-toto bundle, `*.intoto.jsonl`).
    pub fn to_json_line(&self) -> String {
        let mut line = serde_json::to_string(self).expect("an envelope always serialises");
        line.push('\n');
        line
    }

    /// Reads an envelope from JSON (surrounding whitespace allowed).
    pub fn from_json(bytes: &[u8]) -> Result<Envelope, VerifyError> {
        serde_json::from_slice(bytes).map_err(|e| VerifyError::NotAnEnvelope(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pae_matches_the_spec_vector() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
    }

    #[test]
    fn pae_counts_bytes_not_characters() {
        assert_eq!(pae("t", "é".as_bytes()), b"DSSEv1 1 t 2 \xc3\xa9");
        assert_eq!(pae("", b""), b"DSSEv1 0  0 ");
    }

    #[test]
    fn the_spec_envelope_reads() {
        let envelope = Envelope::from_json(
            br#"{"payload": "aGVsbG8gd29ybGQ=",
                 "payloadType": "http://example.com/HelloWorld",
                 "signatures": [{"sig": "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]}"#,
        )
        .unwrap();
        assert_eq!(decode_base64(&envelope.payload).unwrap(), b"hello world");
        assert_eq!(envelope.signatures[0].keyid, "");
        assert_eq!(envelope.signatures[0].sshsig, None);
        assert_eq!(
            decode_base64(&envelope.signatures[0].sig).unwrap().len(),
            64
        );
    }

    #[test]
    fn both_base64_alphabets_with_or_without_padding_decode() {
        let bytes = [0xfb, 0xff, 0xfe];
        for text in ["+//+", "-__-", "+/8=", "+/8", "-_8"] {
            assert!(decode_base64(text).is_some(), "{text}");
        }
        assert_eq!(decode_base64("-__-").unwrap(), bytes);
        assert_eq!(decode_base64("not base64!"), None);
    }

    #[test]
    fn written_as_one_line() {
        let envelope = Envelope {
            payload_type: PAYLOAD_TYPE.into(),
            payload: encode_base64(b"{}"),
            signatures: vec![EnvelopeSignature {
                keyid: "SHA256:x".into(),
                sig: "c2ln".into(),
                sshsig: Some(
                    "-----BEGIN SSH SIGNATURE-----\nAA==\n-----END SSH SIGNATURE-----\n".into(),
                ),
            }],
        };
        let line = envelope.to_json_line();
        assert_eq!(line.matches('\n').count(), 1, "{line}");
        assert!(
            line.starts_with(r#"{"payloadType":"application/vnd.in-toto+json","payload":"e30=","#)
        );
        assert_eq!(Envelope::from_json(line.as_bytes()).unwrap(), envelope);
    }

    proptest! {
        #[test]
        fn base64_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(decode_base64(&encode_base64(&bytes)), Some(bytes));
        }

        #[test]
        fn pae_ends_with_the_body_after_its_length(
            payload_type in "[ -~]{0,40}",
            body in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let encoded = pae(&payload_type, &body);
            let head = format!("DSSEv1 {} {} {} ", payload_type.len(), payload_type, body.len());
            prop_assert_eq!(&encoded[..head.len()], head.as_bytes());
            prop_assert_eq!(&encoded[head.len()..], &body[..]);
        }
    }
}
