//! The review screen's colours: the diff palette of `show` (for dark or light terminals, by
//! the syntax theme's background) turned into ratatui styles.

use ratatui::style::{Color, Modifier, Style};
use syntect::highlighting::Theme;

use crate::policy::finding::Severity;
use crate::render::findings::severity_color;
use crate::render::highlight::is_dark;
use crate::render::paint::{Palette, Rgb};

/// A ratatui colour from an RGB triple.
pub fn rgb((r, g, b): Rgb) -> Color {
    Color::Rgb(r, g, b)
}

/// Styles of the review screen.
pub struct UiTheme {
    /// The diff palette.
    pub palette: Palette,
}

impl UiTheme {
    /// Styles that go with the syntax theme `syntax` (dark or light).
    pub fn new(syntax: &Theme) -> UiTheme {
        UiTheme {
            palette: Palette::for_background(is_dark(syntax)),
        }
    }

    /// Line numbers, separators, dimmed text.
    pub fn dim(&self) -> Style {
        Style::new().fg(rgb(self.palette.gutter))
    }

    /// The header and file paths.
    pub fn heading(&self) -> Style {
        Style::new()
            .fg(rgb(self.palette.file))
            .add_modifier(Modifier::BOLD)
    }

    /// Hunk titles.
    pub fn title(&self) -> Style {
        Style::new().fg(rgb(self.palette.hunk))
    }

    /// A finding of this severity (bold from medium up).
    pub fn severity(&self, s: Severity) -> Style {
        let style = Style::new().fg(rgb(severity_color(s, &self.palette)));
        if s >= Severity::Medium {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    /// Hidden-character markers: impossible to miss.
    pub fn warn(&self) -> Style {
        let (fg, bg) = self.palette.warn;
        Style::new().fg(rgb(fg)).bg(rgb(bg))
    }

    /// Approved marks.
    pub fn approved(&self) -> Style {
        Style::new().fg(rgb(self.palette.plus_marker))
    }

    /// Rejected marks.
    pub fn rejected(&self) -> Style {
        Style::new().fg(rgb(self.palette.minus_marker))
    }

    /// The selected row of a list.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}
