//! The git side of authorship: classify the commits of a range, and find, with `git blame`
//! limited to the range, which commit last touched each hunk's added lines.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use git2::{BlameOptions, Oid, Repository, Sort};

use super::classify::Classifier;
use crate::config::AuthorshipConfig;
use crate::error::{Error, Result};
use crate::model::{ChangeSet, FileChange, Hunk, HunkId, LineKind, SourceInfo};
use crate::source::Source;
use crate::source::git::{self, git_err};

/// The hunks of `change` (loaded from `source`) that a coding agent wrote. A patch or a plan
/// carries no authorship: for them the set is empty.
pub fn ai_hunks_of(
    source: &Source,
    change: &ChangeSet,
    config: &AuthorshipConfig,
) -> Result<HashSet<HunkId>> {
    match (source, &change.source) {
        (Source::GitRange { repo, .. }, SourceInfo::GitRange { base, head, .. }) => {
            ai_hunks(&git::open(repo)?, base, head, change, config)
        }
        _ => Ok(HashSet::new()),
    }
}

/// The hunks of `change` (the diff from commit `base` to commit `head`, hex ids) that a coding
/// agent wrote: a hunk is AI-authored when the newest commit of `base..head` that last touched
/// one of its added lines is (git blame of the head file, limited to the range). A hunk
/// without added lines (a deletion, a mode change, a binary file) takes the newest commit of
/// the range that changed its file.
pub fn ai_hunks(
    repo: &Repository,
    base: &str,
    head: &str,
    change: &ChangeSet,
    config: &AuthorshipConfig,
) -> Result<HashSet<HunkId>> {
    let (base, head) = (oid(base)?, oid(head)?);
    let commits = range_commits(repo, base, head, &Classifier::new(config))?;
    let all = || change.hunks().map(|(_, h)| h.id.clone()).collect();
    // A range written by one kind of author needs no blame.
    if commits.iter().all(|c| c.ai) {
        return Ok(if commits.is_empty() {
            HashSet::new()
        } else {
            all()
        });
    }
    if commits.iter().all(|c| !c.ai) {
        return Ok(HashSet::new());
    }
    let rank: HashMap<Oid, usize> = commits.iter().enumerate().map(|(i, c)| (c.id, i)).collect();
    let mut touched: Option<Vec<HashSet<Vec<u8>>>> = None;
    let mut out = HashSet::new();
    for file in &change.files {
        let blamed = blame_added(repo, base, head, file, &rank);
        for (hunk, newest) in file.hunks.iter().zip(blamed) {
            let newest = match newest {
                Some(i) => Some(i),
                None => {
                    let paths = match &mut touched {
                        Some(t) => t,
                        None => touched.insert(paths_touched(repo, &commits)?),
                    };
                    paths.iter().position(|p| {
                        [&file.new_path, &file.old_path]
                            .into_iter()
                            .flatten()
                            .any(|path| p.contains(path))
                    })
                }
            };
            if newest.is_some_and(|i| commits[i].ai) {
                out.insert(hunk.id.clone());
            }
        }
    }
    Ok(out)
}

/// A commit of a range and whether an agent wrote it.
struct RangeCommit {
    id: Oid,
    ai: bool,
}

/// The commits of `base..head`, newest first (topological order).
fn range_commits(
    repo: &Repository,
    base: Oid,
    head: Oid,
    classifier: &Classifier,
) -> Result<Vec<RangeCommit>> {
    let mut walk = repo.revwalk().map_err(git_err)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
        .map_err(git_err)?;
    walk.push(head).map_err(git_err)?;
    walk.hide(base).map_err(git_err)?;
    walk.map(|id| {
        let id = id.map_err(git_err)?;
        let commit = repo.find_commit(id).map_err(git_err)?;
        let author = commit.author();
        let ai = classifier.is_ai(
            &String::from_utf8_lossy(author.name_bytes()),
            &String::from_utf8_lossy(author.email_bytes()),
            &String::from_utf8_lossy(commit.message_bytes()),
        );
        Ok(RangeCommit { id, ai })
    })
    .collect()
}

/// For each hunk of `file`: the newest commit of the range (its index in `rank`) that last
/// touched one of its added lines; `None` when it has none, or the file cannot be blamed.
fn blame_added(
    repo: &Repository,
    base: Oid,
    head: Oid,
    file: &FileChange,
    rank: &HashMap<Oid, usize>,
) -> Vec<Option<usize>> {
    let added = |h: &Hunk| -> Vec<u32> {
        h.lines
            .iter()
            .filter(|l| l.kind == LineKind::Added)
            .filter_map(|l| l.new_lineno)
            .collect()
    };
    let lines: Vec<Vec<u32>> = file.hunks.iter().map(added).collect();
    let blame = file
        .new_path
        .as_ref()
        .filter(|_| lines.iter().any(|l| !l.is_empty()))
        .and_then(|path| {
            let mut opts = BlameOptions::new();
            opts.newest_commit(head).oldest_commit(base);
            let path = String::from_utf8_lossy(path);
            repo.blame_file(Path::new(&*path), Some(&mut opts)).ok()
        });
    lines
        .iter()
        .map(|numbers| {
            let blame = blame.as_ref()?;
            numbers
                .iter()
                .filter_map(|&n| blame.get_line(n as usize))
                .filter_map(|h| rank.get(&h.final_commit_id()).copied())
                .min()
        })
        .collect()
}

/// The paths (old and new) each commit changed against its first parent, in `commits` order.
fn paths_touched(repo: &Repository, commits: &[RangeCommit]) -> Result<Vec<HashSet<Vec<u8>>>> {
    commits
        .iter()
        .map(|c| {
            let commit = repo.find_commit(c.id).map_err(git_err)?;
            let tree = commit.tree().map_err(git_err)?;
            let parent = commit
                .parent(0)
                .ok()
                .map(|p| p.tree())
                .transpose()
                .map_err(git_err)?;
            let diff = repo
                .diff_tree_to_tree(parent.as_ref(), Some(&tree), None)
                .map_err(git_err)?;
            Ok(diff
                .deltas()
                .flat_map(|d| [d.old_file().path_bytes(), d.new_file().path_bytes()])
                .flatten()
                .map(<[u8]>::to_vec)
                .collect())
        })
        .collect()
}

fn oid(hex: &str) -> Result<Oid> {
    Oid::from_str(hex).map_err(|_| Error::input(format!("revision {hex}"), "not a commit id"))
}
