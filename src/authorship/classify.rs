//! Telling an agent's commit from a person's by its message and author alone: trailer parsing
//! and name matching, no I/O.

use crate::config::AuthorshipConfig;

/// The trailers that can name a coding agent (compared case-insensitively).
pub const AGENT_TRAILERS: &[&str] = &["Co-authored-by", "Generated-by", "Assisted-by", "AI-Agent"];

/// One `Key: value` trailer of a commit message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trailer {
    /// The key as written (`Co-authored-by`).
    pub key: String,
    /// The value, continuation lines joined by a space.
    pub value: String,
}

/// The trailers of a commit message, as git reads them: the `Key: value` lines of its last
/// paragraph (never of the subject), a line starting with white space continuing the one
/// before. Other lines of that paragraph are ignored.
pub fn trailers(message: &str) -> Vec<Trailer> {
    let text = message.replace("\r\n", "\n");
    let paragraphs: Vec<&str> = text
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty())
        .collect();
    let [_, .., last] = paragraphs.as_slice() else {
        return Vec::new();
    };
    let mut out: Vec<Trailer> = Vec::new();
    let mut continues = false;
    for line in last.lines() {
        if line.starts_with([' ', '\t']) {
            if continues && let Some(t) = out.last_mut() {
                t.value.push(' ');
                t.value.push_str(line.trim());
            }
            continue;
        }
        continues = false;
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let is_token =
            !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if is_token {
            out.push(Trailer {
                key: key.to_string(),
                value: value.trim().to_string(),
            });
            continues = true;
        }
    }
    out
}

/// The lowercase alphanumeric words of `text` (`noreply@anthropic.com` → noreply, anthropic,
/// com).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// True when `pattern` (`*` matches any run of characters) matches all of `text`, ignoring
/// case.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    // Iterative matching with backtracking to the last star.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Decides whether a commit was written by a coding agent, by the configured agent names and
/// bot-author patterns.
#[derive(Debug, Clone)]
pub struct Classifier {
    /// Each agent name as its words.
    agents: Vec<Vec<String>>,
    /// Author patterns.
    bots: Vec<String>,
}

impl Classifier {
    /// A classifier for the `[authorship]` settings.
    pub fn new(config: &AuthorshipConfig) -> Classifier {
        Classifier {
            agents: config
                .agents
                .iter()
                .map(|a| words(a))
                .filter(|w| !w.is_empty())
                .collect(),
            bots: config.bot_authors.clone(),
        }
    }

    /// True when `value` (a trailer's value) names a known agent: the agent's words occur in
    /// it, in order and adjacent, as whole words.
    pub fn names_agent(&self, value: &str) -> bool {
        let value = words(value);
        self.agents
            .iter()
            .any(|agent| value.windows(agent.len()).any(|w| w == agent.as_slice()))
    }

    /// True when the author (name or email) matches a bot pattern.
    pub fn is_bot(&self, name: &str, email: &str) -> bool {
        self.bots
            .iter()
            .any(|p| glob_matches(p, name) || glob_matches(p, email))
    }

    /// True when the commit by `author_name <author_email>` with `message` is AI-authored.
    pub fn is_ai(&self, author_name: &str, author_email: &str, message: &str) -> bool {
        self.is_bot(author_name, author_email)
            || trailers(message).iter().any(|t| {
                AGENT_TRAILERS
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(&t.key))
                    && self.names_agent(&t.value)
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Classifier {
        Classifier::new(&AuthorshipConfig::default())
    }

    #[test]
    fn trailers_come_from_the_last_paragraph_only() {
        let msg = "Fix: the subject is no trailer\n\nBody text: not the last paragraph.\n\nCo-authored-by: Claude\n <noreply@anthropic.com>\nnot a trailer line\nSigned-off-by: Ada <ada@example.com>\n";
        assert_eq!(
            trailers(msg),
            vec![
                Trailer {
                    key: "Co-authored-by".into(),
                    value: "Claude <noreply@anthropic.com>".into()
                },
                Trailer {
                    key: "Signed-off-by".into(),
                    value: "Ada <ada@example.com>".into()
                },
            ]
        );
        assert!(trailers("Co-authored-by: Claude").is_empty());
        assert!(trailers("subject\r\n\r\nAI-Agent: Codex\r\n").len() == 1);
    }

    #[test]
    fn agent_trailers_mark_a_commit_whatever_their_case() {
        let c = defaults();
        for msg in [
            "add vpc\n\nCo-authored-by: Claude <noreply@anthropic.com>",
            "add vpc\n\nco-authored-by: copilot <175728472+Copilot@users.noreply.github.com>",
            "add vpc\n\nGenerated-by: CURSOR agent",
            "add vpc\n\nAssisted-by: Amazon Q Developer",
            "add vpc\n\nAI-Agent: aider (gpt-4o)",
            "add vpc\n\nCo-authored-by: devin-ai-integration[bot] <x@users.noreply.github.com>",
        ] {
            assert!(c.is_ai("Ada", "ada@example.com", msg), "{msg}");
        }
        for msg in [
            "add vpc",
            "Co-authored-by: Claude (in the subject)",
            "add vpc\n\nCo-authored-by: Devin Smith <devin@example.com>",
            "add vpc\n\nReviewed-by: Claude <noreply@anthropic.com>",
            "add vpc\n\nCo-authored-by: Claudette <c@example.com>",
            "add vpc\n\nCo-authored-by: Amazon Quinn <q@example.com>",
        ] {
            assert!(!c.is_ai("Ada", "ada@example.com", msg), "{msg}");
        }
    }

    #[test]
    fn bot_authors_match_by_pattern_on_name_or_email() {
        let c = defaults();
        assert!(c.is_ai(
            "copilot-swe-agent[bot]",
            "198982749+Copilot@users.noreply.github.com",
            "x"
        ));
        assert!(!c.is_ai("Ada Lovelace", "ada@example.com", "x"));
        let custom = Classifier::new(&AuthorshipConfig {
            agents: Vec::new(),
            bot_authors: vec!["*@agents.example.com".into(), "infra-bot".into()],
        });
        assert!(custom.is_ai("whoever", "Run-7@Agents.Example.com", "x"));
        assert!(custom.is_ai("INFRA-BOT", "b@example.com", "x"));
        assert!(!custom.is_ai("infra-bot-2", "b@example.com", "x"));
        assert!(!custom.is_ai("Ada", "ada@example.com", "x\n\nCo-authored-by: Claude"));
    }

    #[test]
    fn globs_backtrack_over_stars() {
        assert!(glob_matches("*[bot]", "renovate[bot]"));
        assert!(glob_matches("a*b*c", "aXbYbZc"));
        assert!(glob_matches("*", ""));
        assert!(!glob_matches("a*b", "acb-"));
        assert!(!glob_matches("", "a"));
    }
}
