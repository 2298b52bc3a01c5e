//! The policies evaluated on a background thread while the review is already open: the
//! reviewer reads the change from the first frame, and the findings are added when ready.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::error::{Error, Result};
use crate::model::ChangeSet;
use crate::policy::engine::Engine;
use crate::policy::evaluate::{EvalError, Evaluation};
use crate::source::plan::PlanDocument;
use crate::source::{FileVersions, Source};

/// An evaluation under way.
pub struct Evaluating {
    receiver: Receiver<Result<Evaluation>>,
    /// The policy errors of the evaluation, once it has arrived (listed after the review).
    pub errors: Vec<EvalError>,
}

impl Evaluating {
    /// Starts evaluating `engine`'s policies on `change` (loaded from `source`, with the plan's
    /// document `plan_document` for a plan, the changed files' texts `versions`, and a
    /// `linked_plan` placed on a range).
    pub fn start(
        engine: Engine,
        source: Source,
        change: std::sync::Arc<ChangeSet>,
        plan_document: Option<PlanDocument>,
        versions: Vec<FileVersions>,
        linked_plan: Option<PathBuf>,
    ) -> Evaluating {
        let (sender, receiver) = channel();
        std::thread::spawn(move || {
            let eval = super::check::evaluate_with(
                &engine,
                &source,
                &change,
                plan_document.as_ref(),
                &versions,
                linked_plan.as_deref(),
            );
            // The review may have ended first; then nobody needs the findings.
            let _ = sender.send(eval);
        });
        Evaluating {
            receiver,
            errors: Vec::new(),
        }
    }

    /// The evaluation, if it has finished: `Ok(None)` while it runs. It is returned once;
    /// its errors are kept in [`Evaluating::errors`].
    pub fn poll(&mut self) -> Result<Option<Evaluation>> {
        match self.receiver.try_recv() {
            Ok(Ok(eval)) => {
                self.errors = eval.errors.clone();
                Ok(Some(eval))
            }
            Ok(Err(e)) => Err(e),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::Disconnected) => Err(Error::Internal(
                "the policy evaluation stopped without a result".into(),
            )),
        }
    }
}
