//! Test support: real git repositories in temp dirs (built with git2, so plain `cargo test`
//! needs no git binary), running the real `countersign` binary, and the git CLI for
//! cross-checks where it is installed.

#![allow(dead_code)] // each test binary uses a different part of this module

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use git2::{IndexAddOption, Oid, Repository, Signature};
use serde_json::Value;

/// A git repository in a temporary directory.
pub struct Repo {
    pub dir: tempfile::TempDir,
    pub repo: Repository,
}

impl Repo {
    /// An empty repository whose first branch is `main`.
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let repo = Repository::init_opts(dir.path(), &opts).unwrap();
        let mut config = repo.config().unwrap();
        config.set_str("user.name", "Test").unwrap();
        config.set_str("user.email", "test@example.com").unwrap();
        Repo { dir, repo }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating directories).
    pub fn write(&self, path: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, bytes).unwrap();
        self
    }

    pub fn remove(&self, path: &str) -> &Self {
        std::fs::remove_file(self.path().join(path)).unwrap();
        self
    }

    pub fn rename(&self, from: &str, to: &str) -> &Self {
        let to_full = self.path().join(to);
        std::fs::create_dir_all(to_full.parent().unwrap()).unwrap();
        std::fs::rename(self.path().join(from), to_full).unwrap();
        self
    }

    pub fn make_executable(&self, path: &str) -> &Self {
        use std::os::unix::fs::PermissionsExt;
        let full = self.path().join(path);
        std::fs::set_permissions(full, std::fs::Permissions::from_mode(0o755)).unwrap();
        self
    }

    /// Stages everything (additions, edits, deletions) and commits on the current branch.
    pub fn commit(&self, message: &str) -> Oid {
        let mut index = self.repo.index().unwrap();
        index.add_all(["*"], IndexAddOption::DEFAULT, None).unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = Signature::now("Test", "test@example.com").unwrap();
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
    }

    /// Stages everything and commits as `name <email>` (author and committer) at `when`
    /// (seconds since the epoch, UTC).
    pub fn commit_as(&self, message: &str, name: &str, email: &str, when: i64) -> Oid {
        let mut index = self.repo.index().unwrap();
        index.add_all(["*"], IndexAddOption::DEFAULT, None).unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = Signature::new(name, email, &git2::Time::new(when, 0)).unwrap();
        let parent = self.repo.head().ok().and_then(|h| h.peel_to_commit().ok());
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        self.repo
            .commit(Some("HEAD"), &sig, &sig, message, &tree, &parents)
            .unwrap()
    }

    /// Creates `name` at HEAD and switches to it (the work tree stays as it is).
    pub fn branch(&self, name: &str) -> &Self {
        let head = self.repo.head().unwrap().peel_to_commit().unwrap();
        self.repo.branch(name, &head, true).unwrap();
        self.repo.set_head(&format!("refs/heads/{name}")).unwrap();
        self
    }

    /// Switches to an existing branch and checks its tree out.
    pub fn checkout(&self, name: &str) -> &Self {
        self.repo.set_head(&format!("refs/heads/{name}")).unwrap();
        self.repo
            .checkout_head(Some(git2::build::CheckoutBuilder::new().force()))
            .unwrap();
        self
    }

    /// Runs countersign in this repository.
    pub fn countersign(&self, args: &[&str]) -> Output {
        countersign_in(self.path(), args)
    }

    /// `countersign show ARGS --format json`, which must succeed, parsed.
    pub fn show_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["show", "--format", "json"];
        all.extend_from_slice(args);
        json_of(&self.countersign(&all))
    }
}

/// 20 distinct lines, so a one-line edit keeps a rename above git's 50% similarity.
pub fn long_file(tag: &str) -> String {
    (1..=20).map(|i| format!("{tag} line {i}\n")).collect()
}

/// A branch that edits, adds, deletes, renames (with and without edits), changes a mode, adds
/// a binary file and a file with invalid UTF-8.
pub fn every_kind_of_change() -> Repo {
    let r = Repo::new();
    r.write(
        "edit.tf",
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"logs\"\n  acl    = \"private\"\n}\n",
    )
    .write("delete.tf", "variable \"gone\" {}\n")
    .write("same.tf", long_file("same"))
    .write("edited.tf", long_file("edited"))
    .write("run.sh", "#!/bin/sh\necho hi\n");
    r.commit("base");
    r.branch("feature")
        .write("edit.tf", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"logs\"\n  acl    = \"public-read\"\n}\n")
        .write("new.tf", "output \"x\" {\n  value = 1\n}\n")
        .remove("delete.tf")
        .rename("same.tf", "moved/same.tf")
        .rename("edited.tf", "moved/edited.tf")
        .write("moved/edited.tf", long_file("edited").replace("edited line 7\n", "edited line seven\n"))
        .make_executable("run.sh")
        .write("image.bin", b"\x89PNG\r\n\x1a\n\x00\x00binary")
        .write("latin1.tf", b"# caf\xe9 = \"\xff\"\nname = \"x\"\n");
    r.commit("feature work");
    r
}

/// Runs the real binary in `dir`.
pub fn countersign_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_countersign"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

/// Parses the stdout of a successful run as JSON.
pub fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "countersign failed ({:?}): {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The git CLI, for cross-checks. Under CI it must exist; elsewhere the check is skipped
/// with a message.
pub fn git_cli() -> Option<PathBuf> {
    let found = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(PathBuf::from("git"));
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but the git CLI is missing: .ci/run must install it"
    );
    eprintln!("skipping git CLI cross-check: git is not installed");
    None
}

/// Whether an outside program a cross-check needs is there: `probe` must run and succeed.
/// Under CI it must be (`.ci/run` installs it); elsewhere the check is skipped with a message.
pub fn outside_program(what: &str, probe: &mut Command) -> bool {
    if probe.output().is_ok_and(|o| o.status.success()) {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {what} is missing: .ci/run must install it"
    );
    eprintln!("skipping a cross-check: {what} is not installed");
    false
}

/// Runs `git ARGS` in `dir` and returns stdout.
pub fn git(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The hunks of the file at `path` in a `show --format json` document.
pub fn hunks_of<'a>(doc: &'a Value, path: &str) -> &'a Vec<Value> {
    doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("no file {path} in {doc:#}"))["hunks"]
        .as_array()
        .unwrap()
}
