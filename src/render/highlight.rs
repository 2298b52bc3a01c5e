//! Syntax highlighting with syntect: syntect's bundled syntaxes plus countersign's own
//! Terraform/HCL syntax, themes from `themes/` (embedded) or any `.tmTheme` file.

use std::io::Cursor;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use syntect::highlighting::{
    Color, HighlightState, Highlighter as ThemeHighlighter, RangedHighlightIterator, Theme,
    ThemeSet,
};
use syntect::parsing::{
    ParseState, ScopeStack, SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder,
};

use crate::error::{Error, Result};

const TERRAFORM_SYNTAX: &str = include_str!("syntaxes/terraform.sublime-syntax");
const THEMES: [(&str, &str); 2] = [
    (
        "countersign-dark",
        include_str!("../../themes/countersign-dark.tmTheme"),
    ),
    (
        "countersign-light",
        include_str!("../../themes/countersign-light.tmTheme"),
    ),
];

/// The theme used when none is asked for.
pub const DEFAULT_THEME: &str = "countersign-dark";

/// Foreground colour spans of one highlighted line (byte ranges into the line).
pub type Spans = Vec<(Color, Range<usize>)>;

/// Loads a theme by name (countersign's own, or one of syntect's bundled themes) or from a
/// `.tmTheme` file.
pub fn load_theme(name_or_file: &str) -> Result<Theme> {
    let parse = |text: &str, origin: &str| {
        ThemeSet::load_from_reader(&mut Cursor::new(text.as_bytes()))
            .map_err(|e| Error::input(origin.to_string(), format!("not a valid .tmTheme: {e}")))
    };
    if let Some((_, text)) = THEMES.iter().find(|(n, _)| *n == name_or_file) {
        return parse(text, name_or_file);
    }
    let path = Path::new(name_or_file);
    if path.extension().is_some_and(|e| e == "tmTheme") || path.exists() {
        let text = std::fs::read_to_string(path).map_err(|e| Error::unreadable(path, e))?;
        return parse(&text, name_or_file);
    }
    let mut bundled = ThemeSet::load_defaults().themes;
    bundled.remove(name_or_file).ok_or_else(|| {
        let mut names: Vec<String> = THEMES.iter().map(|(n, _)| n.to_string()).collect();
        names.extend(ThemeSet::load_defaults().themes.into_keys());
        Error::Usage(format!(
            "unknown theme {name_or_file:?}; choose one of {} or give a .tmTheme file",
            names.join(", ")
        ))
    })
}

/// True when the theme's background is dark (decides the diff background palette).
pub fn is_dark(theme: &Theme) -> bool {
    theme.settings.background.is_none_or(|c| {
        let luma = 0.2126 * f32::from(c.r) + 0.7152 * f32::from(c.g) + 0.0722 * f32::from(c.b);
        luma < 128.0
    })
}

fn syntaxes() -> &'static (SyntaxSet, SyntaxSet) {
    static SETS: OnceLock<(SyntaxSet, SyntaxSet)> = OnceLock::new();
    SETS.get_or_init(|| {
        let mut own = SyntaxSetBuilder::new();
        own.add(
            SyntaxDefinition::load_from_str(TERRAFORM_SYNTAX, false, None)
                .expect("the bundled Terraform syntax is valid"),
        );
        (own.build(), SyntaxSet::load_defaults_nonewlines())
    })
}

/// Highlights the lines of one file, in order, with a theme.
pub struct Highlighter<'t> {
    theme: &'t Theme,
}

impl<'t> Highlighter<'t> {
    /// A highlighter drawing with `theme`.
    pub fn new(theme: &'t Theme) -> Self {
        Highlighter { theme }
    }

    /// The syntax for a path (by extension, then by whole file name), and the set it is in.
    pub(crate) fn syntax_for(path: &str) -> Option<(&'static SyntaxSet, &'static SyntaxReference)> {
        let (own, bundled) = syntaxes();
        let name = path.rsplit('/').next().unwrap_or(path);
        let ext = name.rsplit_once('.').map_or(name, |(_, e)| e);
        for set in [own, bundled] {
            if let Some(s) = set
                .find_syntax_by_extension(ext)
                .or_else(|| set.find_syntax_by_extension(name))
            {
                return Some((set, s));
            }
        }
        None
    }

    /// Highlights consecutive lines of one side of a hunk as one piece of text; `path` picks
    /// the syntax (`.tf` for plan hunks). Unknown file types get no spans.
    pub fn highlight(&self, path: &str, lines: &[&str]) -> Vec<Spans> {
        let Some((set, syntax)) = Self::syntax_for(path) else {
            return vec![Vec::new(); lines.len()];
        };
        let highlighter = ThemeHighlighter::new(self.theme);
        let mut parse = ParseState::new(syntax);
        let mut state = HighlightState::new(&highlighter, ScopeStack::new());
        lines
            .iter()
            .map(|line| {
                let Ok(ops) = parse.parse_line(line, set) else {
                    // A regex failure on hostile input: show the rest of the hunk unhighlighted.
                    parse = ParseState::new(syntax);
                    return Vec::new();
                };
                RangedHighlightIterator::new(&mut state, &ops, line, &highlighter)
                    .map(|(style, _, range)| (style.foreground, range))
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_theme_loads_and_terraform_is_highlighted() {
        for (name, _) in THEMES {
            let theme = load_theme(name).unwrap();
            let spans = Highlighter::new(&theme).highlight(
                "main.tf",
                &[
                    "resource \"aws_s3_bucket\" \"b\" {",
                    "  acl = \"public-read\"",
                ],
            );
            assert!(spans[0].len() > 1, "{name}: {:?}", spans[0]);
        }
        assert!(is_dark(&load_theme("countersign-dark").unwrap()));
        assert!(!is_dark(&load_theme("countersign-light").unwrap()));
    }

    #[test]
    fn an_unknown_theme_is_a_usage_error() {
        assert!(
            load_theme("no-such-theme")
                .unwrap_err()
                .to_string()
                .contains("countersign-light")
        );
    }
}
