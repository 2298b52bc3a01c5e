//! `countersign demo`: writes the sample AI-written change into a fresh git repository and
//! opens the review on it, with the built-in policy pack.

use crate::cli::{Cli, DemoArgs, PolicyArgs};
use crate::error::{Error, Result};
use crate::source::Source;

/// Runs `demo`; like `review`, `Ok(false)` when the finished review requests changes.
pub fn run(args: &DemoArgs, cli: &Cli) -> Result<bool> {
    let temporary;
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => {
            temporary = tempfile::Builder::new()
                .prefix("countersign-demo-")
                .tempdir()
                .map_err(|e| Error::Internal(format!("creating a temporary directory: {e}")))?;
            temporary.path().to_path_buf()
        }
    };
    let range = crate::demo::write_repo(&dir)?;
    // Policies are looked for from the current directory: run in the demo repository, so
    // only the built-in pack applies, wherever the demo is started.
    std::env::set_current_dir(&dir).map_err(|e| Error::unreadable(&dir, e))?;
    let source = Source::GitRange {
        repo: dir.clone(),
        range: Some(range),
        context: 3,
    };
    let policy = PolicyArgs::builtin();
    let run = super::review::Run {
        cli,
        store: crate::session::store::Store::locate(cli.store.as_deref(), &dir)?,
        lasting: args.dir.is_some() || cli.store.is_some(),
        out: None,
    };
    let outcome = super::review::review(&source, None, &policy, &dir, run);
    if args.dir.is_some() {
        eprintln!("the demo repository is kept in {}", dir.display());
    }
    outcome
}
