//! A deterministic generator of large Terraform changes, for benchmarks and tests.
//!
//! [`write_repo`] builds a git repository (with git2 only) holding a base commit on `main`
//! and one `feature` commit on top that edits some resource blocks — the shape of a large,
//! AI-generated infrastructure change. Everything is derived from [`TerraformChange::seed`]
//! through a tiny inline PRNG, with fixed author dates, so the same spec always produces the
//! same trees and the same commit ids.
//!
//! # Size of the change
//!
//! Every file gets `blocks_per_file` blocks of 12–22 lines (about 18 lines per block with
//! the blank line between blocks). Each edited block changes a few attributes and adds one
//! to eight lines: measured, about 5 added and 1.8 removed lines per edited block, so a spec
//! produces roughly `files × edited_per_file × 7` changed (`+`/`-`) diff lines. With three
//! lines of context, `countersign show` prints roughly 17 lines per edited block (hunk
//! header, context and changes), a little less when edited blocks are adjacent and their
//! hunks merge; see [`lines_50k`] for a measured example.
//!
//! # Plans
//!
//! [`plan_json`] builds a Terraform plan, as `terraform show -json` prints it, of as many
//! AWS resource changes as [`TerraformPlan::resources`] says, from the same PRNG: creates,
//! updates, destroys and replacements, about one in ten risky ([`plan_5k`]: 5 000 changes).

mod plan;
pub(crate) mod repo;

pub use plan::{TerraformPlan, plan_5k, plan_json};
pub use repo::{TerraformChange, files_200, lines_50k, write_repo};

/// splitmix64: a few lines, good enough to vary synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const ENVS: &[&str] = &["prod", "staging", "dev"];
const TEAMS: &[&str] = &["platform", "payments", "search", "identity", "data"];
const PORTS: &[u16] = &[443, 8443, 5432, 6379, 9090, 22];
const DB_CLASSES: &[&str] = &[
    "db.t3.medium",
    "db.r6g.large",
    "db.r6g.xlarge",
    "db.m6i.large",
];
const EC2_TYPES: &[&str] = &[
    "t3.small",
    "t3.medium",
    "m6i.large",
    "c6i.xlarge",
    "r6i.large",
];
