//! The command line (clap definitions only).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::policy::engine::DEFAULT_TIME_LIMIT;

/// Review AI-generated infrastructure changes hunk by hunk.
#[derive(Debug, Parser)]
#[command(name = "countersign", version, about, long_about = None)]
pub struct Cli {
    /// When to use colours: `auto` uses them when the output is a terminal and NO_COLOR is unset.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,

    /// Syntax theme: countersign-dark, countersign-light, a syntect bundled theme, or a .tmTheme file.
    #[arg(long, global = true, value_name = "NAME|FILE")]
    pub theme: Option<String>,

    /// Settings file (key bindings, theme, minimum justification, coding agents, stats
    /// thresholds). Default: `.countersign.toml` at the repository root.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Who reviews, as `Name <email>`. Default: git's user.name and user.email.
    #[arg(long, global = true, value_name = "NAME <EMAIL>")]
    pub reviewer: Option<String>,

    /// Where session logs are kept. Default: `.git/countersign/sessions/` inside a repository,
    /// else `$XDG_DATA_HOME/countersign/sessions/`.
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// The OpenSSH ed25519 private key that signs (a `.pub` path stands for the private key
    /// beside it). Default: git's user.signingkey when it names an ssh key, else
    /// `~/.ssh/id_ed25519`. A passphrase is asked on the terminal, or read from
    /// COUNTERSIGN_KEY_PASSPHRASE when set. For `keygen`: where to write the new key.
    #[arg(long, global = true, value_name = "FILE")]
    pub key: Option<PathBuf>,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Review the change hunk by hunk in the terminal: approve, reject, justify, finish.
    Review(ReviewArgs),
    /// Open a review of a sample AI-written Terraform and Kubernetes change, in a temporary
    /// git repository.
    Demo(DemoArgs),
    /// Print the change as an annotated diff (pager-style), or as JSON for scripts.
    Show(ShowArgs),
    /// Evaluate the policies on the change, non-interactively (CI, pre-commit).
    Check(CheckArgs),
    /// Work with Rego policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Create an OpenSSH ed25519 key pair to sign reviews with (default `~/.ssh/id_ed25519`,
    /// or --key FILE), and print its allowed_signers line.
    Keygen(KeygenArgs),
    /// Replay a recorded review: the same screens at the recorded pace, or a transcript.
    Replay(ReplayArgs),
    /// List recorded reviews: id, start, source, reviewer, progress, verdict, duration.
    Sessions(SessionsArgs),
    /// The CI gate: check the change against signed review attestations (every hunk approved
    /// by an allowed reviewer, risks justified). Exit 0 verified, 1 not.
    Verify(VerifyArgs),
    /// Sign a finished review (when no key was at hand as it finished): writes its
    /// attestation, and for a git range adds it to the head commit's notes.
    Attest(AttestArgs),
    /// AI-change signals from recorded reviews (hunks reviewed per week by AI and human
    /// authors, rejection rates, findings, time to decision, rubber stamps), or with
    /// `--history` from git history alone (changes per week, rollback rates, time to
    /// remediate).
    Stats(StatsArgs),
    /// Print a shell completion script to standard output.
    Completions(CompletionsArgs),
    /// Print the man page (roff) of countersign or of one of its subcommands, or write every
    /// page to a directory.
    Man(ManArgs),
}

/// Arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand whose page to print (`stats`, `policy test`). Default: countersign(1).
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Vec<String>,

    /// Write countersign.1 and a page for every subcommand into DIR instead.
    #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
    pub dir: Option<PathBuf>,
}

/// Arguments of `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Only reviews started (or, with --history, commits made) since this long ago (`30d`,
    /// `12w`) or this date (`2026-01-31`). Default: everything.
    #[arg(long, value_name = "AGE|DATE")]
    pub since: Option<String>,

    /// Read git history instead of recorded reviews: infrastructure changes per week by AI
    /// and human authors, how often each is rolled back, and how soon.
    #[arg(long)]
    pub history: bool,

    /// With --history: the commits to read (`A..B`: reachable from B but not A; `REV`: the
    /// history of REV). Default: the history of HEAD.
    #[arg(value_name = "RANGE", requires = "history")]
    pub range: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The change as it is now.
    #[command(flatten)]
    pub source: SourceArgs,

    /// An attestation file (one DSSE envelope per line).
    #[arg(long, value_name = "FILE", required_unless_present = "from_notes")]
    pub attestation: Option<PathBuf>,

    /// Read the attestations from the git note on the head commit (refs/notes/countersign).
    #[arg(long, conflicts_with = "attestation")]
    pub from_notes: bool,

    /// Who may sign, in git's allowed_signers format. Default: git config
    /// gpg.ssh.allowedSignersFile.
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,

    /// Distinct allowed reviewers each hunk with a critical finding needs.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub require: usize,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,

    /// The policies in force now: every introduced high or critical finding they raise must
    /// be justified.
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Arguments of `attest`.
#[derive(Debug, Args)]
pub struct AttestArgs {
    /// A finished session: its id (or a unique prefix) in the store, or its log file.
    #[arg(value_name = "ID|FILE")]
    pub session: String,

    /// Also write the attestation to this file.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Arguments of `replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// A session id (or a unique prefix of one) from the store, or a session log file.
    #[arg(value_name = "ID|FILE")]
    pub session: String,

    /// Play faster (2) or slower (0.5) than recorded.
    #[arg(long, default_value_t = 1.0, value_name = "X")]
    pub speed: f64,

    /// Print a transcript (time, action, hunk, decision, justification) instead of playing
    /// the screens.
    #[arg(long)]
    pub headless: bool,

    /// With --headless: the transcript as text, or the session (every hunk with its
    /// authorship, findings, decision and comments) as JSON.
    #[arg(long, value_enum, default_value_t = ListFormat::Text, requires = "headless")]
    pub format: ListFormat,
}

/// Arguments of `sessions`.
#[derive(Debug, Args)]
pub struct SessionsArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// Output of listing commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    Text,
    /// A JSON array, for scripts and dashboards.
    Json,
}

/// Which policies run.
#[derive(Debug, Args)]
pub struct PolicyArgs {
    /// A policy directory (repeatable). Default: the repository's `policies/` or
    /// `.countersign/policies/` when present. The built-in pack is always added.
    #[arg(long = "policies", value_name = "DIR")]
    pub policies: Vec<PathBuf>,

    /// Leave out the built-in pack.
    #[arg(long)]
    pub no_builtin: bool,

    /// Packages of your policies to evaluate (repeatable; default `main`, like conftest).
    #[arg(
        long = "namespace",
        value_name = "PACKAGE",
        conflicts_with = "all_namespaces"
    )]
    pub namespaces: Vec<String>,

    /// Evaluate every package of your policies.
    #[arg(long)]
    pub all_namespaces: bool,

    /// Stop a policy evaluation that runs longer than this many seconds (per input), and
    /// report it as an error.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIME_LIMIT.as_secs_f64())]
    pub policy_timeout: f64,
}

impl PolicyArgs {
    /// The built-in pack alone (with the default time limit), as `demo` evaluates it.
    pub fn builtin() -> PolicyArgs {
        PolicyArgs {
            policies: Vec::new(),
            no_builtin: false,
            namespaces: Vec::new(),
            all_namespaces: false,
            policy_timeout: DEFAULT_TIME_LIMIT.as_secs_f64(),
        }
    }
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Findings grouped by file, with the offending lines.
    Text,
    /// Findings with their rule, severity, lines, hunk ids and origin, for pipelines.
    Json,
    /// SARIF 2.1.0, for code-scanning upload.
    Sarif,
}

/// Which findings make `check` fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Introduced `deny`/`violation` results.
    Deny,
    /// Introduced results of any rule, warnings included.
    Warn,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The change to check.
    #[command(flatten)]
    pub source: SourceArgs,

    /// The policies.
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Which introduced findings fail the check (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Deny)]
    pub fail_on: FailOn,
}

/// `policy` subcommands.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run the `test_*` rules of policy directories, like `opa test`.
    Test(PolicyTestArgs),
}

/// Arguments of `policy test`.
#[derive(Debug, Args)]
pub struct PolicyTestArgs {
    /// Policy directories. Default: the repository's `policies/` or `.countersign/policies/`
    /// when present, plus the built-in pack.
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Also report which policy lines the tests evaluated.
    #[arg(long)]
    pub coverage: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,

    /// Leave out the built-in pack.
    #[arg(long)]
    pub no_builtin: bool,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colours when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Output formats of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// The annotated diff.
    Text,
    /// The review model: files, hunks with ids, ranges, lines.
    Json,
}

/// Which change to load. With nothing given: the current branch against the merge-base with
/// the default branch (origin/HEAD, main or master), like a pull request.
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// A git range: `A..B` or `A...B` (both: what B adds since its merge-base with A), or `A`
    /// (= `A...HEAD`).
    #[arg(value_name = "RANGE", conflicts_with = "patch")]
    pub range: Option<String>,

    /// A unified diff file (git diff, git format-patch, diff -u), or `-` for standard input.
    #[arg(long, value_name = "FILE", conflicts_with = "plan")]
    pub patch: Option<PathBuf>,

    /// A Terraform plan as JSON (`terraform show -json PLANFILE`, or tofu's). With a RANGE,
    /// the plan's findings land on the source hunks that define its resources.
    #[arg(long, value_name = "PLAN.json")]
    pub plan: Option<PathBuf>,

    /// Lines of context around each change in a git range (like git's -U).
    #[arg(short = 'U', long = "unified", value_name = "N", default_value_t = 3)]
    pub unified: u32,
}

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The change to show.
    #[command(flatten)]
    pub source: SourceArgs,

    /// Evaluate the policies and annotate each finding under the lines it is about (slower
    /// on large changes: the policies read every changed file at its base and head).
    #[arg(long)]
    pub findings: bool,

    /// The policies for `--findings`.
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,

    /// Write straight to the terminal instead of through $PAGER (less -R).
    #[arg(long)]
    pub no_pager: bool,
}

/// Arguments of `review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The change to review.
    #[command(flatten)]
    pub source: SourceArgs,

    /// The policies whose findings are shown.
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// Continue an unfinished review: the session ID given, else the newest unfinished one.
    /// Decisions carry over to unchanged hunks; changed hunks must be decided again.
    #[arg(long, value_name = "ID", num_args = 0..=1, conflicts_with_all = ["range", "patch", "plan"])]
    pub resume: Option<Option<String>>,

    /// Also write the signed attestation of the finished review to this file (it is always
    /// kept beside the session log, and for a git range added to the head commit's notes).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Create the sample repository in this (empty or new) directory and keep it, instead of
    /// a temporary one removed afterwards.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Arguments of `keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The key's comment. Default: the reviewer's email.
    #[arg(long, value_name = "TEXT")]
    pub comment: Option<String>,

    /// Leave the private key unencrypted instead of asking for a passphrase (which
    /// COUNTERSIGN_KEY_PASSPHRASE gives, when set).
    #[arg(long)]
    pub no_passphrase: bool,
}
