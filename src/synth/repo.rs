//! Synthetic git repositories: a base commit of Terraform files and a feature commit that edits
//! some of their blocks.

use std::fmt::Write as _;
use std::path::Path;

use git2::{Oid, Repository, RepositoryInitOptions, Signature, Time};

use super::{DB_CLASSES, EC2_TYPES, ENVS, PORTS, Rng, TEAMS};

/// The shape of a synthetic Terraform change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerraformChange {
    /// Number of Terraform files, `modules/mNN/main.tf`.
    pub files: usize,
    /// Resource blocks in each file.
    pub blocks_per_file: usize,
    /// Blocks the feature commit edits in each file (capped at `blocks_per_file`).
    pub edited_per_file: usize,
    /// Seed of the generator: the same seed gives the same repository.
    pub seed: u64,
}

/// A spec whose `countersign show main..feature` output (default context of 3 lines) is
/// about 50 000 lines: 120 files × 60 blocks, 24 edited blocks per file (2 880 edited
/// blocks), seed 50 000.
///
/// Measured: 49 739 lines of output (`--color never`, 2.1 MB; 10.7 MB with
/// `--color always`), 2 841 hunks, +14 320 −5 137 changed lines; the base tree holds
/// 117 878 lines of Terraform, the feature tree 127 061.
pub fn lines_50k() -> TerraformChange {
    TerraformChange {
        files: 120,
        blocks_per_file: 60,
        edited_per_file: 24,
        seed: 50_000,
    }
}

/// Creates a git repository in `dir` with the change `spec` describes and returns the
/// `(base, head)` commit ids.
///
/// The base commit is on branch `main`; the feature commit, its child, is on branch
/// `feature`, which `HEAD` points at and the working tree holds.
pub fn write_repo(spec: &TerraformChange, dir: &Path) -> Result<(Oid, Oid), git2::Error> {
    let mut init = RepositoryInitOptions::new();
    init.initial_head("main");
    let repo = Repository::init_opts(dir, &init)?;
    let sig = Signature::new(
        "countersign synth",
        "synth@example.com",
        &Time::new(1_700_000_000, 0),
    )?;

    let mut base_files = Vec::with_capacity(spec.files);
    let mut head_files = Vec::with_capacity(spec.files);
    for f in 0..spec.files {
        let (base, head) = file_pair(spec, f);
        base_files.push((format!("m{f:02}"), base));
        head_files.push((format!("m{f:02}"), head));
    }

    let base_tree = repo.find_tree(write_tree(&repo, &base_files)?)?;
    let base = repo.commit(
        Some("refs/heads/main"),
        &sig,
        &sig,
        "Base infrastructure",
        &base_tree,
        &[],
    )?;
    let head_tree = repo.find_tree(write_tree(&repo, &head_files)?)?;
    let base_commit = repo.find_commit(base)?;
    let head = repo.commit(
        Some("refs/heads/feature"),
        &sig,
        &sig,
        "Tune resources across modules",
        &head_tree,
        &[&base_commit],
    )?;
    repo.set_head("refs/heads/feature")?;
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
    Ok((base, head))
}

/// Writes `modules/<name>/main.tf` for each file and returns the root tree id.
fn write_tree(repo: &Repository, files: &[(String, String)]) -> Result<Oid, git2::Error> {
    let mut modules = repo.treebuilder(None)?;
    for (name, text) in files {
        let blob = repo.blob(text.as_bytes())?;
        let mut module = repo.treebuilder(None)?;
        module.insert("main.tf", blob, 0o100644)?;
        modules.insert(name, module.write()?, 0o040000)?;
    }
    let mut root = repo.treebuilder(None)?;
    root.insert("modules", modules.write()?, 0o040000)?;
    root.write()
}

/// The base and feature text of file `f`.
pub(crate) fn file_pair(spec: &TerraformChange, f: usize) -> (String, String) {
    let mut rng = Rng(spec.seed ^ (f as u64).wrapping_mul(0xD1B5_4A32_D192_ED03));
    let blocks: Vec<Block> = (0..spec.blocks_per_file)
        .map(|b| Block::random(&mut rng, f, b))
        .collect();
    // Choose the edited blocks: a partial Fisher–Yates shuffle of the block indices.
    let mut order: Vec<usize> = (0..blocks.len()).collect();
    let edited = spec.edited_per_file.min(blocks.len());
    for i in 0..edited {
        let j = i + rng.below(order.len() - i);
        order.swap(i, j);
    }
    let mut is_edited = vec![false; blocks.len()];
    for &i in &order[..edited] {
        is_edited[i] = true;
    }
    let (mut base, mut head) = (String::new(), String::new());
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 {
            base.push('\n');
            head.push('\n');
        }
        block.render(&mut base);
        if is_edited[i] {
            block.edited(&mut rng).render(&mut head);
        } else {
            block.render(&mut head);
        }
    }
    (base, head)
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Bucket,
    SecurityGroup,
    Policy,
    Database,
    Instance,
}

/// One resource block: its kind, name and the knobs its attributes are made from.
#[derive(Debug, Clone)]
struct Block {
    kind: Kind,
    name: String,
    env: &'static str,
    team: &'static str,
    size: u32,
    port: u16,
    class: &'static str,
    net: u8,
    /// Edits add attributes.
    extra: bool,
    /// Edits open the resource up: 0.0.0.0/0, `Action = "*"`, public, unencrypted.
    risky: bool,
}

impl Block {
    fn random(rng: &mut Rng, file: usize, index: usize) -> Block {
        let kind = match rng.below(5) {
            0 => Kind::Bucket,
            1 => Kind::SecurityGroup,
            2 => Kind::Policy,
            3 => Kind::Database,
            _ => Kind::Instance,
        };
        let stem = match kind {
            Kind::Bucket => rng.pick(&["logs", "assets", "backups", "artifacts", "exports"]),
            Kind::SecurityGroup => rng.pick(&["web", "api", "worker", "bastion", "cache"]),
            Kind::Policy => rng.pick(&["reader", "writer", "deployer", "auditor", "ingest"]),
            Kind::Database => rng.pick(&["orders", "users", "billing", "events", "catalog"]),
            Kind::Instance => rng.pick(&["app", "batch", "gateway", "indexer", "proxy"]),
        };
        let class = match kind {
            Kind::Database => rng.pick(DB_CLASSES),
            _ => rng.pick(EC2_TYPES),
        };
        Block {
            kind,
            name: format!("{stem}_m{file:02}_{index:03}"),
            env: rng.pick(ENVS),
            team: rng.pick(TEAMS),
            size: 20 + 10 * rng.below(20) as u32,
            port: PORTS[rng.below(PORTS.len())],
            class,
            net: 10 + rng.below(200) as u8,
            extra: false,
            risky: false,
        }
    }

    /// The feature commit's version: new sizes and classes, added attributes, and for about
    /// one block in four a risky setting.
    fn edited(&self, rng: &mut Rng) -> Block {
        let mut b = self.clone();
        b.size += 10 * (1 + rng.below(5) as u32);
        b.class = match b.kind {
            Kind::Database => rng.pick(DB_CLASSES),
            _ => rng.pick(EC2_TYPES),
        };
        if rng.below(3) == 0 {
            b.team = rng.pick(TEAMS);
        }
        if rng.below(2) == 0 {
            b.port = PORTS[rng.below(PORTS.len())];
        }
        b.extra = true;
        b.risky = rng.below(4) == 0;
        b
    }

    fn render(&self, out: &mut String) {
        let dashed = self.name.replace('_', "-");
        let (name, env, team, size, port, class, net) = (
            &self.name, self.env, self.team, self.size, self.port, self.class, self.net,
        );
        let w = |out: &mut String, line: &str| {
            out.push_str(line);
            out.push('\n');
        };
        match self.kind {
            Kind::Bucket => {
                let _ = writeln!(out, "resource \"aws_s3_bucket\" \"{name}\" {{");
                let _ = writeln!(out, "  bucket        = \"acme-{dashed}\"");
                let _ = writeln!(out, "  force_destroy = {}", self.risky);
                if self.extra {
                    w(out, "  object_lock_enabled = true");
                }
                w(out, "");
                w(out, "  tags = {");
                let _ = writeln!(out, "    Name        = \"{dashed}\"");
                let _ = writeln!(out, "    Environment = \"{env}\"");
                let _ = writeln!(out, "    Team        = \"{team}\"");
                let _ = writeln!(out, "    Retention   = \"{size}d\"");
                if self.extra {
                    w(out, "    DataClass   = \"internal\"");
                }
                w(out, "  }");
                w(out, "}");
            }
            Kind::SecurityGroup => {
                let cidr = if self.risky {
                    "0.0.0.0/0".to_string()
                } else {
                    format!("10.{net}.0.0/16")
                };
                let _ = writeln!(out, "resource \"aws_security_group\" \"{name}\" {{");
                let _ = writeln!(out, "  name        = \"{dashed}\"");
                let _ = writeln!(out, "  description = \"{team} traffic for {env}\"");
                w(out, "  vpc_id      = var.vpc_id");
                w(out, "");
                w(out, "  ingress {");
                let _ = writeln!(out, "    description = \"service port from the VPC\"");
                let _ = writeln!(out, "    from_port   = {port}");
                let _ = writeln!(out, "    to_port     = {port}");
                w(out, "    protocol    = \"tcp\"");
                let _ = writeln!(out, "    cidr_blocks = [\"{cidr}\"]");
                w(out, "  }");
                if self.extra {
                    w(out, "");
                    w(out, "  ingress {");
                    w(out, "    description = \"health checks\"");
                    let _ = writeln!(out, "    from_port   = {}", 8000 + size);
                    let _ = writeln!(out, "    to_port     = {}", 8000 + size);
                    w(out, "    protocol    = \"tcp\"");
                    let _ = writeln!(out, "    cidr_blocks = [\"{cidr}\"]");
                    w(out, "  }");
                }
                w(out, "");
                w(out, "  egress {");
                w(out, "    from_port   = 0");
                w(out, "    to_port     = 0");
                w(out, "    protocol    = \"-1\"");
                w(out, "    cidr_blocks = [\"10.0.0.0/8\"]");
                w(out, "  }");
                w(out, "}");
            }
            Kind::Policy => {
                let actions = match (self.risky, self.extra) {
                    (true, _) => "\"*\"".to_string(),
                    (false, true) => {
                        "[\"s3:GetObject\", \"s3:ListBucket\", \"s3:PutObject\"]".to_string()
                    }
                    (false, false) => "[\"s3:GetObject\", \"s3:ListBucket\"]".to_string(),
                };
                let resource = if self.risky {
                    "\"*\"".to_string()
                } else {
                    format!("[\"arn:aws:s3:::acme-{dashed}/*\"]")
                };
                let _ = writeln!(out, "resource \"aws_iam_policy\" \"{name}\" {{");
                let _ = writeln!(out, "  name        = \"{dashed}\"");
                let _ = writeln!(out, "  description = \"S3 access for {team} in {env}\"");
                w(out, "");
                w(out, "  policy = jsonencode({");
                w(out, "    Version = \"2012-10-17\"");
                w(out, "    Statement = [");
                w(out, "      {");
                w(out, "        Effect   = \"Allow\"");
                let _ = writeln!(out, "        Action   = {actions}");
                let _ = writeln!(out, "        Resource = {resource}");
                if self.extra {
                    w(out, "        Condition = {");
                    let _ = writeln!(
                        out,
                        "          StringEquals = {{ \"aws:RequestedRegion\" = \"eu-west-{}\" }}",
                        1 + size % 3
                    );
                    w(out, "        }");
                }
                w(out, "      },");
                w(out, "    ]");
                w(out, "  })");
                w(out, "}");
            }
            Kind::Database => {
                let _ = writeln!(out, "resource \"aws_db_instance\" \"{name}\" {{");
                let _ = writeln!(out, "  identifier              = \"{dashed}\"");
                w(out, "  engine                  = \"postgres\"");
                w(out, "  engine_version          = \"15.4\"");
                let _ = writeln!(out, "  instance_class          = \"{class}\"");
                let _ = writeln!(out, "  allocated_storage       = {size}");
                let _ = writeln!(out, "  storage_encrypted       = {}", !self.risky);
                let _ = writeln!(out, "  publicly_accessible     = {}", self.risky);
                w(out, "  backup_retention_period = 7");
                if self.extra {
                    w(out, "  deletion_protection     = true");
                    let _ = writeln!(out, "  max_allocated_storage   = {}", size * 4);
                }
                w(out, "  db_subnet_group_name    = var.db_subnet_group");
                w(
                    out,
                    "  vpc_security_group_ids  = [var.db_security_group_id]",
                );
                w(out, "  skip_final_snapshot     = false");
                w(out, "}");
            }
            Kind::Instance => {
                let _ = writeln!(out, "resource \"aws_instance\" \"{name}\" {{");
                w(out, "  ami                    = var.ami_id");
                let _ = writeln!(out, "  instance_type          = \"{class}\"");
                let _ = writeln!(
                    out,
                    "  subnet_id              = var.subnet_ids[{}]",
                    net % 3
                );
                w(
                    out,
                    "  vpc_security_group_ids = [var.app_security_group_id]",
                );
                w(out, "  monitoring             = true");
                if self.extra {
                    w(out, "  ebs_optimized          = true");
                }
                w(out, "");
                w(out, "  root_block_device {");
                let _ = writeln!(out, "    volume_size = {size}");
                w(out, "    volume_type = \"gp3\"");
                let _ = writeln!(out, "    encrypted   = {}", !self.risky);
                w(out, "  }");
                w(out, "");
                w(out, "  tags = {");
                let _ = writeln!(out, "    Name = \"{dashed}\"");
                let _ = writeln!(out, "    Team = \"{team}\"");
                w(out, "  }");
                w(out, "}");
            }
        }
    }
}

// Terraform plans.
/// A git change of 200 Terraform files of 20 blocks each, 5 of them edited per file
/// (1 000 edited blocks; seed 200), for timing policy evaluation over many files.
pub fn files_200() -> TerraformChange {
    TerraformChange {
        files: 200,
        blocks_per_file: 20,
        edited_per_file: 5,
        seed: 200,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small(seed: u64) -> TerraformChange {
        TerraformChange {
            files: 4,
            blocks_per_file: 12,
            edited_per_file: 3,
            seed,
        }
    }

    fn head_tree(spec: &TerraformChange) -> (Oid, Oid) {
        let dir = tempfile::tempdir().unwrap();
        let (base, head) = write_repo(spec, dir.path()).unwrap();
        let repo = Repository::open(dir.path()).unwrap();
        let tree = |c: Oid| repo.find_commit(c).unwrap().tree_id();
        assert_eq!(
            repo.head().unwrap().name().unwrap(),
            "refs/heads/feature",
            "HEAD points at feature"
        );
        (tree(base), tree(head))
    }

    #[test]
    fn same_seed_same_trees() {
        assert_eq!(head_tree(&small(7)), head_tree(&small(7)));
        assert_ne!(head_tree(&small(7)).1, head_tree(&small(8)).1);
    }

    #[test]
    fn feature_differs_from_base() {
        let dir = tempfile::tempdir().unwrap();
        let (base, head) = write_repo(&small(1), dir.path()).unwrap();
        let repo = Repository::open(dir.path()).unwrap();
        let commit = repo.find_commit(head).unwrap();
        assert_eq!(commit.parent_id(0).unwrap(), base);
        assert_ne!(commit.tree_id(), repo.find_commit(base).unwrap().tree_id());
        let files = crate::source::git::diff_commits(&repo, base, head, 3).unwrap();
        assert_eq!(files.len(), 4, "every file has edits");
        assert!(files.iter().all(|f| !f.hunks.is_empty()));
    }

    #[test]
    fn edits_include_risky_settings() {
        let spec = TerraformChange {
            files: 8,
            blocks_per_file: 20,
            edited_per_file: 10,
            seed: 3,
        };
        let head: String = (0..spec.files).map(|f| file_pair(&spec, f).1).collect();
        assert!(head.contains("cidr_blocks = [\"0.0.0.0/0\"]"));
        assert!(head.contains("Action   = \"*\""));
        assert!(head.contains("publicly_accessible     = true"));
        assert!(head.contains("encrypted   = false"));
    }
}
