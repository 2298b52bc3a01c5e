//! The git range source: the diff a pull request would show, read with git2.

use std::path::Path;

use git2::{Delta, DiffFindOptions, DiffLineType, DiffOptions, Oid, Patch, Repository};

use crate::error::{Error, Result};
use crate::model::{
    ChangeSet, FileChange, FileContent, FileStatus, Hunk, HunkId, HunkKind, Line, LineKind,
    SourceInfo,
};

use super::MAX_FILE_BYTES;
use super::oversized::{SideDigest, summary_hunk};
use super::patch::binary_hunk_lines;

/// Opens the repository containing `dir` (searching parents, like git).
///
/// Objects are read as the git command reads them, without hashing each one again to check
/// its id (libgit2's strict hash verification, on by default, took a twentieth of a 200-file
/// `check`). A damaged object store is `git fsck`'s to find; a blob that reads differently
/// changes the hunks and their ids, which attestations are bound to.
pub fn open(dir: &Path) -> Result<Repository> {
    static READ_LIKE_GIT: std::sync::Once = std::sync::Once::new();
    READ_LIKE_GIT.call_once(|| git2::opts::strict_hash_verification(false));
    Repository::discover(dir).map_err(|_| {
        Error::input(
            dir.display().to_string(),
            "not a git repository (or any of its parents)",
        )
    })
}

/// Loads the change a range describes, like a pull request:
///
/// * `A...B` and `A..B`: from the merge-base of A and B to B (what B adds on top of A);
/// * `A`: the same as `A...HEAD`;
/// * none: from the merge-base of HEAD with the default branch (`origin/HEAD`, else `main`,
///   else `master`) to HEAD.
///
/// `context` is the number of context lines around each change (git's `-U`).
pub fn load(repo: &Repository, range: Option<&str>, context: u32) -> Result<ChangeSet> {
    let (base_rev, head_rev) = match range {
        None => (default_branch(repo)?, "HEAD".to_string()),
        Some(r) => split_range(r),
    };
    let head = commit_of(repo, &head_rev)?;
    let other = commit_of(repo, &base_rev)?;
    let base = repo.merge_base(other, head).map_err(|_| {
        Error::input(
            range.unwrap_or(&base_rev).to_string(),
            format!("{base_rev} and {head_rev} have no common ancestor"),
        )
    })?;
    let files = diff_commits(repo, base, head, context)?;
    Ok(ChangeSet {
        source: SourceInfo::GitRange {
            spec: range.map_or_else(|| format!("{base_rev}...HEAD"), str::to_string),
            base: base.to_string(),
            head: head.to_string(),
        },
        files,
        plan: None,
        notes: Vec::new(),
        value_lines: Default::default(),
    })
}

fn split_range(range: &str) -> (String, String) {
    let (a, b) = if let Some((a, b)) = range.split_once("...") {
        (a, b)
    } else if let Some((a, b)) = range.split_once("..") {
        (a, b)
    } else {
        (range, "HEAD")
    };
    let or_head = |s: &str| if s.is_empty() { "HEAD" } else { s }.to_string();
    (or_head(a), or_head(b))
}

fn default_branch(repo: &Repository) -> Result<String> {
    if let Ok(r) = repo.find_reference("refs/remotes/origin/HEAD")
        && let Ok(Some(target)) = r.symbolic_target()
    {
        return Ok(target
            .strip_prefix("refs/remotes/")
            .unwrap_or(target)
            .to_string());
    }
    for name in ["main", "master"] {
        if repo.find_branch(name, git2::BranchType::Local).is_ok() {
            return Ok(name.to_string());
        }
    }
    Err(Error::input(
        repo.workdir().unwrap_or(repo.path()).display().to_string(),
        "no default branch (origin/HEAD, main or master) to compare with; give a range such as main..feature",
    ))
}

fn commit_of(repo: &Repository, rev: &str) -> Result<Oid> {
    repo.revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map(|c| c.id())
        .map_err(|_| {
            Error::input(
                format!("revision {rev}"),
                "unknown revision or not a commit",
            )
        })
}

/// Diffs two commits' trees into the review model, with rename and copy detection.
pub fn diff_commits(
    repo: &Repository,
    base: Oid,
    head: Oid,
    context: u32,
) -> Result<Vec<FileChange>> {
    let tree = |oid: Oid| {
        repo.find_commit(oid)
            .and_then(|c| c.tree())
            .map_err(|e| Error::Internal(format!("reading commit {oid}: {e}")))
    };
    let (old_tree, new_tree) = (tree(base)?, tree(head)?);
    let mut opts = DiffOptions::new();
    opts.context_lines(context)
        .id_abbrev(40)
        .include_typechange(true);
    let mut diff = repo
        .diff_tree_to_tree(Some(&old_tree), Some(&new_tree), Some(&mut opts))
        .map_err(git_err)?;
    diff.find_similar(Some(DiffFindOptions::new().renames(true).copies(true)))
        .map_err(git_err)?;
    let mut files = Vec::with_capacity(diff.deltas().len());
    for idx in 0..diff.deltas().len() {
        let delta = diff.get_delta(idx).expect("index within deltas");
        if let Some(change) = oversized_file(repo, &delta)? {
            files.push(change);
            continue;
        }
        let patch = Patch::from_diff(&diff, idx).map_err(git_err)?;
        files.push(file_change(repo, &delta, patch.as_ref())?);
    }
    Ok(files)
}

/// The base and head text (lossily decoded) of each of `files`, changed between the commits
/// `base` and `head` (hex ids) of the repository at `repo`, in order. Blobs are read and
/// inflated in parallel, each thread with its own handle on the repository.
pub fn file_versions(
    repo: &Path,
    base: &str,
    head: &str,
    files: &[&FileChange],
) -> Result<Vec<super::FileVersions>> {
    use rayon::prelude::*;
    let trees = |repository: &Repository| -> Result<(Oid, Oid)> {
        let tree = |commit: &str| -> Result<Oid> {
            let oid = Oid::from_str(commit).map_err(git_err)?;
            repository
                .find_commit(oid)
                .map(|c| c.tree_id())
                .map_err(git_err)
        };
        Ok((tree(base)?, tree(head)?))
    };
    let read =
        |repository: &Repository, tree: Oid, path: Option<&[u8]>| -> Result<Option<String>> {
            let Some(path) = path else { return Ok(None) };
            let tree = repository.find_tree(tree).map_err(git_err)?;
            let Ok(entry) = tree.get_path(std::path::Path::new(&*String::from_utf8_lossy(path)))
            else {
                return Ok(None);
            };
            let blob = repository.find_blob(entry.id()).map_err(git_err)?;
            Ok(Some(String::from_utf8_lossy(blob.content()).into_owned()))
        };
    files
        .par_iter()
        .map_init(
            || open(repo).and_then(|r| trees(&r).map(|t| (r, t))),
            |opened, file| {
                let (repository, (base_tree, head_tree)) = match opened {
                    Ok(opened) => opened,
                    Err(e) => return Err(Error::Internal(e.to_string())),
                };
                Ok(super::FileVersions {
                    path: String::from_utf8_lossy(file.path()).into_owned(),
                    base: read(repository, *base_tree, file.old_path.as_deref())?,
                    head: read(repository, *head_tree, file.new_path.as_deref())?,
                })
            },
        )
        .collect()
}

/// A libgit2 failure on a repository already opened: an internal error.
/// The git configuration in effect in `dir`: the repository's around it (which includes the
/// user's and the system's), else the user's own.
pub fn config_at(dir: &Path) -> Option<git2::Config> {
    Repository::discover(dir)
        .and_then(|r| r.config())
        .or_else(|_| git2::Config::open_default())
        .ok()
}

pub(crate) fn git_err(e: git2::Error) -> Error {
    Error::Internal(format!("git: {}", e.message()))
}

fn status_of(delta: &git2::DiffDelta<'_>) -> FileStatus {
    match delta.status() {
        Delta::Added => FileStatus::Added,
        Delta::Deleted => FileStatus::Deleted,
        Delta::Renamed => FileStatus::Renamed,
        Delta::Copied => FileStatus::Copied,
        _ => FileStatus::Modified,
    }
}

fn mode_of(file: &git2::DiffFile<'_>) -> Option<u32> {
    Some(u32::from(file.mode())).filter(|m| *m != 0)
}

/// A file over [`MAX_FILE_BYTES`] on either side (sizes read from the object headers, so
/// nothing is diffed), summarised as one hunk with each side's size and sha256.
fn oversized_file(repo: &Repository, delta: &git2::DiffDelta<'_>) -> Result<Option<FileChange>> {
    let odb = repo.odb().map_err(git_err)?;
    let is_blob = |f: &git2::DiffFile<'_>| !f.id().is_zero() && mode_of(f) != Some(0o160000);
    let size = |f: &git2::DiffFile<'_>| {
        if !is_blob(f) {
            return 0;
        }
        odb.read_header(f.id()).map_or(0, |(size, _)| size as u64)
    };
    let (old, new) = (delta.old_file(), delta.new_file());
    if size(&old).max(size(&new)) <= MAX_FILE_BYTES {
        return Ok(None);
    }
    let digest = |f: &git2::DiffFile<'_>| -> Result<Option<SideDigest>> {
        if !is_blob(f) {
            return Ok(None);
        }
        let blob = repo.find_blob(f.id()).map_err(git_err)?;
        Ok(Some(SideDigest::of(blob.content())))
    };
    let status = status_of(delta);
    let hunk = summary_hunk(
        status,
        "file",
        digest(&old)?.as_ref(),
        digest(&new)?.as_ref(),
    );
    let mut change = delta_change(delta, FileContent::TooLarge, vec![hunk]);
    change.finish();
    Ok(Some(change))
}

/// The file `delta` changes, with `content` and `hunks` (not yet finished).
fn delta_change(delta: &git2::DiffDelta<'_>, content: FileContent, hunks: Vec<Hunk>) -> FileChange {
    let status = status_of(delta);
    let (old, new) = (delta.old_file(), delta.new_file());
    FileChange {
        old_path: (status != FileStatus::Added)
            .then(|| old.path_bytes().unwrap_or_default().to_vec()),
        new_path: (status != FileStatus::Deleted)
            .then(|| new.path_bytes().unwrap_or_default().to_vec()),
        status,
        content,
        old_mode: mode_of(&old),
        new_mode: mode_of(&new),
        similarity: None,
        hunks,
    }
}

fn file_change(
    repo: &Repository,
    delta: &git2::DiffDelta<'_>,
    patch: Option<&Patch<'_>>,
) -> Result<FileChange> {
    let status = status_of(delta);
    let (old, new) = (delta.old_file(), delta.new_file());
    let (old_mode, new_mode) = (mode_of(&old), mode_of(&new));
    let content = if old_mode == Some(0o160000) || new_mode == Some(0o160000) {
        FileContent::Submodule
    } else if delta.flags().is_binary() {
        FileContent::Binary
    } else {
        FileContent::Text
    };
    let mut hunks = Vec::new();
    if content == FileContent::Binary {
        let blob = |f: &git2::DiffFile<'_>| {
            let size = repo.find_blob(f.id()).map(|b| b.size()).unwrap_or(0);
            (f.id().to_string(), size)
        };
        let ((old_id, old_size), (new_id, new_size)) = (blob(&old), blob(&new));
        hunks.push(Hunk {
            id: HunkId::for_lines(b"", &[]),
            kind: HunkKind::Binary,
            old_start: 0,
            old_lines: 0,
            new_start: 0,
            new_lines: 0,
            title: match status {
                FileStatus::Added => format!("new binary file, {new_size} bytes"),
                FileStatus::Deleted => format!("deleted binary file, {old_size} bytes"),
                _ => format!("binary file, {old_size} → {new_size} bytes"),
            },
            lines: binary_hunk_lines(status, &old_id, &new_id),
        });
    } else if let Some(patch) = patch {
        for h in 0..patch.num_hunks() {
            hunks.push(text_hunk(patch, h)?);
        }
    }
    let mut change = delta_change(delta, content, hunks);
    if matches!(status, FileStatus::Renamed | FileStatus::Copied) {
        change.similarity = similarity(patch);
    }
    if status == FileStatus::Modified
        && change.hunks.is_empty()
        && old_mode.is_some()
        && old_mode != new_mode
    {
        change.status = FileStatus::ModeChanged;
    }
    change.finish();
    Ok(change)
}

/// git2 does not expose the similarity score; derive it the way git reports 100% for a
/// rename without edits and leave edited renames unscored.
fn similarity(patch: Option<&Patch<'_>>) -> Option<u8> {
    match patch {
        None => Some(100),
        Some(p) if p.num_hunks() == 0 => Some(100),
        Some(_) => None,
    }
}

fn text_hunk(patch: &Patch<'_>, index: usize) -> Result<Hunk> {
    let (header, count) = patch.hunk(index).map_err(git_err)?;
    let title = hunk_title(header.header());
    let mut lines: Vec<Line> = Vec::with_capacity(count);
    for l in 0..count {
        let dl = patch.line_in_hunk(index, l).map_err(git_err)?;
        let kind = match dl.origin_value() {
            DiffLineType::Context => LineKind::Context,
            DiffLineType::Addition => LineKind::Added,
            DiffLineType::Deletion => LineKind::Removed,
            // The EOF markers only say the previous line had no newline; the content tells us.
            _ => continue,
        };
        let content = dl.content();
        let (bytes, no_newline) = match content.strip_suffix(b"\n") {
            Some(b) => (b, false),
            None => (content, true),
        };
        let mut line = Line::new(kind, bytes);
        line.old_lineno = dl.old_lineno();
        line.new_lineno = dl.new_lineno();
        line.no_newline_at_eof = no_newline;
        lines.push(line);
    }
    Ok(Hunk {
        id: HunkId::for_lines(b"", &[]),
        kind: HunkKind::Text,
        old_start: header.old_start(),
        old_lines: header.old_lines(),
        new_start: header.new_start(),
        new_lines: header.new_lines(),
        title,
        lines,
    })
}

fn hunk_title(header: &[u8]) -> String {
    let header = header.strip_suffix(b"\n").unwrap_or(header);
    let after = header
        .strip_prefix(b"@@")
        .and_then(|r| r.windows(2).position(|w| w == b"@@").map(|i| &r[i + 2..]))
        .unwrap_or_default();
    String::from_utf8_lossy(after.strip_prefix(b" ").unwrap_or(after)).into_owned()
}
