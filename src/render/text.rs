//! The pager-style text rendering of a whole change: file headers, hunk headers with ids,
//! old/new line numbers, and — with colour — syntax highlighting, +/- backgrounds and
//! word-level emphasis. Every piece of input text passes through [`sanitize`] first.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::findings::severity_color;
use super::highlight::{Highlighter, Spans};
use super::inline::{emphasis, partners};
use super::long_line::shown_line;
use super::paint::{self, LineLayers, Palette};
use super::sanitize::{Sanitized, sanitize, sanitize_str};
use crate::model::{
    ChangeSet, FileChange, FileContent, FileStatus, Hunk, HunkKind, LineKind, SourceInfo,
};
use crate::policy::blast::BlastRadius;
use crate::policy::finding::{Anchor, Finding, Origin, Severity};

/// Colours for the text rendering; `None` renders plain text.
pub struct Colors<'t> {
    /// Diff colours.
    pub palette: Palette,
    /// Syntax highlighting.
    pub highlighter: Highlighter<'t>,
}

impl<'t> Colors<'t> {
    /// Colours for `theme`, with the diff palette that suits its background.
    pub fn for_theme(theme: &'t syntect::highlighting::Theme) -> Self {
        Colors {
            palette: Palette::for_background(super::highlight::is_dark(theme)),
            highlighter: Highlighter::new(theme),
        }
    }
}

/// How many hunks are rendered in parallel before they are written, in order: large enough to
/// keep every core busy, small enough that output starts at once and memory stays flat.
const BATCH: usize = 256;

/// Writes the whole change, with each finding annotated under the lines it is about (pass
/// `&[]` for none). Hunks are rendered in parallel batches (syntax highlighting is the
/// expensive part) and written in their order.
pub fn write_change(
    cs: &ChangeSet,
    findings: &[Finding],
    colors: Option<&Colors<'_>>,
    out: &mut dyn Write,
) -> io::Result<()> {
    use rayon::prelude::*;
    let mut buf = String::new();
    header(cs, findings, colors, &mut buf);
    out.write_all(buf.as_bytes())?;
    // A file's header is rendered with its first hunk (or alone when it has none).
    let units: Vec<(&FileChange, Option<&Hunk>, bool)> = cs
        .files
        .iter()
        .flat_map(|f| {
            let hunks: Vec<Option<&Hunk>> = if f.hunks.is_empty() {
                vec![None]
            } else {
                f.hunks.iter().map(Some).collect()
            };
            hunks
                .into_iter()
                .enumerate()
                .map(move |(i, h)| (f, h, i == 0))
        })
        .collect();
    for batch in units.chunks(BATCH) {
        let rendered: Vec<String> = batch
            .par_iter()
            .map(|&(file, hunk, first)| {
                let mut buf = String::new();
                if first {
                    file_header(file, colors, &mut buf);
                    let path = String::from_utf8_lossy(file.path());
                    for f in findings
                        .iter()
                        .filter(|f| f.file == path && !matches!(f.anchor, Anchor::Hunks(_)))
                    {
                        annotate(&mut buf, colors, "", f);
                    }
                }
                if let Some(hunk) = hunk {
                    write_hunk(file, hunk, findings, colors, &mut buf);
                }
                buf
            })
            .collect();
        for piece in rendered {
            out.write_all(piece.as_bytes())?;
        }
    }
    Ok(())
}

/// What a change is, in one line: `git main..feature (1a2b3c4d5e..6f7a8b9c0d)`, `patch x.diff`,
/// `plan plan.json (terraform 1.9.0)`.
pub fn source_label(source: &SourceInfo) -> String {
    match source {
        SourceInfo::GitRange { spec, base, head } => format!(
            "git {spec} ({}..{})",
            &base[..base.len().min(10)],
            &head[..head.len().min(10)]
        ),
        SourceInfo::Patch { name, .. } => format!("patch {name}"),
        SourceInfo::Plan {
            name,
            terraform_version,
            ..
        } => match terraform_version {
            Some(v) => format!("plan {name} (terraform {v})"),
            None => format!("plan {name}"),
        },
    }
}

fn header(cs: &ChangeSet, findings: &[Finding], colors: Option<&Colors<'_>>, buf: &mut String) {
    let source = source_label(&cs.source);
    let (added, removed) = cs.line_stats();
    let line = format!(
        "countersign · {} · {} files, {} hunks, +{added} −{removed}",
        sanitize_str(&source),
        cs.files.len(),
        cs.hunk_count()
    );
    emit(buf, colors, &line, |p| (p.file, true));
    if let Some(blast) = BlastRadius::of(cs, findings) {
        emit(buf, colors, &sanitize_str(&blast.line()), |p| {
            (p.hunk, true)
        });
    }
    for note in &cs.notes {
        emit(buf, colors, &format!("note: {}", sanitize_str(note)), |p| {
            (p.gutter, false)
        });
    }
    if cs.files.is_empty() {
        emit(buf, colors, "no changes", |p| (p.gutter, false));
    }
}

fn emit(
    buf: &mut String,
    colors: Option<&Colors<'_>>,
    text: &str,
    pick: impl Fn(&Palette) -> (paint::Rgb, bool),
) {
    match colors {
        Some(c) => {
            let (fg, bold) = pick(&c.palette);
            paint::solid(buf, text, fg, bold);
        }
        None => buf.push_str(text),
    }
    buf.push('\n');
}

fn file_header(file: &FileChange, colors: Option<&Colors<'_>>, buf: &mut String) {
    let path = sanitize(file.path()).text;
    let mut line = match file.status {
        FileStatus::Renamed | FileStatus::Copied => format!(
            "{}: {} → {path}",
            file.status.word(),
            sanitize(file.old_path.as_deref().unwrap_or_default()).text
        ),
        _ if file.content == FileContent::Plan => format!("module: {path}"),
        status => format!("{}: {path}", status.word()),
    };
    if let Some(s) = file.similarity {
        let _ = write!(line, " ({s}% similar)");
    }
    match file.content {
        FileContent::Binary => line.push_str(" (binary)"),
        FileContent::Submodule => line.push_str(" (submodule)"),
        FileContent::TooLarge => line.push_str(" (too large to show)"),
        _ => {}
    }
    buf.push('\n');
    emit(buf, colors, &format!("── {line} ──"), |p| {
        (p.file, true)
    });
}

pub(crate) fn hunk_header(hunk: &Hunk) -> String {
    let head = match &hunk.kind {
        HunkKind::Text | HunkKind::Submodule => format!(
            "@@ -{},{} +{},{} @@",
            hunk.old_start, hunk.old_lines, hunk.new_start, hunk.new_lines
        ),
        HunkKind::Meta => "@@ file metadata @@".to_string(),
        HunkKind::Binary => "@@ binary @@".to_string(),
        HunkKind::TooLarge => "@@ too large to show @@".to_string(),
        HunkKind::Resource { .. } => String::from("#"),
    };
    let title = sanitize_str(&hunk.title);
    let mut s = head;
    if !title.is_empty() {
        s.push(' ');
        s.push_str(&title);
    }
    let _ = write!(s, " · {}", hunk.id.short());
    s
}

/// The path whose extension picks the syntax: plan hunks are rendered in HCL form.
pub(crate) fn syntax_path(file: &FileChange) -> String {
    match file.content {
        FileContent::Plan => "plan.tf".to_string(),
        FileContent::Text => String::from_utf8_lossy(file.path()).into_owned(),
        _ => String::new(),
    }
}

/// Digits of the widest line number of a hunk (at least 3), for aligned gutters.
pub(crate) fn number_width(hunk: &Hunk) -> usize {
    hunk.lines
        .iter()
        .flat_map(|l| [l.old_lineno, l.new_lineno])
        .flatten()
        .max()
        .map_or(1, |n| n.to_string().len())
        .max(3)
}

/// The line of `hunk` under which a finding on it is annotated: the last line of the hunk
/// inside the finding's lines, else the hunk's last line.
pub(crate) fn annotation_line(hunk: &Hunk, f: &Finding) -> usize {
    let last = hunk.lines.len().saturating_sub(1);
    let Some(span) = f.lines else { return last };
    hunk.lines
        .iter()
        .rposition(|l| {
            l.new_lineno
                .is_some_and(|n| (span.start..=span.end).contains(&n))
        })
        .unwrap_or(last)
}

/// Writes `└─ severity rule: message` under a line, like a compiler diagnostic, in the
/// severity's colour (pre-existing and unchanged-code findings say so).
fn annotate(buf: &mut String, colors: Option<&Colors<'_>>, indent: &str, f: &Finding) {
    let place = match (f.origin, &f.anchor) {
        (Origin::PreExisting, _) => " (pre-existing)",
        (Origin::Introduced, Anchor::Context) => " (on unchanged code)",
        (Origin::Introduced, Anchor::File) => " (whole file)",
        _ => "",
    };
    let text = format!(
        "{indent}└─ {}{place} {}: {}",
        f.severity.word(),
        sanitize_str(&f.rule),
        sanitize_str(&f.message)
    );
    emit(buf, colors, &text, |p| match f.origin {
        Origin::PreExisting => (p.gutter, false),
        Origin::Introduced => (
            severity_color(f.severity, p),
            f.severity >= Severity::Medium,
        ),
    });
}

fn write_hunk(
    file: &FileChange,
    hunk: &Hunk,
    findings: &[Finding],
    colors: Option<&Colors<'_>>,
    buf: &mut String,
) {
    emit(buf, colors, &hunk_header(hunk), |p| (p.hunk, false));
    let on_hunk: Vec<(usize, &Finding)> = findings
        .iter()
        .filter(|f| matches!(&f.anchor, Anchor::Hunks(ids) if ids.contains(&hunk.id)))
        .map(|f| (annotation_line(hunk, f), f))
        .collect();
    let width = number_width(hunk);
    let texts: Vec<Sanitized> = hunk.lines.iter().map(|l| shown_line(&l.bytes)).collect();
    let spans = colors.map(|c| side_spans(&c.highlighter, &syntax_path(file), hunk, &texts));
    let pairs = colors.map(|_| partners(&hunk.lines));
    for (i, line) in hunk.lines.iter().enumerate() {
        let num = |n: Option<u32>| n.map_or_else(|| " ".repeat(width), |n| format!("{n:>width$}"));
        let gutter = format!("{} {} │ ", num(line.old_lineno), num(line.new_lineno));
        let marker = line.kind.marker() as char;
        match colors {
            None => {
                buf.push_str(&gutter);
                buf.push(marker);
                buf.push_str(&texts[i].text);
            }
            Some(c) => {
                let p = &c.palette;
                paint::solid(buf, &gutter, p.gutter, false);
                let (bg, emph_bg, marker_fg) = match line.kind {
                    LineKind::Removed => (Some(p.minus), p.minus_emph, p.minus_marker),
                    LineKind::Added => (Some(p.plus), p.plus_emph, p.plus_marker),
                    LineKind::Context => (None, p.plus_emph, p.gutter),
                };
                paint::solid(buf, &marker.to_string(), marker_fg, true);
                let emph = match pairs.as_ref().and_then(|p| p[i]) {
                    Some(j) => {
                        let (old, new) = if line.kind == LineKind::Removed {
                            (i, j)
                        } else {
                            (j, i)
                        };
                        let (o, n) = emphasis(&texts[old].text, &texts[new].text);
                        if line.kind == LineKind::Removed { o } else { n }
                    }
                    None => Vec::new(),
                };
                let no_spans = Vec::new();
                let line_spans = spans.as_ref().map_or(&no_spans, |s| &s[i]);
                paint::layered(
                    buf,
                    &LineLayers {
                        text: &texts[i].text,
                        spans: line_spans,
                        background: bg,
                        emphasis: (&emph, emph_bg),
                        markers: &texts[i].markers,
                        warn: p.warn,
                    },
                );
            }
        }
        buf.push('\n');
        if line.no_newline_at_eof {
            emit(
                buf,
                colors,
                &format!(
                    "{} {} │ \\ No newline at end of file",
                    " ".repeat(width),
                    " ".repeat(width)
                ),
                |p| (p.gutter, false),
            );
        }
        let indent = format!("{} {} │ ", " ".repeat(width), " ".repeat(width));
        for (_, f) in on_hunk.iter().filter(|(at, _)| *at == i) {
            annotate(buf, colors, &indent, f);
        }
    }
}

/// Highlights the old side (context + removed) and the new side (context + added) of a hunk
/// separately, so each is parsed as the code it is; context takes the new side's colours.
fn side_spans(h: &Highlighter<'_>, path: &str, hunk: &Hunk, texts: &[Sanitized]) -> Vec<Spans> {
    let mut out = vec![Vec::new(); hunk.lines.len()];
    if path.is_empty() {
        return out;
    }
    for side in [LineKind::Removed, LineKind::Added] {
        let idx: Vec<usize> = (0..hunk.lines.len())
            .filter(|&i| hunk.lines[i].kind == side || hunk.lines[i].kind == LineKind::Context)
            .collect();
        let lines: Vec<&str> = idx.iter().map(|&i| texts[i].text.as_str()).collect();
        for (i, spans) in idx.into_iter().zip(h.highlight(path, &lines)) {
            out[i] = spans;
        }
    }
    out
}
