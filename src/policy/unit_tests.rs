//! `policy test`: runs the `test_*` rules of a bundle like `opa test`, with coverage from
//! regorus.

use std::time::{Duration, Instant};

use super::bundle::Bundle;
use super::engine::{one_line, package_of, parse_policies, rule_heads};
use crate::error::Result;

/// The outcome of one `test_*` rule.
#[derive(Debug, Clone, PartialEq)]
pub struct TestResult {
    /// The rule's full name, `data.<package>.<test_name>`.
    pub name: String,
    /// The file and line that define it.
    pub location: String,
    /// Passed when the rule is defined and true.
    pub passed: bool,
    /// Why it failed at run time, if it did (a false or undefined test has no error).
    pub error: Option<String>,
    /// How long it took.
    pub duration: Duration,
}

/// Per-file line coverage of the policies (not the tests).
#[derive(Debug, Clone, PartialEq)]
pub struct FileCoverage {
    /// The policy file.
    pub path: String,
    /// Lines evaluated.
    pub covered: usize,
    /// Lines that could have been evaluated but were not.
    pub not_covered: Vec<u32>,
}

/// Runs every test rule of `bundle` in file order; with `coverage`, also reports which policy
/// lines the tests exercised.
pub fn run(
    bundle: &Bundle,
    coverage: bool,
    limit: Duration,
) -> Result<(Vec<TestResult>, Vec<FileCoverage>)> {
    let files: Vec<_> = bundle.policies.iter().collect();
    let mut engine = parse_policies(&files, bundle, limit)?;
    engine.set_enable_coverage(coverage);
    let mut results = Vec::new();
    for file in &files {
        let Some(package) = package_of(&file.content) else {
            continue;
        };
        let mut seen: Vec<String> = Vec::new();
        for (line, name) in rule_heads(&file.content) {
            if !name.starts_with("test_") || seen.contains(&name) {
                continue;
            }
            seen.push(name.clone());
            let full = format!("data.{package}.{name}");
            let started = Instant::now();
            let outcome = engine.eval_rule(full.clone());
            let duration = started.elapsed();
            let (passed, error) = match outcome {
                Ok(v) => (v == regorus::Value::from(true), None),
                Err(e) => (false, Some(one_line(&e.to_string()))),
            };
            results.push(TestResult {
                name: full,
                location: format!("{}:{line}", file.path),
                passed,
                error,
                duration,
            });
        }
    }
    let report = if coverage {
        engine
            .get_coverage_report()
            .map(|r| {
                r.files
                    .into_iter()
                    .filter(|f| !f.path.ends_with("_test.rego"))
                    .map(|f| FileCoverage {
                        path: f.path,
                        covered: f.covered.len(),
                        not_covered: f.not_covered.into_iter().collect(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Ok((results, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::bundle::PolicyFile;

    #[test]
    fn passing_failing_and_erroring_tests() {
        let bundle = Bundle {
            policies: vec![
                PolicyFile { path: "p.rego".into(), content: "package p\n\ndeny contains \"x\" if input.x\n".into() },
                PolicyFile {
                    path: "p_test.rego".into(),
                    content: "package p_test\n\nimport data.p\n\ntest_denies if {\n  count(p.deny) == 1 with input as {\"x\": true}\n}\n\ntest_wrong if {\n  count(p.deny) == 2 with input as {\"x\": true}\n}\n\ntest_error if {\n  concat(\",\", 5)\n}\n".into(),
                },
            ],
            data: Vec::new(),
        };
        let (results, coverage) = run(&bundle, true, Duration::from_secs(5)).unwrap();
        let summary: Vec<(&str, bool)> = results
            .iter()
            .map(|r| (r.name.as_str(), r.passed))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("data.p_test.test_denies", true),
                ("data.p_test.test_wrong", false),
                ("data.p_test.test_error", false)
            ]
        );
        assert_eq!(results[0].location, "p_test.rego:5");
        assert_eq!(coverage.len(), 1);
        assert_eq!(coverage[0].path, "p.rego");
    }
}
