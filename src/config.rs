//! `.countersign.toml`: the repository's (or the user's) settings — theme, the shortest
//! acceptable justification, key bindings, which commits count as AI-written, and the
//! thresholds of `stats`.

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
    /// Which commits count as written by a coding agent.
    #[serde(default)]
    pub authorship: AuthorshipConfig,
    /// Thresholds of `countersign stats`.
    #[serde(default)]
    pub stats: StatsConfig,
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

/// The coding agents whose commits count as AI-written (SPEC §8): named in a trailer
/// (`Co-authored-by`, `Generated-by`, `Assisted-by`, `AI-Agent`), or by the commit's author.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthorshipConfig {
    /// Agent names, matched case-insensitively as whole words of a trailer's value
    /// (`"Amazon Q"` matches `Amazon Q Developer`, `"anthropic.com"` matches
    /// `noreply@anthropic.com`).
    pub agents: Vec<String>,
    /// Author patterns (`*` matches any run of characters), matched case-insensitively
    /// against the author's name and email: bot accounts.
    pub bot_authors: Vec<String>,
}

/// The agents recognised when the config lists none. Names that are also common first names
/// (Devin, Cody) are listed by their product identity, so a colleague called Devin is not
/// taken for an agent.
pub const DEFAULT_AGENTS: &[&str] = &[
    "Claude",
    "anthropic.com",
    "Copilot",
    "Cursor",
    "cursor.com",
    "Codex",
    "ChatGPT",
    "openai.com",
    "Devin AI",
    "devin-ai-integration",
    "Aider",
    "Gemini",
    "Amazon Q",
    "Windsurf",
    "Codeium",
    "Sourcegraph Cody",
    "Tabnine",
    "OpenHands",
    "SWE-agent",
    "Junie",
    "Cline",
    "Roo Code",
    "Kiro",
];

/// The author patterns recognised when the config lists none: every bot account.
pub const DEFAULT_BOT_AUTHORS: &[&str] = &["*[bot]"];

impl Default for AuthorshipConfig {
    fn default() -> Self {
        AuthorshipConfig {
            agents: DEFAULT_AGENTS.iter().map(|s| s.to_string()).collect(),
            bot_authors: DEFAULT_BOT_AUTHORS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

/// Thresholds of `countersign stats`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatsConfig {
    /// An approval given after less time on the hunk than this is a rubber stamp
    /// (`"10s"`, `"1m 30s"`).
    #[serde(deserialize_with = "duration_text")]
    pub min_dwell: std::time::Duration,
    /// A commit whose added lines are removed again within this many days counts as rolled
    /// back.
    pub rollback_window_days: u32,
}

/// The rubber-stamp threshold when the config sets none.
pub const DEFAULT_MIN_DWELL: std::time::Duration = std::time::Duration::from_secs(10);

/// The rollback window when the config sets none.
pub const DEFAULT_ROLLBACK_WINDOW_DAYS: u32 = 14;

impl Default for StatsConfig {
    fn default() -> Self {
        StatsConfig {
            min_dwell: DEFAULT_MIN_DWELL,
            rollback_window_days: DEFAULT_ROLLBACK_WINDOW_DAYS,
        }
    }
}

/// A duration written as text (`"10s"`, `"2m"`), as humantime reads it.
fn duration_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<std::time::Duration, D::Error> {
    let text = String::deserialize(d)?;
    humantime::parse_duration(&text).map_err(|e| {
        serde::de::Error::custom(format!(
            "{text:?} is not a duration ({e}); write e.g. \"10s\""
        ))
    })
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
    fn reads_authorship_and_stats_sections_with_defaults_for_the_rest() {
        let c = Config::parse(
            "[authorship]\nagents = [\"Claude\"]\n[stats]\nmin_dwell = \"1m 30s\"\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(c.authorship.agents, vec!["Claude"]);
        assert_eq!(c.authorship.bot_authors, vec!["*[bot]"]);
        assert_eq!(c.stats.min_dwell, std::time::Duration::from_secs(90));
        assert_eq!(c.stats.rollback_window_days, 14);
        let d = Config::default();
        assert!(d.authorship.agents.iter().any(|a| a == "Copilot"));
        assert_eq!(d.stats.min_dwell, std::time::Duration::from_secs(10));
    }

    #[test]
    fn an_unknown_key_is_named_with_its_file_and_line() {
        for (text, key, line) in [
            ("theme = \"x\"\n[authorship]\nagent = [\"x\"]\n", "agent", 3),
            ("[stats]\nmin_dwell = \"5s\"\nwindow = 3\n", "window", 3),
            ("\nthemes = 1\n", "themes", 2),
        ] {
            let e = Config::parse(text, Path::new("c.toml")).unwrap_err();
            let msg = e.to_string();
            assert!(msg.contains(&format!("c.toml:{line}")), "{msg}");
            assert!(msg.contains(&format!("unknown field `{key}`")), "{msg}");
            assert_eq!(e.exit_code(), 2);
        }
        let e = Config::parse("[stats]\nmin_dwell = \"soon\"\n", Path::new("c.toml")).unwrap_err();
        assert!(e.to_string().contains("c.toml:2"), "{e}");
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
