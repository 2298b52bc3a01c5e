//! Verifying an attestation envelope against one public key: the DSSE signature over the PAE,
//! then the SSHSIG by the same key over the same payload, then the statement inside.

use ssh_key::{Algorithm, HashAlg, PublicKey};

use super::dsse::{Envelope, PAYLOAD_TYPE, decode_base64, pae};
use super::sshsig;
use super::statement::{Statement, StatementError};

/// Why an attestation does not verify. Each names what is wrong, for the CI log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// The bytes are not a DSSE JSON envelope (truncated, or not one at all).
    #[error("not a DSSE envelope: {0}")]
    NotAnEnvelope(String),
    /// The payload field is not base64.
    #[error("the envelope's payload is not valid base64")]
    PayloadBase64,
    /// A signature's `sig` field is not base64.
    #[error("signature {index} of the envelope is not valid base64")]
    SignatureBase64 {
        /// Its position in `signatures` (0-based).
        index: usize,
    },
    /// The envelope has no signature at all.
    #[error("the envelope has no signatures")]
    NoSignatures,
    /// A signature claims the key but does not match: the payload or its type was changed, or
    /// the signature comes from another envelope.
    #[error(
        "the signature by {keyid} does not match the payload: the attestation was changed after it was signed"
    )]
    SignatureInvalid {
        /// The key's fingerprint.
        keyid: String,
    },
    /// No signature is by the key.
    #[error("not signed by {expected} (signed by: {})", found.join(", "))]
    NotSignedByKey {
        /// The fingerprint of the key asked about.
        expected: String,
        /// The key ids the envelope's signatures name.
        found: Vec<String>,
    },
    /// Signed, but the payload is not an in-toto statement.
    #[error("the payload type is {found:?}, expected {PAYLOAD_TYPE:?}")]
    WrongPayloadType {
        /// The `payloadType` found.
        found: String,
    },
    /// The verified signature has no `sshsig` field.
    #[error("the signature by {keyid} has no sshsig")]
    MissingSshsig {
        /// The key's fingerprint.
        keyid: String,
    },
    /// The `sshsig` field is not an armored OpenSSH signature.
    #[error("the sshsig is not an OpenSSH signature: {0}")]
    SshsigMalformed(String),
    /// The SSHSIG was made by a different key than the DSSE signature.
    #[error("the sshsig is by {found}, not by {expected} which signed the envelope")]
    SshsigByAnotherKey {
        /// The envelope signer's fingerprint.
        expected: String,
        /// The SSHSIG signer's fingerprint.
        found: String,
    },
    /// The SSHSIG is for another purpose than countersign attestations.
    #[error("the sshsig is in namespace {found:?}, expected \"countersign\"")]
    SshsigWrongNamespace {
        /// The namespace found.
        found: String,
    },
    /// The SSHSIG does not match the payload.
    #[error("the sshsig does not match the payload")]
    SshsigInvalid,
    /// The payload is signed but is not a countersign review statement.
    #[error(transparent)]
    Statement(#[from] StatementError),
}

/// Checks that `key` signed `envelope` (DSSE signature and SSHSIG) and returns the payload bytes.
pub fn verify_payload(envelope: &Envelope, key: &PublicKey) -> Result<Vec<u8>, VerifyError> {
    let payload = decode_base64(&envelope.payload).ok_or(VerifyError::PayloadBase64)?;
    if envelope.signatures.is_empty() {
        return Err(VerifyError::NoSignatures);
    }
    let message = pae(&envelope.payload_type, &payload);
    let mut signed = None;
    for (index, entry) in envelope.signatures.iter().enumerate() {
        let bytes = decode_base64(&entry.sig).ok_or(VerifyError::SignatureBase64 { index })?;
        let verifies = ssh_key::Signature::new(Algorithm::Ed25519, bytes)
            .is_ok_and(|sig| signature::Verifier::verify(key, &message, &sig).is_ok());
        if verifies && signed.is_none() {
            signed = Some(entry);
        }
    }
    let keyid = key.fingerprint(HashAlg::Sha256).to_string();
    let Some(entry) = signed else {
        return Err(if envelope.signatures.iter().any(|s| s.keyid == keyid) {
            VerifyError::SignatureInvalid { keyid }
        } else {
            VerifyError::NotSignedByKey {
                expected: keyid,
                found: envelope
                    .signatures
                    .iter()
                    .map(|s| s.keyid.clone())
                    .collect(),
            }
        });
    };
    if envelope.payload_type != PAYLOAD_TYPE {
        return Err(VerifyError::WrongPayloadType {
            found: envelope.payload_type.clone(),
        });
    }
    let armored = entry
        .sshsig
        .as_deref()
        .ok_or(VerifyError::MissingSshsig { keyid })?;
    sshsig::check(armored, key, &payload)?;
    Ok(payload)
}

/// Checks that `key` signed `envelope` and returns the review statement inside.
pub fn verify(envelope: &Envelope, key: &PublicKey) -> Result<Statement, VerifyError> {
    Ok(Statement::from_json(&verify_payload(envelope, key)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::dsse::{encode_base64, pae};
    use crate::attest::fixtures::{sample_statement, signing_key};
    use crate::attest::sign::{sign, sign_payload};
    use proptest::prelude::*;

    #[test]
    fn a_signed_statement_verifies_and_comes_back() {
        let key = signing_key(1);
        let statement = sample_statement();
        let envelope = sign(&statement, &key).unwrap();
        assert_eq!(envelope.payload_type, PAYLOAD_TYPE);
        assert_eq!(envelope.signatures[0].keyid, key.fingerprint());
        assert_eq!(verify(&envelope, key.public_key()), Ok(statement));
    }

    #[test]
    fn the_dsse_signature_is_plain_ed25519_over_the_pae() {
        let key = signing_key(1);
        let envelope = sign(&sample_statement(), &key).unwrap();
        let payload = decode_base64(&envelope.payload).unwrap();
        let sig = decode_base64(&envelope.signatures[0].sig).unwrap();
        let public: [u8; 32] = key.public_key().key_data().ed25519().unwrap().0;
        let verifying = ed25519_dalek::VerifyingKey::from_bytes(&public).unwrap();
        let sig = ed25519_dalek::Signature::from_slice(&sig).unwrap();
        verifying
            .verify_strict(&pae(PAYLOAD_TYPE, &payload), &sig)
            .unwrap();
    }

    #[test]
    fn a_changed_payload_fails() {
        let key = signing_key(1);
        let mut envelope = sign(&sample_statement(), &key).unwrap();
        let mut payload = decode_base64(&envelope.payload).unwrap();
        let at = payload.len() / 2;
        payload[at] ^= 1;
        envelope.payload = encode_base64(&payload);
        assert_eq!(
            verify(&envelope, key.public_key()),
            Err(VerifyError::SignatureInvalid {
                keyid: key.fingerprint()
            })
        );
    }

    #[test]
    fn a_signature_from_another_envelope_fails() {
        let key = signing_key(1);
        let mut envelope = sign(&sample_statement(), &key).unwrap();
        let mut other_statement = sample_statement();
        other_statement.predicate.session.id = "s2".into();
        let other = sign(&other_statement, &key).unwrap();
        envelope.signatures[0].sig = other.signatures[0].sig.clone();
        assert!(matches!(
            verify(&envelope, key.public_key()),
            Err(VerifyError::SignatureInvalid { .. })
        ));

        // The DSSE signature is right, the sshsig comes from the other envelope.
        let mut envelope = sign(&sample_statement(), &key).unwrap();
        envelope.signatures[0].sshsig = other.signatures[0].sshsig.clone();
        assert_eq!(
            verify(&envelope, key.public_key()),
            Err(VerifyError::SshsigInvalid)
        );
    }

    #[test]
    fn another_signer_is_named() {
        let envelope = sign(&sample_statement(), &signing_key(2)).unwrap();
        let err = verify(&envelope, signing_key(1).public_key()).unwrap_err();
        assert_eq!(
            err,
            VerifyError::NotSignedByKey {
                expected: signing_key(1).fingerprint(),
                found: vec![signing_key(2).fingerprint()],
            }
        );
        assert!(err.to_string().contains(&signing_key(2).fingerprint()));
    }

    #[test]
    fn an_sshsig_by_another_key_fails() {
        let key = signing_key(1);
        let mut envelope = sign(&sample_statement(), &key).unwrap();
        let other = sign(&sample_statement(), &signing_key(2)).unwrap();
        envelope.signatures[0].sshsig = other.signatures[0].sshsig.clone();
        assert!(matches!(
            verify(&envelope, key.public_key()),
            Err(VerifyError::SshsigByAnotherKey { .. })
        ));
        envelope.signatures[0].sshsig = None;
        assert!(matches!(
            verify(&envelope, key.public_key()),
            Err(VerifyError::MissingSshsig { .. })
        ));
    }

    #[test]
    fn the_signer_among_several_is_found() {
        let key = signing_key(1);
        let mut envelope = sign(&sample_statement(), &signing_key(2)).unwrap();
        let own = sign(&sample_statement(), &key).unwrap();
        envelope.signatures.extend(own.signatures);
        assert!(verify(&envelope, key.public_key()).is_ok());
        assert!(verify(&envelope, signing_key(2).public_key()).is_ok());
    }

    #[test]
    fn malformed_envelopes_are_named() {
        let key = signing_key(1);
        let good = sign(&sample_statement(), &key).unwrap();

        let mut bad = good.clone();
        bad.payload.insert(3, '!');
        assert_eq!(
            verify(&bad, key.public_key()),
            Err(VerifyError::PayloadBase64)
        );

        let mut bad = good.clone();
        bad.signatures[0].sig = "%%".into();
        assert_eq!(
            verify(&bad, key.public_key()),
            Err(VerifyError::SignatureBase64 { index: 0 })
        );

        let mut bad = good.clone();
        bad.signatures.clear();
        assert_eq!(
            verify(&bad, key.public_key()),
            Err(VerifyError::NoSignatures)
        );

        let mut bad = good.clone();
        bad.signatures[0].sshsig = Some("not armored".into());
        assert!(matches!(
            verify(&bad, key.public_key()),
            Err(VerifyError::SshsigMalformed(_))
        ));

        let line = good.to_json_line();
        let truncated = Envelope::from_json(&line.as_bytes()[..line.len() / 2]).unwrap_err();
        assert!(
            matches!(truncated, VerifyError::NotAnEnvelope(_)),
            "{truncated}"
        );
    }

    #[test]
    fn a_changed_payload_type_fails_and_a_signed_other_type_is_named() {
        let key = signing_key(1);
        let mut envelope = sign(&sample_statement(), &key).unwrap();
        envelope.payload_type = "application/json".into();
        assert!(matches!(
            verify(&envelope, key.public_key()),
            Err(VerifyError::SignatureInvalid { .. })
        ));
        let other = sign_payload("application/json", &sample_statement().to_json(), &key).unwrap();
        assert_eq!(
            verify(&other, key.public_key()),
            Err(VerifyError::WrongPayloadType {
                found: "application/json".into()
            })
        );
    }

    #[test]
    fn a_signed_payload_that_is_not_a_review_is_named() {
        let key = signing_key(1);
        let envelope = sign_payload(
            PAYLOAD_TYPE,
            b"{\"_type\": \"x\", \"predicateType\": \"y\"}",
            &key,
        )
        .unwrap();
        assert!(matches!(
            verify(&envelope, key.public_key()),
            Err(VerifyError::Statement(StatementError::WrongType { .. }))
        ));
        assert!(verify_payload(&envelope, key.public_key()).is_ok());
    }

    #[test]
    fn url_safe_base64_is_accepted() {
        let key = signing_key(1);
        let mut envelope = sign(&sample_statement(), &key).unwrap();
        envelope.payload = envelope
            .payload
            .replace('+', "-")
            .replace('/', "_")
            .replace('=', "");
        envelope.signatures[0].sig = envelope.signatures[0]
            .sig
            .replace('+', "-")
            .replace('/', "_");
        assert!(verify(&envelope, key.public_key()).is_ok());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn any_payload_round_trips_through_json(payload in proptest::collection::vec(any::<u8>(), 0..400)) {
            let key = signing_key(7);
            let envelope = sign_payload(PAYLOAD_TYPE, &payload, &key).unwrap();
            let read = Envelope::from_json(envelope.to_json_line().as_bytes()).unwrap();
            prop_assert_eq!(verify_payload(&read, key.public_key()), Ok(payload));
        }

        #[test]
        fn any_flipped_payload_bit_fails(
            payload in proptest::collection::vec(any::<u8>(), 1..400),
            at in any::<prop::sample::Index>(),
            bit in 0u8..8,
        ) {
            let key = signing_key(7);
            let mut envelope = sign_payload(PAYLOAD_TYPE, &payload, &key).unwrap();
            let mut changed = payload.clone();
            changed[at.index(payload.len())] ^= 1 << bit;
            envelope.payload = encode_base64(&changed);
            prop_assert_eq!(
                verify_payload(&envelope, key.public_key()),
                Err(VerifyError::SignatureInvalid { keyid: key.fingerprint() })
            );
        }
    }
}
