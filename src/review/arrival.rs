//! Findings that arrive while the review is open. A review opens on the change at once and
//! the policies are evaluated meanwhile; until their findings arrive, nothing can be approved
//! and the review cannot be finished. Their arrival is a record of the session log, so a
//! replay adds them at the same moment.

use super::state::State;
use crate::model::ChangeSet;
use crate::policy::finding::Finding;

/// What the header says while the policies are being evaluated.
const EVALUATING: &str = " · evaluating policies…";

impl State {
    /// A review of `change` whose findings are still being evaluated.
    pub fn awaiting_findings(
        change: impl Into<std::sync::Arc<ChangeSet>>,
        options: super::Options,
    ) -> State {
        let mut state = State::new(change, Vec::new(), options);
        state.findings_pending = true;
        state.header.push_str(EVALUATING);
        state
    }

    /// Adds the policies' `findings` (and says how many policies failed, `policy_errors`):
    /// the hunks get their annotations and risk, and where the reviewer is, what they saw and
    /// decided stay as they are. A hunk that gained annotations is complete again only once
    /// they have been on screen.
    pub fn receive_findings(&mut self, findings: Vec<Finding>, policy_errors: usize) {
        let mut options = self.options.clone();
        if policy_errors > 0 {
            options.source.push_str(&format!(
                " · {policy_errors} policy errors (listed after the review)"
            ));
        }
        let top_line = self.top_line();
        let mut fresh = State::new(self.change.clone(), findings, options);
        for (i, (old, new)) in self.hunks.iter().zip(&fresh.hunks).enumerate() {
            let lines = self.change.files[old.file].hunks[old.index].lines.len();
            fresh.progress[i] = if old.notes.len() == new.notes.len() {
                self.progress[i].clone()
            } else {
                self.progress[i].with_new_notes(lines, new.notes.len())
            };
        }
        for (f, old) in fresh.files.iter_mut().zip(&self.files) {
            f.decided = old.decided;
        }
        fresh.viewport = self.viewport;
        fresh.cursor = self.cursor;
        fresh.file_scroll = self.file_scroll;
        fresh.side_by_side = self.side_by_side;
        fresh.decisions = std::mem::take(&mut self.decisions);
        fresh.superseded = std::mem::take(&mut self.superseded);
        fresh.comments = std::mem::take(&mut self.comments);
        fresh.dwell_ms = std::mem::take(&mut self.dwell_ms);
        fresh.entered_ms = self.entered_ms;
        fresh.now_ms = self.now_ms;
        fresh.undo = std::mem::take(&mut self.undo);
        fresh.prompt = self.prompt.take();
        fresh.overlay = self.overlay.take();
        fresh.search = self.search.take();
        fresh.relayout();
        fresh.scroll = fresh.layout.row_of_line(top_line).unwrap_or(0);
        let risky = fresh.hunks.iter().filter(|h| h.risky).count();
        let mut text = format!(
            "policies evaluated: {} findings, {risky} risky hunks",
            fresh.findings.len()
        );
        if policy_errors > 0 {
            text.push_str(&format!(", {policy_errors} policy errors"));
        }
        fresh.flash(&text, policy_errors > 0);
        fresh.settle();
        *self = fresh;
    }

    /// The refusal an approval or finishing gets while the findings are pending.
    pub(super) fn refuse_while_pending(&mut self, what: &str) -> bool {
        if self.findings_pending {
            self.flash(
                &format!(
                    "{what}: the policies are still being evaluated — their findings come first"
                ),
                true,
            );
        }
        self.findings_pending
    }
}
