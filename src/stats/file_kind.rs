//! What kind of infrastructure a file holds, by its path and (for YAML and JSON) its content.

use serde::Serialize;

/// The kinds of file `stats --history` counts apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// `.tf`, `.tf.json`, `.tfvars`, `.hcl`.
    Terraform,
    /// Kubernetes YAML: `apiVersion` and `kind` at the top level, or a YAML file under a
    /// `k8s/`, `kubernetes/` or `manifests/` directory.
    Kubernetes,
    /// A CloudFormation template (YAML or JSON with `AWSTemplateFormatVersion`, or resources
    /// of `AWS::` types).
    #[serde(rename = "cloudformation")]
    CloudFormation,
    /// Any other file.
    Other,
}

impl FileKind {
    /// Every kind, in report order.
    pub const ALL: [FileKind; 4] = [
        FileKind::Terraform,
        FileKind::Kubernetes,
        FileKind::CloudFormation,
        FileKind::Other,
    ];

    /// True for the infrastructure kinds.
    pub fn is_infrastructure(self) -> bool {
        self != FileKind::Other
    }

    /// Its name in reports.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Terraform => "terraform",
            FileKind::Kubernetes => "kubernetes",
            FileKind::CloudFormation => "cloudformation",
            FileKind::Other => "other",
        }
    }

    /// True when telling the kind of `path` needs its content.
    pub fn needs_content(path: &str) -> bool {
        let lower = path.to_ascii_lowercase();
        [".yaml", ".yml", ".json", ".template"]
            .iter()
            .any(|e| lower.ends_with(e))
            && !lower.ends_with(".tf.json")
    }

    /// The kind of the file at `path` with `content` (needed only when
    /// [`FileKind::needs_content`] says so).
    pub fn of(path: &str, content: Option<&str>) -> FileKind {
        let lower = path.to_ascii_lowercase();
        if [".tf", ".tf.json", ".tfvars", ".hcl"]
            .iter()
            .any(|e| lower.ends_with(e))
        {
            return FileKind::Terraform;
        }
        if !FileKind::needs_content(path) {
            return FileKind::Other;
        }
        let text = content.unwrap_or("");
        if text.contains("AWSTemplateFormatVersion")
            || (text.contains("Resources") && text.contains("AWS::"))
        {
            return FileKind::CloudFormation;
        }
        let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
        let top_level = |key: &str| text.lines().any(|l| l.starts_with(key));
        let in_dir = lower
            .split('/')
            .rev()
            .skip(1)
            .any(|d| matches!(d, "k8s" | "kubernetes" | "manifests"));
        if yaml && ((top_level("apiVersion:") && top_level("kind:")) || in_dir) {
            return FileKind::Kubernetes;
        }
        FileKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_path_and_content() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n";
        let cfn = "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n";
        for (path, content, kind) in [
            ("infra/main.tf", None, FileKind::Terraform),
            ("prod.tfvars", None, FileKind::Terraform),
            ("terragrunt.hcl", None, FileKind::Terraform),
            ("main.tf.json", None, FileKind::Terraform),
            ("deploy/pod.yaml", Some(pod), FileKind::Kubernetes),
            (
                "k8s/values.yml",
                Some("replicas: 2\n"),
                FileKind::Kubernetes,
            ),
            (
                "apps/manifests/x.yaml",
                Some("a: 1\n"),
                FileKind::Kubernetes,
            ),
            ("stack.yaml", Some(cfn), FileKind::CloudFormation),
            (
                "stack.json",
                Some("{\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\"}}}"),
                FileKind::CloudFormation,
            ),
            (
                ".github/workflows/ci.yml",
                Some("on: push\n"),
                FileKind::Other,
            ),
            ("k8s.yaml", Some("a: 1\n"), FileKind::Other),
            ("README.md", None, FileKind::Other),
        ] {
            assert_eq!(FileKind::of(path, content), kind, "{path}");
        }
        assert!(!FileKind::needs_content("main.tf"));
        assert!(FileKind::needs_content("a/b.YAML"));
    }
}
