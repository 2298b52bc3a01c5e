//! `countersign policy test`: run policy unit tests and report each, like `opa test`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::cli::{ListFormat, PolicyTestArgs};
use crate::error::{Error, Result};
use crate::policy::bundle::Bundle;
use crate::policy::engine::DEFAULT_TIME_LIMIT;
use crate::policy::unit_tests::{self, FileCoverage, TestResult};
use crate::render::json::write_ascii;

/// Runs `policy test`; returns whether every test passed.
pub fn run(args: &PolicyTestArgs) -> Result<bool> {
    let dirs = if args.dirs.is_empty() {
        default_policy_dirs(Path::new("."))
    } else {
        args.dirs.clone()
    };
    let with_builtin = !args.no_builtin && args.dirs.is_empty();
    let bundle = Bundle::load(&dirs, with_builtin)?.without_builtin_copies();
    let (results, coverage) = unit_tests::run(&bundle, args.coverage, DEFAULT_TIME_LIMIT)?;
    let mut out = std::io::stdout().lock();
    if args.format == ListFormat::Json {
        write_ascii(&json(&results, &coverage), &mut out)
            .map_err(|e| Error::Internal(format!("writing output: {e}")))?;
        return Ok(results.iter().all(|r| r.passed));
    }
    let mut write = || -> std::io::Result<()> {
        for r in &results {
            let verdict = if r.passed { "PASS" } else { "FAIL" };
            write!(
                out,
                "{verdict}  {}  ({}, {:.1} ms)",
                r.name,
                r.location,
                r.duration.as_secs_f64() * 1000.0
            )?;
            if let Some(e) = &r.error {
                write!(out, ": {e}")?;
            }
            writeln!(out)?;
        }
        for f in &coverage {
            let total = f.covered + f.not_covered.len();
            let percent = if total == 0 {
                100.0
            } else {
                100.0 * f.covered as f64 / total as f64
            };
            write!(out, "coverage {percent:5.1}%  {}", f.path)?;
            if !f.not_covered.is_empty() {
                let lines: Vec<String> = f.not_covered.iter().map(u32::to_string).collect();
                write!(out, "  (not covered: lines {})", lines.join(", "))?;
            }
            writeln!(out)?;
        }
        let passed = results.iter().filter(|r| r.passed).count();
        writeln!(out, "{passed} passed, {} failed", results.len() - passed)
    };
    write().map_err(|e| Error::Internal(format!("writing output: {e}")))?;
    Ok(results.iter().all(|r| r.passed))
}

/// The results as JSON: every test, the coverage when asked, and the counts.
fn json(results: &[TestResult], coverage: &[FileCoverage]) -> Value {
    let passed = results.iter().filter(|r| r.passed).count();
    json!({
        "tests": results.iter().map(|r| json!({
            "name": r.name,
            "location": r.location,
            "passed": r.passed,
            "error": r.error,
            "duration_ms": r.duration.as_secs_f64() * 1000.0,
        })).collect::<Vec<_>>(),
        "coverage": coverage.iter().map(|f| json!({
            "path": f.path,
            "covered": f.covered,
            "not_covered": f.not_covered,
        })).collect::<Vec<_>>(),
        "passed": passed,
        "failed": results.len() - passed,
    })
}

/// The policy directories a repository declares: `policies/` or `.countersign/policies/` at
/// its root (the work tree's top, or `start` outside a repository).
pub fn default_policy_dirs(start: &Path) -> Vec<PathBuf> {
    let root = git2::Repository::discover(start)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf))
        .unwrap_or_else(|| start.to_path_buf());
    ["policies", ".countersign/policies"]
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .collect()
}
