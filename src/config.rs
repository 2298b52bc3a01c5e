//! `.countersign.toml`: the repository's (or the user's) settings for reviews — theme, the
//! shortest acceptable justification, and key bindings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

/// The file looked for at the repository root when `--config` is not given.
pub const FILE_NAME: &str = ".countersign.toml";

/// The shortest justification (and bulk-approval reason) accepted when the config says none.
pub const DEFAULT_MIN_JUSTIFICATION: usize = 20;

/// The whole configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Syntax and colour theme (as `--theme`).
    pub theme: Option<String>,
    /// Review settings.
    #[serde(default)]
    pub review: ReviewConfig,
    /// Key bindings: command name to one key or a list of keys (`approve = "a"`,
    /// `next_hunk = ["J", "n"]`); a command listed here loses its default keys.
    #[serde(default)]
    pub keys: BTreeMap<String, Keys>,
    /// Where it was read from, for error messages.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// Review settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewConfig {
    /// The fewest characters a justification of a risky approval, or a bulk approval's
    /// reason, may have.
    pub min_justification: Option<usize>,
}

/// One key or several.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Keys {
    /// One key.
    One(String),
    /// Several keys.
    Many(Vec<String>),
}

impl Keys {
    /// The keys as a list.
    pub fn list(&self) -> Vec<String> {
        match self {
            Keys::One(k) => vec![k.clone()],
            Keys::Many(ks) => ks.clone(),
        }
    }
}

impl Config {
    /// Reads `explicit` (an error when missing), else `.countersign.toml` in `root` when it
    /// exists, else the defaults.
    pub fn load(explicit: Option<&Path>, root: &Path) -> Result<Config> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let p = root.join(FILE_NAME);
                if !p.exists() {
                    return Ok(Config::default());
                }
                p
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Error::unreadable(&path, e))?;
        Config::parse(&text, &path)
    }

    /// Parses the text of a config file read from `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let mut config: Config = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            Error::input(
                format!("{}:{line}", path.display()),
                e.message().to_string(),
            )
        })?;
        config.path = Some(path.to_path_buf());
        Ok(config)
    }

    /// The line of `key` in the `[keys]` table, for error messages (`file:line`).
    pub fn key_location(&self, key: &str) -> String {
        let Some(path) = &self.path else {
            return "config".into();
        };
        let line = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| {
                t.lines()
                    .position(|l| l.trim_start().starts_with(key))
                    .map(|i| i + 1)
            })
            .unwrap_or(1);
        format!("{}:{line}", path.display())
    }

    /// The shortest acceptable justification.
    pub fn min_justification(&self) -> usize {
        self.review
            .min_justification
            .unwrap_or(DEFAULT_MIN_JUSTIFICATION)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_and_review_settings() {
        let c = Config::parse(
            "theme = \"countersign-light\"\n[review]\nmin_justification = 5\n[keys]\napprove = \"y\"\nnext_hunk = [\"J\", \"n\"]\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(c.min_justification(), 5);
        assert_eq!(c.keys["next_hunk"].list(), vec!["J", "n"]);
        assert_eq!(c.theme.as_deref(), Some("countersign-light"));
    }

    #[test]
    fn a_bad_file_names_its_line() {
        let e = Config::parse(
            "[review]\n\nmin_justification = \"x\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("c.toml:3"), "{e}");
        assert_eq!(e.exit_code(), 2);
    }
}
