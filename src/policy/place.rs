//! Placing findings on the change (SPEC §4): a finding's lines come from its `path` (or its
//! `resource`) through the input's source map; it attaches to the hunks whose changed lines
//! overlap those lines, to the context when it lies on unchanged code, and to the file when it
//! names no location. A finding the base already had is pre-existing. Pure functions.

use super::finding::{Anchor, Finding, Origin};
use super::source_map::{SourceMap, Span, Step};
use crate::model::{Hunk, LineKind};

/// The new-side line numbers a hunk changes: each added line, and for removed lines the
/// new-side position where they stood.
pub fn changed_positions(hunk: &Hunk) -> Vec<u32> {
    let mut next_new = hunk.new_start.max(1);
    let mut out = Vec::new();
    for line in &hunk.lines {
        match line.kind {
            LineKind::Context => next_new = line.new_lineno.map_or(next_new + 1, |n| n + 1),
            LineKind::Added => {
                let n = line.new_lineno.unwrap_or(next_new);
                out.push(n);
                next_new = n + 1;
            }
            LineKind::Removed => out.push(next_new),
        }
    }
    out
}

/// Where a finding with these lines attaches among a file's hunks.
pub fn anchor(lines: Option<Span>, hunks: &[Hunk]) -> Anchor {
    anchor_where(lines, hunks, |h, span| {
        changed_positions(h).iter().any(|n| span.contains(n))
    })
}

/// Where a finding about lines of the *base* version attaches: the hunks whose removed lines
/// lie in `span` (old-side numbers) — for what the change deletes.
pub fn anchor_old(span: Option<Span>, hunks: &[Hunk]) -> Anchor {
    anchor_where(span, hunks, |h, span| {
        h.lines
            .iter()
            .any(|l| l.kind == LineKind::Removed && l.old_lineno.is_some_and(|n| span.contains(&n)))
    })
}

/// The hunks `touches` accepts for the span; the context when none does; the file without a span.
fn anchor_where(
    span: Option<Span>,
    hunks: &[Hunk],
    touches: impl Fn(&Hunk, std::ops::RangeInclusive<u32>) -> bool,
) -> Anchor {
    let Some(span) = span else {
        return Anchor::File;
    };
    let on: Vec<_> = hunks
        .iter()
        .filter(|h| touches(h, span.start..=span.end))
        .map(|h| h.id.clone())
        .collect();
    if on.is_empty() {
        Anchor::Context
    } else {
        Anchor::Hunks(on)
    }
}

/// The lines a finding is about in a document: its path's span, else the span of the
/// resource it names, else — when it names a resource the map cannot find, as for a whole
/// Kubernetes object — the whole document.
pub fn locate(finding: &Finding, map: &SourceMap) -> Option<Span> {
    if let Some(span) = finding.path.as_deref().and_then(|p| map.locate(p)) {
        return Some(span);
    }
    let resource = finding.resource.as_deref()?;
    resource_paths(resource)
        .iter()
        .find_map(|p| map.locate(p))
        .or_else(|| map.locate(&[]))
}

/// Where a resource named by its address lives in each input shape: Terraform HCL
/// (`type.name`, `data.type.name`, `module.name`) and CloudFormation (`LogicalId`).
fn resource_paths(address: &str) -> Vec<Vec<Step>> {
    let parts: Vec<&str> = address.split('.').collect();
    let steps = |p: &[&str]| p.iter().map(|s| Step::from(*s)).collect::<Vec<_>>();
    match parts.as_slice() {
        ["data", t, n] => vec![steps(&["data", t, n])],
        ["module", m] => vec![steps(&["module", m])],
        [t, n] => vec![steps(&["resource", t, n])],
        // CloudFormation logical ids are alphanumeric.
        [id] if id.chars().all(|c| c.is_ascii_alphanumeric()) => vec![steps(&["Resources", id])],
        _ => Vec::new(),
    }
}

/// Marks every head finding that the base also had as pre-existing.
pub fn mark_pre_existing(head: &mut [Finding], base: &[Finding]) {
    for f in head.iter_mut() {
        if base.iter().any(|b| b.key() == f.key()) {
            f.origin = Origin::PreExisting;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HunkId, HunkKind, Line};

    fn hunk(id: &str, new_start: u32, spec: &[(LineKind, Option<u32>)]) -> Hunk {
        Hunk {
            id: HunkId::for_lines(id.as_bytes(), &[]),
            kind: HunkKind::Text,
            old_start: new_start,
            old_lines: 0,
            new_start,
            new_lines: 0,
            title: String::new(),
            lines: spec
                .iter()
                .map(|(k, n)| {
                    let mut l = Line::new(*k, "x");
                    l.new_lineno = *n;
                    l
                })
                .collect(),
        }
    }

    #[test]
    fn positions_of_added_and_removed_lines() {
        let h = hunk(
            "a",
            10,
            &[
                (LineKind::Context, Some(10)),
                (LineKind::Removed, None),
                (LineKind::Added, Some(11)),
                (LineKind::Context, Some(12)),
                (LineKind::Removed, None),
            ],
        );
        assert_eq!(changed_positions(&h), vec![11, 11, 13]);
    }

    #[test]
    fn findings_land_on_overlapping_hunks_else_context_else_file() {
        let hunks = [
            hunk(
                "a",
                10,
                &[(LineKind::Context, Some(10)), (LineKind::Added, Some(11))],
            ),
            hunk("b", 40, &[(LineKind::Added, Some(40))]),
        ];
        assert_eq!(
            anchor(Some(Span::new(11, 11)), &hunks),
            Anchor::Hunks(vec![hunks[0].id.clone()])
        );
        assert_eq!(
            anchor(Some(Span::new(5, 45)), &hunks),
            Anchor::Hunks(vec![hunks[0].id.clone(), hunks[1].id.clone()])
        );
        assert_eq!(anchor(Some(Span::new(10, 10)), &hunks), Anchor::Context);
        assert_eq!(anchor(None, &hunks), Anchor::File);
    }

    #[test]
    fn resource_addresses_map_to_input_paths() {
        assert_eq!(
            resource_paths("aws_s3_bucket.b"),
            vec![vec![
                Step::from("resource"),
                Step::from("aws_s3_bucket"),
                Step::from("b")
            ]]
        );
        assert_eq!(
            resource_paths("MyBucket"),
            vec![vec![Step::from("Resources"), Step::from("MyBucket")]]
        );
        assert!(resource_paths("Deployment/default/web").is_empty());
    }
}
