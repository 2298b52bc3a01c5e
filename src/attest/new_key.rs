//! Making a new OpenSSH ed25519 key pair on disk, as `ssh-keygen -t ed25519` would: the private
//! key readable only by its owner, the public key beside it with `.pub`.

use std::fs::{DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use ssh_key::rand_core::OsRng;
use ssh_key::{Algorithm, LineEnding, PrivateKey};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

/// A fresh random ed25519 key with `comment` (usually the owner's email).
pub fn generate(comment: &str) -> Result<PrivateKey> {
    let mut key = PrivateKey::random(&mut OsRng, Algorithm::Ed25519)
        .map_err(|e| Error::Internal(format!("generating a key: {e}")))?;
    key.set_comment(comment);
    Ok(key)
}

/// The public key file of the private key at `path`: the same path with `.pub` appended.
pub fn public_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

/// Fails, naming the file, when a key or public key already exists at `path` or `path.pub`.
pub fn refuse_existing(path: &Path) -> Result<()> {
    for existing in [path.to_path_buf(), public_path(path)] {
        if existing.symlink_metadata().is_ok() {
            return Err(Error::input(
                existing.display().to_string(),
                "already exists; countersign never overwrites a key (remove it, or choose another \
                 path with --key FILE)",
            ));
        }
    }
    Ok(())
}

/// Writes `key` to `path` (mode 0600; encrypted with `passphrase` unless it is empty) and its
/// public key to `path.pub` (0644), creating missing parent directories with mode 0700. An
/// existing file at either path is never overwritten. Returns the public key's path.
pub fn write_key_pair(key: &PrivateKey, path: &Path, passphrase: &str) -> Result<PathBuf> {
    refuse_existing(path)?;
    let public = public_path(path);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .map_err(|e| {
                Error::input(parent.display().to_string(), format!("cannot create: {e}"))
            })?;
    }
    let stored = if passphrase.is_empty() {
        key.clone()
    } else {
        key.encrypt(&mut OsRng, passphrase)
            .map_err(|e| Error::Internal(format!("encrypting the key: {e}")))?
    };
    let private_text = stored
        .to_openssh(LineEnding::LF)
        .map_err(|e| Error::Internal(format!("encoding the key: {e}")))?;
    let public_text = key
        .public_key()
        .to_openssh()
        .map_err(|e| Error::Internal(format!("encoding the public key: {e}")))?;
    write_new(path, 0o600, private_text.as_bytes())?;
    write_new(&public, 0o644, format!("{public_text}\n").as_bytes())?;
    Ok(public)
}

/// Creates `path` with `mode` and writes `bytes`, failing if it exists.
fn write_new(path: &Path, mode: u32, bytes: &[u8]) -> Result<()> {
    let bytes = Zeroizing::new(bytes.to_vec());
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .and_then(|mut file| file.write_all(&bytes).and_then(|()| file.sync_all()))
        .map_err(|e| Error::input(path.display().to_string(), format!("cannot write: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn writes_a_pair_with_owner_only_private_key_and_parent_0700() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/.ssh/id_ed25519");
        let key = generate("ada@example.com").unwrap();
        let public = write_key_pair(&key, &path, "").unwrap();
        assert_eq!(public, dir.path().join("new/.ssh/id_ed25519.pub"));
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
        let read = PrivateKey::read_openssh_file(&path).unwrap();
        assert!(!read.is_encrypted());
        assert_eq!(read.public_key().key_data(), key.public_key().key_data());
        let public_text = std::fs::read_to_string(&public).unwrap();
        assert!(public_text.starts_with("ssh-ed25519 AAAA"), "{public_text}");
        assert!(public_text.ends_with(" ada@example.com\n"), "{public_text}");
    }

    #[test]
    fn refuses_to_overwrite_either_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("id_ed25519");
        std::fs::write(public_path(&path), "old").unwrap();
        let err = write_key_pair(&generate("x").unwrap(), &path, "").unwrap_err();
        assert!(
            err.to_string().contains("id_ed25519.pub: already exists"),
            "{err}"
        );
        assert_eq!(err.exit_code(), 2);
        assert!(!path.exists(), "nothing was written");
    }
}
