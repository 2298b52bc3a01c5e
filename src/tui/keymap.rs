//! Keys to actions: SPEC §5's defaults, remappable in `.countersign.toml` (`[keys]`), and the
//! list the `?` overlay shows. Inside a prompt, keys type text instead.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::review::Action;
use crate::review::State;

/// A command a key can be bound to: its config name, what `?` says of it, its action and its
/// default keys.
struct Command {
    name: &'static str,
    help: &'static str,
    action: Action,
    keys: &'static [&'static str],
}

const COMMANDS: &[Command] = &[
    Command {
        name: "line_down",
        help: "scroll down a line",
        action: Action::Scroll { rows: 1 },
        keys: &["j", "down"],
    },
    Command {
        name: "line_up",
        help: "scroll up a line",
        action: Action::Scroll { rows: -1 },
        keys: &["k", "up"],
    },
    Command {
        name: "page_down",
        help: "scroll down a page",
        action: Action::PageDown,
        keys: &["space", "pagedown", "ctrl-d"],
    },
    Command {
        name: "page_up",
        help: "scroll up a page",
        action: Action::PageUp,
        keys: &["pageup", "ctrl-u", "b"],
    },
    Command {
        name: "top",
        help: "top of the hunk",
        action: Action::Top,
        keys: &["g", "home"],
    },
    Command {
        name: "bottom",
        help: "bottom of the hunk",
        action: Action::Bottom,
        keys: &["G", "end"],
    },
    Command {
        name: "next_hunk",
        help: "next hunk",
        action: Action::NextHunk,
        keys: &["J", "n"],
    },
    Command {
        name: "prev_hunk",
        help: "previous hunk",
        action: Action::PrevHunk,
        keys: &["K", "p"],
    },
    Command {
        name: "next_risky",
        help: "next undecided risky hunk",
        action: Action::NextRisky,
        keys: &["N"],
    },
    Command {
        name: "prev_risky",
        help: "previous undecided risky hunk",
        action: Action::PrevRisky,
        keys: &["P"],
    },
    Command {
        name: "next_file",
        help: "next file",
        action: Action::NextFile,
        keys: &["tab"],
    },
    Command {
        name: "prev_file",
        help: "previous file",
        action: Action::PrevFile,
        keys: &["backtab"],
    },
    Command {
        name: "approve",
        help: "approve the hunk",
        action: Action::Approve,
        keys: &["a"],
    },
    Command {
        name: "approve_file",
        help: "approve whole file (reason)",
        action: Action::ApproveFile,
        keys: &["A"],
    },
    Command {
        name: "reject",
        help: "reject the hunk (reason)",
        action: Action::Reject,
        keys: &["x"],
    },
    Command {
        name: "comment",
        help: "comment on the hunk",
        action: Action::Comment,
        keys: &["c"],
    },
    Command {
        name: "undo",
        help: "undo the last decision",
        action: Action::Undo,
        keys: &["u"],
    },
    Command {
        name: "search",
        help: "search",
        action: Action::Search,
        keys: &["/"],
    },
    Command {
        name: "search_next",
        help: "next match (while searching)",
        action: Action::SearchNext,
        keys: &["n"],
    },
    Command {
        name: "search_prev",
        help: "previous match (while searching)",
        action: Action::SearchPrev,
        keys: &["N"],
    },
    Command {
        name: "side_by_side",
        help: "unified / side by side",
        action: Action::ToggleSideBySide,
        keys: &["s"],
    },
    Command {
        name: "help",
        help: "this help",
        action: Action::ToggleHelp,
        keys: &["?"],
    },
    Command {
        name: "finish",
        help: "finish the review",
        action: Action::Finish,
        keys: &["S"],
    },
    Command {
        name: "quit",
        help: "quit",
        action: Action::Quit,
        keys: &["q"],
    },
];

/// A key with its modifiers (shift is part of the character for letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    code: KeyCode,
    ctrl: bool,
}

/// The key bindings in force.
#[derive(Debug, Clone)]
pub struct Keymap {
    /// (key, index into COMMANDS)
    bindings: Vec<(Key, usize)>,
}

impl Keymap {
    /// The defaults with the config's `[keys]` applied; an unknown command or key, or one key
    /// bound to two commands, is an error naming the config line.
    pub fn new(config: &Config) -> Result<Keymap> {
        let mut bindings = Vec::new();
        for (i, c) in COMMANDS.iter().enumerate() {
            let keys = match config.keys.get(c.name) {
                Some(k) => k.list(),
                None => c.keys.iter().map(|k| k.to_string()).collect(),
            };
            for k in keys {
                let key = parse_key(&k).ok_or_else(|| {
                    Error::input(
                        config.key_location(c.name),
                        format!(
                            "{k:?} is not a key (try \"x\", \"ctrl-x\", \"tab\", \"space\", \"f5\")"
                        ),
                    )
                })?;
                bindings.push((key, i));
            }
        }
        if let Some(name) = config
            .keys
            .keys()
            .find(|n| !COMMANDS.iter().any(|c| c.name == *n))
        {
            let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
            return Err(Error::input(
                config.key_location(name),
                format!(
                    "unknown command {name:?}; the commands are {}",
                    names.join(", ")
                ),
            ));
        }
        let searching =
            |i: usize| matches!(COMMANDS[i].action, Action::SearchNext | Action::SearchPrev);
        for (n, &(key, i)) in bindings.iter().enumerate() {
            if let Some(&(_, j)) = bindings[n + 1..]
                .iter()
                .find(|(k, j)| *k == key && *j != i && searching(i) == searching(*j))
            {
                return Err(Error::input(
                    config.key_location(COMMANDS[j].name),
                    format!(
                        "{} is bound to both {} and {}",
                        key_name(key),
                        COMMANDS[i].name,
                        COMMANDS[j].name
                    ),
                ));
            }
        }
        Ok(Keymap { bindings })
    }

    /// The action a key press means in `state`: typing while a prompt is open, the search
    /// commands while a search is active, else the bound command. Ctrl-C always quits.
    pub fn action(&self, event: KeyEvent, state: &State) -> Option<Action> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && event.code == KeyCode::Char('c') {
            return Some(Action::ForceQuit);
        }
        if state.prompt.is_some() || state.overlay.is_some() {
            return match event.code {
                KeyCode::Enter => Some(Action::Submit),
                KeyCode::Esc => Some(Action::Cancel),
                KeyCode::Backspace => Some(Action::Backspace),
                KeyCode::Char(ch) if !ctrl && state.prompt.is_some() => Some(Action::Type { ch }),
                _ if state.overlay.is_some() => Some(Action::Cancel),
                _ => None,
            };
        }
        if event.code == KeyCode::Esc {
            return Some(Action::Cancel);
        }
        let key = Key {
            code: event.code,
            ctrl,
        };
        let mut found = self
            .bindings
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|&(_, i)| i);
        let searching = state.search.is_some();
        found
            .find(|&i| {
                let is_search =
                    matches!(COMMANDS[i].action, Action::SearchNext | Action::SearchPrev);
                is_search == searching || !self.bound_for_search(key)
            })
            .map(|i| COMMANDS[i].action)
    }

    fn bound_for_search(&self, key: Key) -> bool {
        self.bindings.iter().any(|&(k, i)| {
            k == key && matches!(COMMANDS[i].action, Action::SearchNext | Action::SearchPrev)
        })
    }

    /// Every command with its keys and description, for the help overlay.
    pub fn help(&self) -> Vec<(String, &'static str)> {
        let mut rows: Vec<(String, &'static str)> = COMMANDS
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let keys: Vec<String> = self
                    .bindings
                    .iter()
                    .filter(|(_, j)| *j == i)
                    .map(|&(k, _)| key_name(k))
                    .collect();
                (keys.join(" "), c.help)
            })
            .collect();
        rows.push(("ctrl-c".into(), "quit at once"));
        rows
    }

    /// The first key of a command, for hints (`?` for help).
    pub fn key_for(&self, name: &str) -> String {
        let i = COMMANDS.iter().position(|c| c.name == name);
        self.bindings
            .iter()
            .find(|(_, j)| Some(*j) == i)
            .map_or_else(|| "(unbound)".into(), |&(k, _)| key_name(k))
    }
}

fn parse_key(spec: &str) -> Option<Key> {
    let (ctrl, rest) = match spec.strip_prefix("ctrl-") {
        Some(r) if !r.is_empty() => (true, r),
        _ => (false, spec),
    };
    let code = match rest.to_ascii_lowercase().as_str() {
        "tab" => KeyCode::Tab,
        "backtab" | "shift-tab" => KeyCode::BackTab,
        "enter" => KeyCode::Enter,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "delete" => KeyCode::Delete,
        f if f.len() > 1 && f.starts_with('f') => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
        }
        _ => {
            let mut chars = rest.chars();
            let c = chars.next()?;
            if chars.next().is_some() || c.is_control() {
                return None;
            }
            KeyCode::Char(c)
        }
    };
    Some(Key { code, ctrl })
}

fn key_name(key: Key) -> String {
    let base = match key.code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "shift-tab".into(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "pgup".into(),
        KeyCode::PageDown => "pgdn".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::Delete => "del".into(),
        KeyCode::F(n) => format!("f{n}"),
        other => format!("{other:?}").to_lowercase(),
    };
    if key.ctrl {
        format!("ctrl-{base}")
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn remapped_keys_replace_the_defaults_and_conflicts_are_errors() {
        let config = Config::parse("[keys]\napprove = \"y\"\n", Path::new("c.toml")).unwrap();
        let map = Keymap::new(&config).unwrap();
        assert!(
            map.help()
                .iter()
                .any(|(k, h)| k == "y" && *h == "approve the hunk")
        );
        assert_eq!(map.key_for("approve"), "y");

        let clash = Config::parse("[keys]\n\napprove = \"x\"\n", Path::new("c.toml")).unwrap();
        let e = Keymap::new(&clash).unwrap_err().to_string();
        assert!(e.contains("bound to both"), "{e}");

        let unknown = Config::parse("[keys]\napprov = \"x\"\n", Path::new("c.toml")).unwrap();
        assert!(
            Keymap::new(&unknown)
                .unwrap_err()
                .to_string()
                .contains("unknown command")
        );
        let bad = Config::parse("[keys]\napprove = \"ctrl-\"\n", Path::new("c.toml")).unwrap();
        assert!(Keymap::new(&bad).is_err());
    }
}
