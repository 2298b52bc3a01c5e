//! Which key signs (SPEC §2): `--key FILE`, else git's `user.signingkey` when it names an
//! ssh key, else `~/.ssh/id_ed25519`.

use std::path::{Path, PathBuf};

use super::signing_key::KeyError;

/// Where a signing key is expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLocation {
    /// The private key file.
    pub path: PathBuf,
    /// The `.pub` file that was named instead, when one was (its private key sits beside it).
    pub named_public: Option<PathBuf>,
    /// Which setting chose it.
    pub origin: KeyOrigin,
}

/// Which setting chose the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOrigin {
    /// `--key FILE`.
    Option,
    /// git's `user.signingkey`.
    GitConfig,
    /// `~/.ssh/id_ed25519`.
    Default,
}

/// The part of git's configuration that names a signing key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitSigningConfig {
    /// `gpg.format` (`ssh` when git signs with ssh keys).
    pub format: Option<String>,
    /// `user.signingkey`.
    pub signing_key: Option<String>,
}

impl GitSigningConfig {
    /// The configuration in effect in `dir`: the repository's around it, else the user's.
    pub fn read(dir: &Path) -> GitSigningConfig {
        let config = crate::source::git::config_at(dir);
        let get = |key: &str| config.as_ref().and_then(|c| c.get_string(key).ok());
        GitSigningConfig {
            format: get("gpg.format"),
            signing_key: get("user.signingkey"),
        }
    }
}

/// The default key of a user whose home is `home`: `~/.ssh/id_ed25519`.
pub fn default_key_path(home: Option<&Path>) -> Result<PathBuf, KeyError> {
    home.map(|h| h.join(".ssh").join("id_ed25519"))
        .ok_or(KeyError::NoHome)
}

/// The key to sign with: `option` (`--key`), else the one `git` names, else the default one
/// under `home`. A named `.pub` file stands for the private key beside it.
pub fn locate(
    option: Option<&Path>,
    git: &GitSigningConfig,
    home: Option<&Path>,
) -> Result<KeyLocation, KeyError> {
    if let Some(path) = option {
        return Ok(location(path.to_path_buf(), KeyOrigin::Option));
    }
    if let Some(value) = git.signing_key.as_deref().map(str::trim) {
        if value.starts_with("key::") || value.starts_with("ssh-") {
            return Err(KeyError::LiteralKey {
                shown: value.chars().take(24).collect(),
            });
        }
        let path_like = value.contains('/') || value.starts_with('~');
        if git.format.as_deref() == Some("ssh") || path_like {
            return Ok(location(expand_home(value, home)?, KeyOrigin::GitConfig));
        }
        // Otherwise it is a GPG key id, which says nothing about ssh keys.
    }
    Ok(location(default_key_path(home)?, KeyOrigin::Default))
}

/// A location for `path`, standing a `.pub` file in for its private key.
fn location(path: PathBuf, origin: KeyOrigin) -> KeyLocation {
    match path.to_str().and_then(|p| p.strip_suffix(".pub")) {
        Some(private) => KeyLocation {
            path: PathBuf::from(private),
            named_public: Some(path),
            origin,
        },
        None => KeyLocation {
            path,
            named_public: None,
            origin,
        },
    }
}

/// `~/x` as a path under `home`.
fn expand_home(value: &str, home: Option<&Path>) -> Result<PathBuf, KeyError> {
    match value.strip_prefix("~/") {
        Some(rest) => Ok(home.ok_or(KeyError::NoHome)?.join(rest)),
        None => Ok(PathBuf::from(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(format: Option<&str>, key: Option<&str>) -> GitSigningConfig {
        GitSigningConfig {
            format: format.map(String::from),
            signing_key: key.map(String::from),
        }
    }

    fn home() -> Option<&'static Path> {
        Some(Path::new("/home/ada"))
    }

    #[test]
    fn the_option_comes_first() {
        let found = locate(
            Some(Path::new("keys/ci")),
            &git(Some("ssh"), Some("~/.ssh/other")),
            home(),
        )
        .unwrap();
        assert_eq!(found.path, Path::new("keys/ci"));
        assert_eq!(found.origin, KeyOrigin::Option);
    }

    #[test]
    fn git_signing_key_paths_are_used_and_a_pub_stands_for_its_private_key() {
        let found = locate(None, &git(Some("ssh"), Some("~/.ssh/work.pub")), home()).unwrap();
        assert_eq!(found.path, Path::new("/home/ada/.ssh/work"));
        assert_eq!(
            found.named_public.as_deref(),
            Some(Path::new("/home/ada/.ssh/work.pub"))
        );
        assert_eq!(found.origin, KeyOrigin::GitConfig);

        let found = locate(None, &git(None, Some("/keys/id_ed25519")), home()).unwrap();
        assert_eq!(found.path, Path::new("/keys/id_ed25519"));
        assert_eq!(found.named_public, None);
    }

    #[test]
    fn a_gpg_key_id_is_not_an_ssh_key() {
        let found = locate(None, &git(None, Some("3AA5C34371567BD2")), home()).unwrap();
        assert_eq!(found.path, Path::new("/home/ada/.ssh/id_ed25519"));
        assert_eq!(found.origin, KeyOrigin::Default);
    }

    #[test]
    fn literal_keys_need_an_agent() {
        for literal in ["key::ssh-ed25519 AAAAC3Nza", "ssh-ed25519 AAAAC3Nza"] {
            let err = locate(None, &git(Some("ssh"), Some(literal)), home()).unwrap_err();
            assert!(err.to_string().contains("ssh-agent"), "{err}");
            assert!(err.to_string().contains("--key"), "{err}");
        }
    }

    #[test]
    fn without_home_only_explicit_paths_work() {
        assert!(matches!(
            locate(None, &git(None, None), None),
            Err(KeyError::NoHome)
        ));
        assert!(locate(Some(Path::new("k")), &git(None, None), None).is_ok());
    }
}
