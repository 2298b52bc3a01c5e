//! OpenSSH signatures (SSHSIG, OpenSSH's PROTOCOL.sshsig) over an attestation's payload, so
//! `ssh-keygen -Y verify -n countersign` can check it with nothing but OpenSSH.

use ssh_key::{HashAlg, LineEnding, PublicKey, SshSig};

use super::signing_key::SigningKey;
use super::verify::VerifyError;

/// The SSHSIG namespace of countersign attestations; allowed_signers lines may restrict a key
/// to it with `namespaces="countersign"`.
pub const NAMESPACE: &str = "countersign";

/// The armored signature (`-----BEGIN SSH SIGNATURE-----`) over `payload`, namespace
/// [`NAMESPACE`], hashed with sha512 as `ssh-keygen -Y sign` does.
pub fn sign(key: &SigningKey, payload: &[u8]) -> Result<String, ssh_key::Error> {
    key.private_key()
        .sign(NAMESPACE, HashAlg::Sha512, payload)?
        .to_pem(LineEnding::LF)
}

/// Checks that `armored` is a signature by `key` over `payload` in [`NAMESPACE`].
pub fn check(armored: &str, key: &PublicKey, payload: &[u8]) -> Result<(), VerifyError> {
    let sig = SshSig::from_pem(armored).map_err(|e| VerifyError::SshsigMalformed(e.to_string()))?;
    if sig.public_key() != key.key_data() {
        return Err(VerifyError::SshsigByAnotherKey {
            expected: key.fingerprint(HashAlg::Sha256).to_string(),
            found: sig.public_key().fingerprint(HashAlg::Sha256).to_string(),
        });
    }
    if sig.namespace() != NAMESPACE {
        return Err(VerifyError::SshsigWrongNamespace {
            found: sig.namespace().to_string(),
        });
    }
    key.verify(NAMESPACE, payload, &sig)
        .map_err(|_| VerifyError::SshsigInvalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::fixtures::signing_key;

    #[test]
    fn signs_and_checks() {
        let key = signing_key(1);
        let armored = sign(&key, b"payload").unwrap();
        assert!(
            armored.starts_with("-----BEGIN SSH SIGNATURE-----\n"),
            "{armored}"
        );
        check(&armored, key.public_key(), b"payload").unwrap();
        let sig = SshSig::from_pem(&armored).unwrap();
        assert_eq!(sig.hash_alg(), HashAlg::Sha512);
    }

    #[test]
    fn other_payload_key_or_namespace_fails() {
        let key = signing_key(1);
        let armored = sign(&key, b"payload").unwrap();
        assert_eq!(
            check(&armored, key.public_key(), b"payloaD"),
            Err(VerifyError::SshsigInvalid)
        );
        let other = signing_key(2);
        assert!(matches!(
            check(&armored, other.public_key(), b"payload"),
            Err(VerifyError::SshsigByAnotherKey { .. })
        ));
        let git = key
            .private_key()
            .sign("git", HashAlg::Sha512, b"payload")
            .unwrap()
            .to_pem(LineEnding::LF)
            .unwrap();
        assert_eq!(
            check(&git, key.public_key(), b"payload"),
            Err(VerifyError::SshsigWrongNamespace {
                found: "git".into()
            })
        );
        assert!(matches!(
            check(
                "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n",
                key.public_key(),
                b"payload"
            ),
            Err(VerifyError::SshsigMalformed(_))
        ));
    }
}
