//! Plan and source together (SPEC §5): a finding about a plan's resource change lands on the
//! source hunk that defines the resource — in the root module or a local module — on the line
//! of the attribute it points at, so the reviewer sees the consequence next to its cause.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::finding::Finding;
use super::input::{self, Format};
use super::place::{anchor, anchor_old};
use super::source_map::{Document, Step};
use crate::model::ChangeSet;
use crate::source::FileVersions;

/// One side (head or base) of the change's Terraform files, loaded.
struct Sources {
    docs: Vec<(PathBuf, Document)>,
}

impl Sources {
    fn load(versions: &[FileVersions], side: fn(&FileVersions) -> Option<&str>) -> Sources {
        let docs = versions
            .iter()
            .filter(|v| matches!(input::format_for(&v.path), Some(Format::Hcl)))
            .filter_map(|v| {
                let text = side(v)?;
                let doc = input::load(Format::Hcl, text, &v.path)
                    .ok()?
                    .into_iter()
                    .next()?;
                Some((PathBuf::from(&v.path), doc))
            })
            .collect();
        Sources { docs }
    }

    /// The directory a chain of module calls leads to, following local `source`s.
    fn module_dir(&self, modules: &[&str]) -> Option<PathBuf> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for name in modules {
            let candidates: Vec<&(PathBuf, Document)> = self
                .docs
                .iter()
                .filter(|(p, _)| {
                    dirs.is_empty() || dirs.iter().any(|d| p.parent() == Some(d.as_path()))
                })
                .collect();
            let next: Vec<PathBuf> = candidates
                .iter()
                .filter_map(|(p, d)| {
                    let source = d
                        .value
                        .get("module")?
                        .get(*name)?
                        .get(0)?
                        .get("source")?
                        .as_str()?;
                    source
                        .starts_with('.')
                        .then(|| normalize(&p.parent().unwrap_or(Path::new("")).join(source)))
                })
                .collect();
            // The calling file may not be part of the change: fall back to the conventional
            // layout, a changed file in a directory named after the module.
            let next = if next.is_empty() {
                self.docs
                    .iter()
                    .filter_map(|(p, _)| p.parent())
                    .filter(|d| d.file_name().is_some_and(|n| n == *name))
                    .map(Path::to_path_buf)
                    .collect()
            } else {
                next
            };
            if next.is_empty() {
                return None;
            }
            dirs = next;
        }
        dirs.into_iter().next()
    }

    /// Where the resource at `address` is defined: its file and document, and the path of its
    /// block in conftest's HCL shape.
    fn resource(&self, address: &str) -> Option<(&Path, &Document, Vec<Step>)> {
        let parts = split_address(address);
        let module_count = parts.iter().take_while(|p| **p == "module").count();
        let modules: Vec<&str> = parts
            .chunks(2)
            .take(module_count)
            .filter_map(|c| c.get(1).copied())
            .collect();
        let rest = &parts[module_count * 2..];
        let steps: Vec<Step> = match rest {
            ["data", t, n] => vec!["data".into(), (*t).into(), (*n).into(), 0.into()],
            [t, n] => vec!["resource".into(), (*t).into(), (*n).into(), 0.into()],
            _ => return None,
        };
        let dir = if modules.is_empty() {
            None
        } else {
            Some(self.module_dir(&modules)?)
        };
        self.docs
            .iter()
            .filter(|(p, _)| dir.as_ref().is_none_or(|d| p.parent() == Some(d.as_path())))
            .find(|(_, d)| d.map.locate(&steps).is_some() && lookup(&d.value, &steps).is_some())
            .map(|(p, d)| (p.as_path(), d, steps))
    }
}

/// Moves each plan finding that names a resource defined in the change's Terraform files onto
/// that file: its lines are the attribute it points at (or the resource block), its hunks the
/// ones that overlap those lines. Findings whose resource is not in the change apply to the
/// plan (`plan_name`) as a whole. `addresses`: the address of each of the plan's resource
/// changes ([`crate::source::plan::PlanFacts::addresses`]).
pub fn relocate(
    findings: &mut [Finding],
    addresses: &[String],
    plan_name: &str,
    change: &ChangeSet,
    versions: &[FileVersions],
) {
    let head = Sources::load(versions, |v| v.head.as_deref());
    let base = Sources::load(versions, |v| v.base.as_deref());
    for f in findings.iter_mut() {
        let (index, attribute) = match f.path.as_deref() {
            Some(
                [
                    Step::Key(rc),
                    Step::Index(i),
                    Step::Key(c),
                    Step::Key(side),
                    rest @ ..,
                ],
            ) if rc == "resource_changes" && c == "change" && side == "after" => {
                (Some(*i), rest.to_vec())
            }
            Some([Step::Key(rc), Step::Index(i), ..]) if rc == "resource_changes" => {
                (Some(*i), Vec::new())
            }
            _ => (None, Vec::new()),
        };
        let address = index
            .and_then(|i| addresses.get(i).map(String::as_str))
            .or(f.resource.as_deref());
        let file_of = |path: &Path| {
            change
                .files
                .iter()
                .find(|c| Path::new(&*String::from_utf8_lossy(c.path())) == path)
        };
        // A resource still in the source is placed on its head lines; one the change deletes
        // (a destroy) on the hunk that removes its block.
        let in_head = address
            .and_then(|a| head.resource(a))
            .and_then(|(p, d, s)| Some((p, d, s, file_of(p)?)));
        let in_base = || {
            address
                .and_then(|a| base.resource(a))
                .and_then(|(p, d, s)| Some((p, d, s, file_of(p)?)))
        };
        match (in_head, in_base()) {
            (Some((path, doc, mut steps, file)), _) => {
                steps.extend(attribute);
                f.file = path.display().to_string();
                f.lines = doc.map.locate(&steps);
                f.anchor = anchor(f.lines, &file.hunks);
            }
            (None, Some((path, doc, steps, file))) => {
                f.file = path.display().to_string();
                f.lines = None;
                f.anchor = anchor_old(doc.map.locate(&steps), &file.hunks);
            }
            (None, None) => {
                f.file = plan_name.to_string();
                f.lines = None;
                f.anchor = super::finding::Anchor::File;
            }
        }
    }
}

/// `module.db.aws_db_instance.main["a"]` → `["module", "db", "aws_db_instance", "main"]`:
/// instance keys (`[0]`, `["a"]`) are dropped, since one block defines every instance.
fn split_address(address: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = address;
    while !rest.is_empty() {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        parts.push(&rest[..end]);
        rest = &rest[end..];
        if rest.starts_with('[') {
            let close = rest.find(']').map_or(rest.len(), |i| i + 1);
            rest = &rest[close..];
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
    }
    parts
}

fn lookup<'v>(value: &'v Value, steps: &[Step]) -> Option<&'v Value> {
    steps.iter().try_fold(value, |v, s| match s {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

/// `a/b/../c` → `a/c`, without touching the file system (the files are from git, not disk).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_without_instance_keys() {
        assert_eq!(split_address("aws_s3_bucket.b"), ["aws_s3_bucket", "b"]);
        assert_eq!(
            split_address("module.db[0].aws_db_instance.main[\"a.b\"]"),
            ["module", "db", "aws_db_instance", "main"]
        );
        assert_eq!(
            split_address("data.aws_iam_policy_document.p"),
            ["data", "aws_iam_policy_document", "p"]
        );
    }

    #[test]
    fn module_sources_resolve_relative_to_the_caller() {
        assert_eq!(
            normalize(Path::new("envs/prod/../../modules/db")),
            PathBuf::from("modules/db")
        );
        assert_eq!(
            normalize(Path::new("./modules/db")),
            PathBuf::from("modules/db")
        );
    }
}
