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
    load_with_texts(repo, range, context, false).map(|(change, _)| change)
}

/// [`load`], and when `keep_texts` is set the base and head text of every changed text file,
/// in order (read once, with the diff).
pub fn load_with_texts(
    repo: &Repository,
    range: Option<&str>,
    context: u32,
    keep_texts: bool,
) -> Result<(ChangeSet, Vec<super::FileVersions>)> {
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
    let (files, versions) = diff_commits_with_texts(repo, base, head, context, keep_texts)?
        .into_iter()
        .unzip::<_, _, Vec<_>, Vec<_>>();
    let change = ChangeSet {
        source: SourceInfo::GitRange {
            spec: range.map_or_else(|| format!("{base_rev}...HEAD"), str::to_string),
            base: base.to_string(),
            head: head.to_string(),
        },
        files,
        plan: None,
        notes: Vec::new(),
        value_lines: Default::default(),
    };
    Ok((change, versions.into_iter().flatten().collect()))
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
    Ok(diff_commits_with_texts(repo, base, head, context, false)?
        .into_iter()
        .map(|(file, _)| file)
        .collect())
}

/// [`diff_commits`], and when `keep_texts` is set the base and head text of each text file
/// (what the policies read), taken from the blobs the diff read.
///
/// The trees are compared (and renames found) here; each changed file's blobs are then read
/// and diffed in parallel, each thread with its own handle on the repository. Submodules and
/// type changes, which have no two blobs to diff, are diffed here from the tree diff.
fn diff_commits_with_texts(
    repo: &Repository,
    base: Oid,
    head: Oid,
    context: u32,
    keep_texts: bool,
) -> Result<Vec<(FileChange, Option<super::FileVersions>)>> {
    use rayon::prelude::*;
    let tree = |oid: Oid| {
        repo.find_commit(oid)
            .and_then(|c| c.tree())
            .map_err(|e| Error::Internal(format!("reading commit {oid}: {e}")))
    };
    let (old_tree, new_tree) = (tree(base)?, tree(head)?);
    let mut opts = diff_options(context);
    let mut diff = repo
        .diff_tree_to_tree(Some(&old_tree), Some(&new_tree), Some(&mut opts))
        .map_err(git_err)?;
    diff.find_similar(Some(DiffFindOptions::new().renames(true).copies(true)))
        .map_err(git_err)?;
    // Files diffed here, by index; the others' facts, diffed in parallel below.
    let mut here = Vec::new();
    let mut facts = Vec::with_capacity(diff.deltas().len());
    for (idx, delta) in diff.deltas().enumerate() {
        let fact = DeltaFacts::of(&delta);
        if fact.has_two_blobs() && delta.status() != Delta::Typechange {
            facts.push((idx, fact));
        } else if let Some(change) = oversized_file(repo, &fact)? {
            here.push((idx, (change, None)));
        } else {
            let patch = Patch::from_diff(&diff, idx).map_err(git_err)?;
            let binary = delta.flags().is_binary();
            let hunks = match &patch {
                Some(patch) => (0..patch.num_hunks())
                    .map(|h| text_hunk(patch, h))
                    .collect::<Result<_>>()?,
                None => Vec::new(),
            };
            here.push((idx, (file_change(repo, &fact, binary, hunks)?, None)));
        }
    }
    let git_dir = repo.path().to_path_buf();
    let mut files: Vec<(usize, (FileChange, Option<super::FileVersions>))> = facts
        .par_iter()
        .map_init(
            || Repository::open(&git_dir).map_err(git_err),
            |opened, (idx, fact)| {
                let repository = opened
                    .as_ref()
                    .map_err(|e| Error::Internal(e.to_string()))?;
                Ok((*idx, blob_file(repository, fact, context, keep_texts)?))
            },
        )
        .collect::<Result<_>>()?;
    files.extend(here);
    files.sort_by_key(|(idx, _)| *idx);
    Ok(files.into_iter().map(|(_, file)| file).collect())
}

/// How every diff of this source is made: `context` lines around each change, full ids.
fn diff_options(context: u32) -> DiffOptions {
    let mut opts = DiffOptions::new();
    opts.context_lines(context)
        .id_abbrev(40)
        .include_typechange(true);
    opts
}

/// What the tree diff says of one changed file, owned, so its blobs can be diffed on any
/// thread.
struct DeltaFacts {
    status: FileStatus,
    old_path: Option<Vec<u8>>,
    new_path: Option<Vec<u8>>,
    old_mode: Option<u32>,
    new_mode: Option<u32>,
    old_id: Oid,
    new_id: Oid,
}

impl DeltaFacts {
    fn of(delta: &git2::DiffDelta<'_>) -> DeltaFacts {
        let status = status_of(delta);
        let (old, new) = (delta.old_file(), delta.new_file());
        DeltaFacts {
            old_path: (status != FileStatus::Added)
                .then(|| old.path_bytes().unwrap_or_default().to_vec()),
            new_path: (status != FileStatus::Deleted)
                .then(|| new.path_bytes().unwrap_or_default().to_vec()),
            status,
            old_mode: mode_of(&old),
            new_mode: mode_of(&new),
            old_id: old.id(),
            new_id: new.id(),
        }
    }

    /// Whether each side is a blob (a file or a symlink) or absent, so that the two can be
    /// diffed as blobs.
    fn has_two_blobs(&self) -> bool {
        let blob_or_none =
            |mode: Option<u32>| mode.is_none_or(|m| matches!(m, 0o100644 | 0o100755 | 0o120000));
        blob_or_none(self.old_mode) && blob_or_none(self.new_mode)
    }

    /// The id of the blob on each side that has one (not a submodule's commit).
    fn blob_ids(&self) -> [Option<Oid>; 2] {
        let blob =
            |id: Oid, mode: Option<u32>| (!id.is_zero() && mode != Some(0o160000)).then_some(id);
        [
            blob(self.old_id, self.old_mode),
            blob(self.new_id, self.new_mode),
        ]
    }

    /// The file, with `content` and `hunks` (not yet finished).
    fn change(&self, content: FileContent, hunks: Vec<Hunk>) -> FileChange {
        FileChange {
            old_path: self.old_path.clone(),
            new_path: self.new_path.clone(),
            status: self.status,
            content,
            old_mode: self.old_mode,
            new_mode: self.new_mode,
            similarity: None,
            hunks,
        }
    }
}

/// One changed file diffed from its two blobs (and, with `keep_texts`, its texts when it is a
/// text file).
fn blob_file(
    repo: &Repository,
    fact: &DeltaFacts,
    context: u32,
    keep_texts: bool,
) -> Result<(FileChange, Option<super::FileVersions>)> {
    if let Some(change) = oversized_file(repo, fact)? {
        return Ok((change, None));
    }
    let blob = |id: Option<Oid>| id.map(|id| repo.find_blob(id).map_err(git_err)).transpose();
    let [old_id, new_id] = fact.blob_ids();
    let (old, new) = (blob(old_id)?, blob(new_id)?);
    let path = |p: Option<&[u8]>| p.map(|p| String::from_utf8_lossy(p).into_owned());
    let (old_path, new_path) = (
        path(fact.old_path.as_deref()),
        path(fact.new_path.as_deref()),
    );
    let hunks: std::cell::RefCell<Vec<Hunk>> = Default::default();
    let mut binary = false;
    let mut failed = None;
    repo.diff_blobs(
        old.as_ref(),
        old_path.as_deref(),
        new.as_ref(),
        new_path.as_deref(),
        Some(&mut diff_options(context)),
        Some(&mut |delta, _| {
            binary = delta.flags().is_binary();
            true
        }),
        None,
        Some(&mut |_, header| {
            hunks.borrow_mut().push(hunk_of(&header, Vec::new()));
            true
        }),
        Some(&mut |_, _, line| {
            match hunks.borrow_mut().last_mut() {
                Some(hunk) => hunk.lines.extend(line_of(&line)),
                None => failed = Some("a diff line outside any hunk"),
            }
            failed.is_none()
        }),
    )
    .map_err(git_err)?;
    if let Some(message) = failed {
        return Err(Error::Internal(format!("git: {message}")));
    }
    let hunks = if binary {
        Vec::new()
    } else {
        hunks.into_inner()
    };
    let change = file_change(repo, fact, binary, hunks)?;
    // Checked as UTF-8 first (the fast, word-at-a-time check); only text that is not has its
    // bad bytes replaced (`from_utf8_lossy` checks byte by byte even when all is well).
    let text = |blob: Option<git2::Blob<'_>>| {
        blob.map(|b| match std::str::from_utf8(b.content()) {
            Ok(text) => text.to_owned(),
            Err(_) => String::from_utf8_lossy(b.content()).into_owned(),
        })
    };
    let versions =
        (keep_texts && change.content == FileContent::Text).then(|| super::FileVersions {
            path: String::from_utf8_lossy(change.path()).into_owned(),
            base: text(old),
            head: text(new),
        });
    Ok((change, versions))
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
fn oversized_file(repo: &Repository, fact: &DeltaFacts) -> Result<Option<FileChange>> {
    let odb = repo.odb().map_err(git_err)?;
    let [old, new] = fact.blob_ids();
    let size = |id: Option<Oid>| {
        id.map_or(0, |id| {
            odb.read_header(id).map_or(0, |(size, _)| size as u64)
        })
    };
    if size(old).max(size(new)) <= MAX_FILE_BYTES {
        return Ok(None);
    }
    let digest = |id: Option<Oid>| -> Result<Option<SideDigest>> {
        let Some(id) = id else { return Ok(None) };
        let blob = repo.find_blob(id).map_err(git_err)?;
        Ok(Some(SideDigest::of(blob.content())))
    };
    let hunk = summary_hunk(
        fact.status,
        "file",
        digest(old)?.as_ref(),
        digest(new)?.as_ref(),
    );
    let mut change = fact.change(FileContent::TooLarge, vec![hunk]);
    change.finish();
    Ok(Some(change))
}

/// The changed file `fact` describes, whose diff found it `binary` or gave `hunks`.
fn file_change(
    repo: &Repository,
    fact: &DeltaFacts,
    binary: bool,
    hunks: Vec<Hunk>,
) -> Result<FileChange> {
    let status = fact.status;
    let (old_mode, new_mode) = (fact.old_mode, fact.new_mode);
    let content = if old_mode == Some(0o160000) || new_mode == Some(0o160000) {
        FileContent::Submodule
    } else if binary {
        FileContent::Binary
    } else {
        FileContent::Text
    };
    let hunks = if content == FileContent::Binary {
        let blob = |id: Oid| {
            let size = repo.find_blob(id).map(|b| b.size()).unwrap_or(0);
            (id.to_string(), size)
        };
        let ((old_id, old_size), (new_id, new_size)) = (blob(fact.old_id), blob(fact.new_id));
        vec![Hunk {
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
        }]
    } else {
        hunks
    };
    // git2 does not expose the similarity score: git reports 100% for a rename without edits
    // (or of a binary file, whose edits are not diffed); edited renames are left unscored.
    let similarity = (binary || hunks.is_empty()).then_some(100);
    let mut change = fact.change(content, hunks);
    if matches!(status, FileStatus::Renamed | FileStatus::Copied) {
        change.similarity = similarity;
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

/// Hunk `index` of `patch`.
fn text_hunk(patch: &Patch<'_>, index: usize) -> Result<Hunk> {
    let (header, count) = patch.hunk(index).map_err(git_err)?;
    let mut lines: Vec<Line> = Vec::with_capacity(count);
    for l in 0..count {
        lines.extend(line_of(&patch.line_in_hunk(index, l).map_err(git_err)?));
    }
    Ok(hunk_of(&header, lines))
}

/// A text hunk with `header`'s position and title, and `lines`.
fn hunk_of(header: &git2::DiffHunk<'_>, lines: Vec<Line>) -> Hunk {
    Hunk {
        id: HunkId::for_lines(b"", &[]),
        kind: HunkKind::Text,
        old_start: header.old_start(),
        old_lines: header.old_lines(),
        new_start: header.new_start(),
        new_lines: header.new_lines(),
        title: hunk_title(header.header()),
        lines,
    }
}

/// A diff line in the model; `None` for the markers that only say the previous line had no
/// newline (the content says it).
fn line_of(dl: &git2::DiffLine<'_>) -> Option<Line> {
    let kind = match dl.origin_value() {
        DiffLineType::Context => LineKind::Context,
        DiffLineType::Addition => LineKind::Added,
        DiffLineType::Deletion => LineKind::Removed,
        _ => return None,
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
    Some(line)
}

fn hunk_title(header: &[u8]) -> String {
    let header = header.strip_suffix(b"\n").unwrap_or(header);
    let after = header
        .strip_prefix(b"@@")
        .and_then(|r| r.windows(2).position(|w| w == b"@@").map(|i| &r[i + 2..]))
        .unwrap_or_default();
    String::from_utf8_lossy(after.strip_prefix(b" ").unwrap_or(after)).into_owned()
}
