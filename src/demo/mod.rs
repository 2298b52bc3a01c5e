//! `write_repo` builds a git repository (with git2 only, no git binary) whose `main` branch
//! holds the Terraform and Kubernetes files of a small orders platform
//! (`src/demo/files/base/`), and whose `feature` branch holds one commit written with an AI
//! agent, "Add reporting export pipeline" (`src/demo/files/feature/`: the whole new text of
//! every file the commit adds or changes). Most of its hunks are routine — a variable, an
//! output, a VPC endpoint, Kubernetes replicas and memory, a README section — and three are
//! what the built-in policy pack exists for: an IAM policy allowing `"*"` on `"*"`, the
//! database's security group opened to `0.0.0.0/0` on 5432, and an export bucket without
//! server-side encryption whose public access block is turned off.
//!
//! Signatures and dates are fixed, so the same files always give the same commit ids.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{Oid, Repository, RepositoryInitOptions, Signature, Time};
use include_dir::{Dir, include_dir};

use crate::error::{Error, Result};

/// The files of `main`.
static BASE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/demo/files/base");

/// The files the feature commit adds or changes, with their new content.
static FEATURE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/demo/files/feature");

/// The range to review: what `feature` adds to `main`.
pub const RANGE: &str = "main..feature";

/// The message of the base commit.
const BASE_MESSAGE: &str = "\
Orders platform: network, database, buckets, API role and manifests
";

/// The message of the agent's commit, with the trailer coding agents add.
const FEATURE_MESSAGE: &str = "\
Add reporting export pipeline

The orders API now writes a nightly export of the previous day's orders
and refunds (CSV and Parquet) to a dedicated S3 bucket, and Metabase
Cloud reads the orders database for the reporting dashboards.

- infra: reporting exports bucket with a 30-day lifecycle, S3 gateway
  endpoint, IAM policy for the export job, database access for Metabase,
  Performance Insights on the database
- k8s: export settings for the API, one more replica and more memory
  for the export window
- README: document the reporting exports

Co-authored-by: Claude <noreply@anthropic.com>
";

/// Creates the demo repository in `dir` (created when missing; it must not be a git
/// repository already) and returns the range to review, [`RANGE`].
///
/// `HEAD` is left on `feature` with a clean work tree holding its files, like the checkout of
/// a pull request.
pub fn write_repo(dir: &Path) -> Result<String> {
    let mut init = RepositoryInitOptions::new();
    init.initial_head("main")
        .no_reinit(true)
        .external_template(false);
    let repo = Repository::init_opts(dir, &init).map_err(|e| {
        Error::input(
            dir.display().to_string(),
            format!("cannot create the demo repository: {}", e.message()),
        )
    })?;
    commit_both(&repo).map_err(|e| Error::Internal(format!("git: {}", e.message())))?;
    Ok(RANGE.to_string())
}

/// Commits the base on `main` and the agent's change on `feature`, and checks `feature` out.
fn commit_both(repo: &Repository) -> Result<(), git2::Error> {
    let mut files = BTreeMap::new();
    collect(&BASE, &mut files);
    let maintainer = Signature::new(
        "Priya Raman",
        "priya.raman@northwind.example",
        // 2025-03-03 09:14 +01:00
        &Time::new(1_740_989_640, 60),
    )?;
    let base = commit(
        repo,
        "refs/heads/main",
        &maintainer,
        BASE_MESSAGE,
        &files,
        None,
    )?;

    collect(&FEATURE, &mut files);
    let developer = Signature::new(
        "Dana Whitfield",
        "dana.whitfield@northwind.example",
        // 2025-03-10 16:42 +01:00
        &Time::new(1_741_621_320, 60),
    )?;
    let parent = repo.find_commit(base)?;
    commit(
        repo,
        "refs/heads/feature",
        &developer,
        FEATURE_MESSAGE,
        &files,
        Some(&parent),
    )?;

    repo.set_head("refs/heads/feature")?;
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
}

/// Commits the tree of `files` on `reference`, authored and committed by `sig`.
fn commit(
    repo: &Repository,
    reference: &str,
    sig: &Signature<'_>,
    message: &str,
    files: &BTreeMap<String, &'static [u8]>,
    parent: Option<&git2::Commit<'_>>,
) -> Result<Oid, git2::Error> {
    let tree = repo.find_tree(write_tree(repo, files)?)?;
    let parents: Vec<&git2::Commit<'_>> = parent.into_iter().collect();
    repo.commit(Some(reference), sig, sig, message, &tree, &parents)
}

/// Adds every file under `dir` to `files` (path relative to the embedded root, `/`-separated),
/// replacing a file already there.
fn collect(dir: &'static Dir<'static>, files: &mut BTreeMap<String, &'static [u8]>) {
    for file in dir.files() {
        files.insert(file.path().to_string_lossy().into_owned(), file.contents());
    }
    for sub in dir.dirs() {
        collect(sub, files);
    }
}

/// Writes the tree of `files` (paths relative to it) and returns its id.
fn write_tree(
    repo: &Repository,
    files: &BTreeMap<String, &'static [u8]>,
) -> Result<Oid, git2::Error> {
    let mut tree = repo.treebuilder(None)?;
    let mut subdirs: BTreeMap<&str, BTreeMap<String, &'static [u8]>> = BTreeMap::new();
    for (path, contents) in files {
        match path.split_once('/') {
            Some((name, rest)) => {
                subdirs
                    .entry(name)
                    .or_default()
                    .insert(rest.to_string(), contents);
            }
            None => {
                tree.insert(path, repo.blob(contents)?, 0o100644)?;
            }
        }
    }
    for (name, sub) in &subdirs {
        tree.insert(name, write_tree(repo, sub)?, 0o040000)?;
    }
    tree.write()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head_of(dir: &Path) -> (Repository, Oid) {
        let repo = Repository::open(dir).unwrap();
        let head = repo.head().unwrap().peel_to_commit().unwrap().id();
        (repo, head)
    }

    /// The same files give the same commits, wherever the repository is written (missing
    /// directories are created).
    #[test]
    fn deterministic() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (a, b) = (a.path().join("demo"), b.path().join("nested/demo"));
        assert_eq!(write_repo(&a).unwrap(), "main..feature");
        assert_eq!(write_repo(&b).unwrap(), "main..feature");
        assert_eq!(head_of(&a).1, head_of(&b).1);
    }

    /// HEAD is `feature`, one agent commit on top of `main`, and the work tree is clean.
    #[test]
    fn pull_request_checkout() {
        let dir = tempfile::tempdir().unwrap();
        write_repo(dir.path()).unwrap();
        let (repo, head) = head_of(dir.path());
        assert_eq!(repo.head().unwrap().shorthand().unwrap(), "feature");
        let commit = repo.find_commit(head).unwrap();
        assert_eq!(
            commit.summary().unwrap(),
            Some("Add reporting export pipeline")
        );
        assert!(
            commit
                .message()
                .unwrap()
                .ends_with("\n\nCo-authored-by: Claude <noreply@anthropic.com>\n")
        );
        let main = repo.revparse_single("main").unwrap().id();
        assert_eq!(commit.parent_ids().collect::<Vec<_>>(), vec![main]);

        let statuses = repo.statuses(None).unwrap();
        assert!(statuses.is_empty(), "{} changed files", statuses.len());
        let text = std::fs::read_to_string(dir.path().join("infra/iam.tf")).unwrap();
        assert!(text.contains("aws_iam_policy\" \"reporting_export\""));
    }

    /// An existing repository is not overwritten.
    #[test]
    fn refuses_an_existing_repository() {
        let dir = tempfile::tempdir().unwrap();
        write_repo(dir.path()).unwrap();
        let err = write_repo(dir.path()).unwrap_err();
        assert_eq!(err.exit_code(), 2, "{err}");
    }
}
