//! Reading git history for `stats --history`: every non-merge commit of a range, oldest first,
//! with its authorship and the files it changed (kinds, hunks, line counts, and the lines of
//! infrastructure files).

use git2::{DiffFindOptions, DiffOptions, Patch, Repository, Sort};

use super::file_kind::FileKind;
use super::history::{CommitFile, HistoryCommit, reverted_commit};
use crate::authorship::Classifier;
use crate::error::{Error, Result};
use crate::source::git::git_err;

/// The commits of `range` (`A..B`: reachable from B and not from A; `REV`: the whole history of
/// REV; `None`: of HEAD) committed at or after `since` (seconds since the epoch), oldest first,
/// merges left out.
pub fn read_history(
    repo: &Repository,
    range: Option<&str>,
    since: Option<i64>,
    classifier: &Classifier,
) -> Result<Vec<HistoryCommit>> {
    let mut walk = repo.revwalk().map_err(git_err)?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)
        .map_err(git_err)?;
    let spec = range.unwrap_or("HEAD");
    let (hide, show) = match spec.split_once("..") {
        Some((a, b)) => (Some(a), b.trim_start_matches('.')),
        None => (None, spec),
    };
    let or_head = |s: &str| if s.is_empty() { "HEAD" } else { s }.to_string();
    let rev = |r: &str| {
        repo.revparse_single(r)
            .and_then(|o| o.peel_to_commit())
            .map(|c| c.id())
            .map_err(|_| Error::input(format!("revision {r}"), "unknown revision or not a commit"))
    };
    walk.push(rev(&or_head(show))?).map_err(git_err)?;
    if let Some(a) = hide {
        walk.hide(rev(&or_head(a))?).map_err(git_err)?;
    }
    let mut out = Vec::new();
    for id in walk {
        let commit = repo.find_commit(id.map_err(git_err)?).map_err(git_err)?;
        let time = commit.committer().when().seconds();
        if commit.parent_count() > 1 || since.is_some_and(|s| time < s) {
            continue;
        }
        let author = commit.author();
        let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        out.push(HistoryCommit {
            id: commit.id().to_string(),
            time,
            ai: classifier.is_ai(
                &String::from_utf8_lossy(author.name_bytes()),
                &String::from_utf8_lossy(author.email_bytes()),
                &message,
            ),
            reverts: reverted_commit(&message),
            files: files_of(repo, &commit)?,
        });
    }
    Ok(out)
}

/// The files `commit` changed against its first parent (renames detected).
fn files_of(repo: &Repository, commit: &git2::Commit<'_>) -> Result<Vec<CommitFile>> {
    let tree = commit.tree().map_err(git_err)?;
    let parent = match commit.parent(0) {
        Ok(p) => Some(p.tree().map_err(git_err)?),
        Err(_) => None,
    };
    let mut opts = DiffOptions::new();
    opts.context_lines(0);
    let mut diff = repo
        .diff_tree_to_tree(parent.as_ref(), Some(&tree), Some(&mut opts))
        .map_err(git_err)?;
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))
        .map_err(git_err)?;
    let mut files = Vec::new();
    for idx in 0..diff.deltas().len() {
        let delta = diff.get_delta(idx).expect("index within deltas");
        let side = if delta.new_file().exists() {
            delta.new_file()
        } else {
            delta.old_file()
        };
        let path = String::from_utf8_lossy(side.path_bytes().unwrap_or_default()).into_owned();
        let content = FileKind::needs_content(&path)
            .then(|| repo.find_blob(side.id()).ok())
            .flatten()
            .map(|b| String::from_utf8_lossy(b.content()).into_owned());
        let kind = FileKind::of(&path, content.as_deref());
        let mut file = CommitFile {
            path,
            kind,
            hunks: 0,
            lines: 0,
            added: Vec::new(),
            removed: Vec::new(),
        };
        if let Some(patch) = Patch::from_diff(&diff, idx).map_err(git_err)? {
            file.hunks = patch.num_hunks();
            for h in 0..patch.num_hunks() {
                for l in 0..patch.num_lines_in_hunk(h).map_err(git_err)? {
                    let line = patch.line_in_hunk(h, l).map_err(git_err)?;
                    let text = || String::from_utf8_lossy(line.content()).trim().to_string();
                    let keep = kind.is_infrastructure();
                    match line.origin() {
                        '+' => {
                            file.lines += 1;
                            if keep {
                                file.added.push(text());
                            }
                        }
                        '-' => {
                            file.lines += 1;
                            if keep {
                                file.removed.push(text());
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        files.push(file);
    }
    Ok(files)
}
