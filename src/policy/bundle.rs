//! A policy bundle: the `.rego` files and `data/` documents of the active policy directories,
//! plus the built-in pack embedded in the binary (SPEC §4).

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::sha256_hex;

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/policies");

/// Prefix of the paths of built-in policy files, so messages say where a rule comes from.
pub const BUILTIN_PREFIX: &str = "builtin:";

/// One `.rego` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFile {
    /// Where it came from: a file path, or `builtin:<path>` for the embedded pack.
    pub path: String,
    /// Its text.
    pub content: String,
}

impl PolicyFile {
    /// True for unit-test files (`*_test.rego`), which `policy test` runs and `check` skips.
    pub fn is_test(&self) -> bool {
        self.path.ends_with("_test.rego")
    }

    /// True for files of the built-in pack.
    pub fn is_builtin(&self) -> bool {
        self.path.starts_with(BUILTIN_PREFIX)
    }
}

/// Everything the engine needs: policies and data, in a stable order.
#[derive(Debug, Clone, Default)]
pub struct Bundle {
    /// Policy files, sorted by path.
    pub policies: Vec<PolicyFile>,
    /// `data/` documents (JSON or YAML), with their paths, sorted by path.
    pub data: Vec<(String, Value)>,
}

impl Bundle {
    /// The built-in pack alone.
    pub fn builtin() -> Bundle {
        let mut bundle = Bundle::default();
        collect_builtin(&BUILTIN, &mut bundle);
        bundle.sort();
        bundle
    }

    /// The built-in pack (unless `with_builtin` is false) plus every directory in `dirs`.
    pub fn load(dirs: &[PathBuf], with_builtin: bool) -> Result<Bundle> {
        let mut bundle = if with_builtin {
            Bundle::builtin()
        } else {
            Bundle::default()
        };
        for dir in dirs {
            if !dir.is_dir() {
                return Err(Error::input(
                    dir.display().to_string(),
                    "not a policy directory",
                ));
            }
            walk(dir, dir, &mut bundle)?;
        }
        bundle.sort();
        Ok(bundle)
    }

    /// Drops user files identical to a built-in file (countersign's own `policies/`, or a copy
    /// of it), so the same rules are not loaded twice.
    pub fn without_builtin_copies(mut self) -> Bundle {
        let builtin: Vec<String> = self
            .policies
            .iter()
            .filter(|p| p.is_builtin())
            .map(|p| p.content.clone())
            .collect();
        self.policies
            .retain(|p| p.is_builtin() || !builtin.contains(&p.content));
        self
    }

    fn sort(&mut self) {
        self.policies.sort_by(|a, b| a.path.cmp(&b.path));
        self.data.sort_by(|a, b| a.0.cmp(&b.0));
    }

    /// sha256 over the sorted (path, content) pairs of every policy and data file: what a
    /// review or attestation records as "the policies that were in force".
    pub fn digest(&self) -> String {
        let mut text = Vec::new();
        for p in &self.policies {
            text.extend_from_slice(p.path.as_bytes());
            text.push(0);
            text.extend_from_slice(p.content.as_bytes());
            text.push(0);
        }
        for (path, value) in &self.data {
            text.extend_from_slice(path.as_bytes());
            text.push(0);
            text.extend_from_slice(value.to_string().as_bytes());
            text.push(0);
        }
        sha256_hex(&text)
    }
}

fn collect_builtin(dir: &Dir<'static>, bundle: &mut Bundle) {
    for file in dir.files() {
        let path = file.path().to_string_lossy();
        if path.ends_with(".rego") {
            bundle.policies.push(PolicyFile {
                path: format!("{BUILTIN_PREFIX}policies/{path}"),
                content: file
                    .contents_utf8()
                    .expect("built-in policies are UTF-8")
                    .to_string(),
            });
        }
    }
    for sub in dir.dirs() {
        collect_builtin(sub, bundle);
    }
}

fn walk(root: &Path, dir: &Path, bundle: &mut Bundle) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::unreadable(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| Error::unreadable(dir, e))?.path();
        if path.is_dir() {
            walk(root, &path, bundle)?;
            continue;
        }
        let name = path.display().to_string();
        let in_data = path.strip_prefix(root).is_ok_and(|p| p.starts_with("data"));
        match path.extension().and_then(|e| e.to_str()) {
            Some("rego") => {
                let content =
                    std::fs::read_to_string(&path).map_err(|e| Error::unreadable(&path, e))?;
                bundle.policies.push(PolicyFile {
                    path: name,
                    content,
                });
            }
            Some("json") if in_data => {
                let text =
                    std::fs::read_to_string(&path).map_err(|e| Error::unreadable(&path, e))?;
                let value = serde_json::from_str(&text).map_err(|e| {
                    Error::at_line(&name, e.line(), format!("invalid JSON data: {e}"))
                })?;
                bundle.data.push((name, value));
            }
            Some("yaml" | "yml") if in_data => {
                let text =
                    std::fs::read_to_string(&path).map_err(|e| Error::unreadable(&path, e))?;
                let value = regorus::Value::from_yaml_str(&text)
                    .map_err(|e| Error::input(&name, format!("invalid YAML data: {e}")))?;
                let json =
                    serde_json::to_value(&value).map_err(|e| Error::Internal(e.to_string()))?;
                bundle.data.push((name, json));
            }
            _ => {}
        }
    }
    Ok(())
}
