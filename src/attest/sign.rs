//! Signing a statement: a DSSE envelope whose one signature carries both the ed25519 signature
//! over the PAE and an SSHSIG over the payload, by the same key.

use signature::Signer;

use super::dsse::{Envelope, EnvelopeSignature, PAYLOAD_TYPE, encode_base64, pae};
use super::signing_key::SigningKey;
use super::sshsig;
use super::statement::Statement;
use crate::error::{Error, Result};

/// Signs `statement` with `key`: the envelope that becomes the attestation.
pub fn sign(statement: &Statement, key: &SigningKey) -> Result<Envelope> {
    sign_payload(PAYLOAD_TYPE, &statement.to_json(), key)
}

/// Signs any payload under any type; [`sign`] is this with an in-toto statement.
pub(super) fn sign_payload(
    payload_type: &str,
    payload: &[u8],
    key: &SigningKey,
) -> Result<Envelope> {
    let failed = |e: &dyn std::fmt::Display| Error::Internal(format!("signing failed: {e}"));
    let sig = key
        .private_key()
        .try_sign(&pae(payload_type, payload))
        .map_err(|e| failed(&e))?;
    let sshsig = sshsig::sign(key, payload).map_err(|e| failed(&e))?;
    Ok(Envelope {
        payload_type: payload_type.into(),
        payload: encode_base64(payload),
        signatures: vec![EnvelopeSignature {
            keyid: key.fingerprint(),
            sig: encode_base64(sig.as_bytes()),
            sshsig: Some(sshsig),
        }],
    })
}
