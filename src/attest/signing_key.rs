//! The reviewer's signing key: an OpenSSH ed25519 private key read from a file, decrypted with
//! its passphrase when it has one.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use ssh_key::{Algorithm, HashAlg, PrivateKey, PublicKey};
use zeroize::Zeroizing;

use super::key_location::KeyLocation;

/// The environment variable that holds the passphrase of an encrypted key, for CI and other
/// runs without a terminal.
pub const PASSPHRASE_VAR: &str = "COUNTERSIGN_KEY_PASSPHRASE";

/// How often a wrong passphrase may be typed on the terminal.
const PROMPT_ATTEMPTS: usize = 3;

/// Why there is no usable signing key. Every message says what to do (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// No file at the key's path.
    #[error(
        "{}: no such key file; create a key with `countersign keygen`, or name yours with --key FILE",
        path.display()
    )]
    Missing {
        /// Where the key was looked for.
        path: PathBuf,
    },
    /// A public key was named, and no private key sits beside it.
    #[error(
        "{}: a public key without its private key {} beside it; git can sign with it through \
         ssh-agent, countersign reads the private key file: name it with --key FILE",
        public.display(), private.display()
    )]
    PublicKeyOnly {
        /// The `.pub` file named.
        public: PathBuf,
        /// Where its private key was expected.
        private: PathBuf,
    },
    /// git's user.signingkey holds a key literally, which only ssh-agent can sign with.
    #[error(
        "git config user.signingkey is a literal public key ({shown}…), which git signs with \
         through ssh-agent; countersign reads the private key file: pass --key FILE, or set \
         user.signingkey to the key's path"
    )]
    LiteralKey {
        /// The start of the configured value.
        shown: String,
    },
    /// HOME is unset, so the default key cannot be found.
    #[error("HOME is not set, so ~/.ssh/id_ed25519 cannot be found: name the key with --key FILE")]
    NoHome,
    /// The file could not be read.
    #[error("{}: cannot read: {reason}", path.display())]
    Unreadable {
        /// The key file.
        path: PathBuf,
        /// The system's reason.
        reason: String,
    },
    /// The file is not an OpenSSH private key.
    #[error("{}: not an OpenSSH private key: {reason}", path.display())]
    NotAKey {
        /// The key file.
        path: PathBuf,
        /// What it is instead, with a hint.
        reason: String,
    },
    /// A key of another algorithm than ed25519.
    #[error(
        "{}: an {algorithm} key; countersign signs with ed25519 keys only: create one with \
         `countersign keygen --key FILE` and name it with --key FILE",
        path.display()
    )]
    Unsupported {
        /// The key file.
        path: PathBuf,
        /// Its algorithm (`ssh-rsa`, `ecdsa-sha2-nistp256`, …).
        algorithm: String,
    },
    /// An encrypted key, and no way to ask for its passphrase.
    #[error(
        "{}: the key is passphrase-protected and there is no terminal to ask on: set {PASSPHRASE_VAR}",
        path.display()
    )]
    NoPassphrase {
        /// The key file.
        path: PathBuf,
    },
    /// The passphrase does not decrypt the key.
    #[error("{}: wrong passphrase", path.display())]
    WrongPassphrase {
        /// The key file.
        path: PathBuf,
    },
}

impl From<KeyError> for crate::Error {
    fn from(e: KeyError) -> Self {
        crate::Error::Usage(e.to_string())
    }
}

/// An ed25519 private key ready to sign: decrypted, algorithm checked.
pub struct SigningKey {
    key: PrivateKey,
}

impl std::fmt::Debug for SigningKey {
    /// Shows the fingerprint only, never the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SigningKey")
            .field(&self.fingerprint())
            .finish()
    }
}

impl SigningKey {
    /// Wraps a decrypted ed25519 key read from (or destined for) `path`, which errors name.
    pub fn new(key: PrivateKey, path: &Path) -> Result<SigningKey, KeyError> {
        if key.algorithm() != Algorithm::Ed25519 {
            return Err(KeyError::Unsupported {
                path: path.to_path_buf(),
                algorithm: key.algorithm().as_str().to_string(),
            });
        }
        if key.is_encrypted() {
            return Err(KeyError::NoPassphrase {
                path: path.to_path_buf(),
            });
        }
        Ok(SigningKey { key })
    }

    /// The private key.
    pub fn private_key(&self) -> &PrivateKey {
        &self.key
    }

    /// Its public key.
    pub fn public_key(&self) -> &PublicKey {
        self.key.public_key()
    }

    /// The OpenSSH SHA256 fingerprint (`SHA256:…`), as `ssh-keygen -l` prints it: the key id of
    /// the signatures it makes.
    pub fn fingerprint(&self) -> String {
        self.key.fingerprint(HashAlg::Sha256).to_string()
    }
}

/// Where the passphrase of an encrypted key comes from.
pub enum Passphrase {
    /// Known beforehand (from [`PASSPHRASE_VAR`], or a test).
    Given(Zeroizing<String>),
    /// Asked on the terminal, up to three times.
    Prompt,
}

impl Passphrase {
    /// [`PASSPHRASE_VAR`] when it is set, else a terminal prompt.
    pub fn from_env() -> Passphrase {
        Passphrase::from_var(std::env::var(PASSPHRASE_VAR).ok())
    }

    fn from_var(value: Option<String>) -> Passphrase {
        match value {
            Some(v) => Passphrase::Given(Zeroizing::new(v)),
            None => Passphrase::Prompt,
        }
    }
}

/// Reads the key at `location`, decrypting it with `passphrase` when it is encrypted.
pub fn load(location: &KeyLocation, passphrase: &Passphrase) -> Result<SigningKey, KeyError> {
    let path = &location.path;
    let text = match std::fs::read_to_string(path) {
        Ok(text) => Zeroizing::new(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(match &location.named_public {
                Some(public) => KeyError::PublicKeyOnly {
                    public: public.clone(),
                    private: path.clone(),
                },
                None => KeyError::Missing { path: path.clone() },
            });
        }
        Err(e) => {
            return Err(KeyError::Unreadable {
                path: path.clone(),
                reason: e.to_string(),
            });
        }
    };
    let key = PrivateKey::from_openssh(text.as_bytes()).map_err(|e| KeyError::NotAKey {
        path: path.clone(),
        reason: not_a_key_reason(&text, &e),
    })?;
    if key.algorithm() != Algorithm::Ed25519 || !key.is_encrypted() {
        return SigningKey::new(key, path);
    }
    let decrypted = match passphrase {
        Passphrase::Given(p) => key
            .decrypt(p.as_bytes())
            .map_err(|_| KeyError::WrongPassphrase { path: path.clone() })?,
        Passphrase::Prompt => decrypt_on_terminal(&key, path)?,
    };
    SigningKey::new(decrypted, path)
}

/// Asks for the passphrase on the terminal until it decrypts the key, a few times at most.
fn decrypt_on_terminal(key: &PrivateKey, path: &Path) -> Result<PrivateKey, KeyError> {
    if !std::io::stdin().is_terminal() {
        return Err(KeyError::NoPassphrase {
            path: path.to_path_buf(),
        });
    }
    for _ in 0..PROMPT_ATTEMPTS {
        let prompt = format!("Enter passphrase for {}: ", path.display());
        let typed = rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|_| KeyError::NoPassphrase {
                path: path.to_path_buf(),
            })?;
        if let Ok(decrypted) = key.decrypt(typed.as_bytes()) {
            return Ok(decrypted);
        }
        eprintln!("countersign: wrong passphrase");
    }
    Err(KeyError::WrongPassphrase {
        path: path.to_path_buf(),
    })
}

/// What a file that does not parse as an OpenSSH private key is, with what to do.
fn not_a_key_reason(text: &str, error: &ssh_key::Error) -> String {
    let start = text.trim_start();
    if start.starts_with("-----BEGIN RSA PRIVATE KEY-----")
        || start.starts_with("-----BEGIN EC PRIVATE KEY-----")
        || start.starts_with("-----BEGIN PRIVATE KEY-----")
        || start.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    {
        "a PEM private key, not in OpenSSH's format; countersign signs with OpenSSH ed25519 keys: \
         create one with `countersign keygen`"
            .into()
    } else if PublicKey::from_openssh(start.trim_end()).is_ok() {
        "a public key; name the private key file (the same path without .pub)".into()
    } else {
        format!("{error}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attest::fixtures::signing_key;
    use crate::attest::key_location::KeyOrigin;
    use ssh_key::LineEnding;

    fn at(path: &Path) -> KeyLocation {
        KeyLocation {
            path: path.to_path_buf(),
            named_public: None,
            origin: KeyOrigin::Option,
        }
    }

    fn given(p: &str) -> Passphrase {
        Passphrase::Given(Zeroizing::new(p.into()))
    }

    #[test]
    fn reads_a_plain_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id");
        let key = signing_key(3);
        std::fs::write(&path, key.private_key().to_openssh(LineEnding::LF).unwrap()).unwrap();
        let loaded = load(&at(&path), &Passphrase::Prompt).unwrap();
        assert_eq!(loaded.fingerprint(), key.fingerprint());
        assert!(loaded.fingerprint().starts_with("SHA256:"));
    }

    #[test]
    fn decrypts_with_the_given_passphrase() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id");
        let key = signing_key(4);
        let encrypted = key
            .private_key()
            .encrypt(&mut ssh_key::rand_core::OsRng, "correct horse")
            .unwrap();
        std::fs::write(&path, encrypted.to_openssh(LineEnding::LF).unwrap()).unwrap();
        let loaded = load(&at(&path), &given("correct horse")).unwrap();
        assert_eq!(loaded.fingerprint(), key.fingerprint());
        assert!(matches!(
            load(&at(&path), &given("wrong")),
            Err(KeyError::WrongPassphrase { .. })
        ));
    }

    #[test]
    fn missing_and_public_only_keys_say_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id_ed25519");
        let err = load(&at(&path), &Passphrase::Prompt).unwrap_err();
        assert!(err.to_string().contains("countersign keygen"), "{err}");
        let location = KeyLocation {
            named_public: Some(dir.path().join("id_ed25519.pub")),
            ..at(&path)
        };
        let err = load(&location, &Passphrase::Prompt).unwrap_err();
        assert!(matches!(err, KeyError::PublicKeyOnly { .. }), "{err}");
        assert!(err.to_string().contains("ssh-agent"), "{err}");
    }

    #[test]
    fn files_that_are_not_private_keys_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id.pub");
        let public = signing_key(5).public_key().to_openssh().unwrap();
        std::fs::write(&path, format!("{public}\n")).unwrap();
        let err = load(&at(&path), &Passphrase::Prompt).unwrap_err();
        assert!(err.to_string().contains("a public key"), "{err}");

        std::fs::write(&path, "-----BEGIN RSA PRIVATE KEY-----\nMII\n").unwrap();
        let err = load(&at(&path), &Passphrase::Prompt).unwrap_err();
        assert!(err.to_string().contains("countersign keygen"), "{err}");
    }

    #[test]
    fn the_passphrase_variable_is_used_when_set() {
        assert!(matches!(
            Passphrase::from_var(Some("x".into())),
            Passphrase::Given(p) if p.as_str() == "x"
        ));
        assert!(matches!(Passphrase::from_var(None), Passphrase::Prompt));
    }
}
