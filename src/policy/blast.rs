//! A plan's blast radius (SPEC §8): how many resources it creates, updates, replaces and
//! destroys, and every stateful resource it destroys or replaces — what no scanner shows, at
//! the head of `check`, `show` and the review.

use serde::Serialize;

use super::finding::Finding;
use crate::model::ChangeSet;

/// Rule ids of the built-in pack that mark a stateful resource destroyed or replaced.
const DESTROYS: &str = "plan-destroys-stateful-resource";
const REPLACES: &str = "plan-replaces-stateful-resource";

/// A stateful resource the plan destroys or replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatefulChange {
    /// Its address.
    pub address: String,
    /// `destroy` or `replace`.
    pub action: &'static str,
}

/// What a plan does, in numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlastRadius {
    /// Resources created.
    pub create: usize,
    /// Resources updated in place.
    pub update: usize,
    /// Resources replaced.
    pub replace: usize,
    /// Resources destroyed.
    pub destroy: usize,
    /// Stateful resources destroyed or replaced, in plan order.
    pub stateful: Vec<StatefulChange>,
}

impl BlastRadius {
    /// The blast radius of a plan change; `None` for other sources.
    pub fn of(change: &ChangeSet, findings: &[Finding]) -> Option<BlastRadius> {
        let plan = change.plan.as_ref()?;
        let stateful = findings
            .iter()
            .filter_map(|f| {
                let action = match f.rule.as_str() {
                    DESTROYS => "destroy",
                    REPLACES => "replace",
                    _ => return None,
                };
                Some(StatefulChange {
                    address: f.resource.clone()?,
                    action,
                })
            })
            .collect();
        Some(BlastRadius {
            create: plan.create,
            update: plan.update,
            replace: plan.replace,
            destroy: plan.delete,
            stateful,
        })
    }

    /// One line: `blast radius: 2 to create, 1 to update, 1 to replace, 1 to destroy · stateful: a (replace), b (destroy)`.
    pub fn line(&self) -> String {
        let mut s = format!(
            "blast radius: {} to create, {} to update, {} to replace, {} to destroy",
            self.create, self.update, self.replace, self.destroy
        );
        if !self.stateful.is_empty() {
            let list: Vec<String> = self
                .stateful
                .iter()
                .map(|c| format!("{} ({})", c.address, c.action))
                .collect();
            s.push_str(" · stateful: ");
            s.push_str(&list.join(", "));
        }
        s
    }
}
