//! The reducer: `update(state, action, now)` is the only thing that changes a review. It does
//! no I/O; what the loop must do (quit, finish) comes back as [`Effect`]s.

use super::action::Action;
use super::layout::{HunkLayout, display_text, find_all};
use super::screen::areas;
use super::state::{Decided, Decision, Flash, Overlay, Prompt, PromptKind, Search, State};

/// What the event loop must do after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Leave the review without finishing it.
    Quit,
    /// Every hunk is decided and the reviewer confirmed the summary.
    Finish,
}

/// Applies one action at `now_ms` (milliseconds on the review's clock) and returns what the
/// loop must do.
pub fn update(state: &mut State, action: Action, now_ms: u64) -> Option<Effect> {
    state.now_ms = state.now_ms.max(now_ms);
    // A message stays until the reviewer does something (a resize is not that).
    if !matches!(action, Action::Resize { .. }) {
        state.flash = None;
    }
    let effect = if let Action::Resize { width, height } = action {
        state.viewport = (width, height);
        None
    } else if action == Action::ForceQuit {
        Some(Effect::Quit)
    } else if state.prompt.is_some() {
        prompt_input(state, action)
    } else if let Some(overlay) = state.overlay {
        match (overlay, action) {
            (Overlay::Summary, Action::Submit) => Some(Effect::Finish),
            _ => {
                state.overlay = None;
                None
            }
        }
    } else {
        act(state, action)
    };
    state.settle();
    effect
}

fn act(state: &mut State, action: Action) -> Option<Effect> {
    if state.hunks.is_empty() {
        return match action {
            Action::Quit => Some(Effect::Quit),
            Action::ToggleHelp => {
                state.overlay = Some(Overlay::Help);
                None
            }
            Action::Finish => {
                state.overlay = Some(Overlay::Summary);
                None
            }
            _ => None,
        };
    }
    let page = usize::from(areas(state).hunk.height)
        .saturating_sub(2)
        .max(1) as i64;
    match action {
        Action::Scroll { rows } => state.scroll_by(i64::from(rows)),
        Action::PageDown => state.scroll_by(page),
        Action::PageUp => state.scroll_by(-page),
        Action::Top => state.scroll = 0,
        Action::Bottom => state.scroll = usize::MAX,
        Action::NextHunk => step_hunk(state, 1),
        Action::PrevHunk => step_hunk(state, -1),
        Action::NextRisky => risky(state, true),
        Action::PrevRisky => risky(state, false),
        Action::NextFile => step_file(state, 1),
        Action::PrevFile => step_file(state, -1),
        Action::Click { column, row } => click(state, column, row),
        Action::Approve => approve(state),
        Action::ApproveFile => approve_file(state),
        Action::Reject => state.ask(PromptKind::Reject),
        Action::Comment => state.ask(PromptKind::Comment),
        Action::Undo => undo(state),
        Action::Search => state.ask(PromptKind::Search),
        Action::SearchNext => search_step(state, true),
        Action::SearchPrev => search_step(state, false),
        Action::ToggleSideBySide => {
            let top_line = state.top_line();
            state.side_by_side = !state.side_by_side;
            state.relayout();
            state.scroll = state.layout.row_of_line(top_line).unwrap_or(0);
        }
        Action::ToggleHelp => state.overlay = Some(Overlay::Help),
        Action::Finish => finish(state),
        Action::Quit => return Some(Effect::Quit),
        Action::Cancel => state.search = None,
        Action::Resize { .. }
        | Action::ForceQuit
        | Action::Type { .. }
        | Action::Backspace
        | Action::Submit => {}
    }
    None
}

fn prompt_input(state: &mut State, action: Action) -> Option<Effect> {
    let prompt = state.prompt.as_mut()?;
    match action {
        Action::Type { ch } if !ch.is_control() => prompt.input.push(ch),
        Action::Backspace => {
            prompt.input.pop();
        }
        Action::Cancel => state.prompt = None,
        Action::Submit => submit(state),
        _ => {}
    }
    None
}

fn submit(state: &mut State) {
    let Some(prompt) = state.prompt.take() else {
        return;
    };
    let text = prompt.input.trim().to_string();
    let min = state.options.min_justification;
    let refuse = |state: &mut State, why: String| {
        state.prompt = Some(Prompt {
            error: Some(why),
            ..prompt.clone()
        });
    };
    match prompt.kind {
        PromptKind::Reject | PromptKind::Comment if text.is_empty() => {
            refuse(state, "type a reason first (Esc cancels)".into());
        }
        PromptKind::Justify | PromptKind::ApproveFile if text.chars().count() < min => {
            refuse(
                state,
                format!(
                    "at least {min} characters, please ({} so far)",
                    text.chars().count()
                ),
            );
        }
        PromptKind::Reject => {
            state.decide(&[prompt.hunk], Decision::Rejected { reason: text });
            state.advance();
        }
        PromptKind::Justify => {
            state.decide(
                &[prompt.hunk],
                Decision::Approved {
                    justification: Some(text),
                },
            );
            state.advance();
        }
        PromptKind::ApproveFile => {
            let file = &state.files[state.hunks[prompt.hunk].file];
            let undecided: Vec<usize> = (file.first_hunk..file.first_hunk + file.hunk_count)
                .filter(|&i| state.decisions[i].is_none())
                .collect();
            state.decide(&undecided, Decision::ApprovedInBulk { reason: text });
            state.advance();
        }
        PromptKind::Comment => {
            state.comments[prompt.hunk].push(text);
            state.flash("comment added", false);
        }
        PromptKind::Search => start_search(state, prompt.input),
    }
}

fn approve(state: &mut State) {
    if state.refuse_while_pending("not approved") {
        return;
    }
    let progress = &state.progress[state.cursor];
    if !progress.is_complete() {
        let n = progress.unseen();
        let what = if n == 1 { "line" } else { "lines" };
        state.flash(
            &format!(
                "not approved: {n} {what} of this hunk not yet on screen — scroll through it first (j, space)"
            ),
            true,
        );
    } else if state.hunks[state.cursor].risky {
        state.ask(PromptKind::Justify);
    } else {
        state.decide(
            &[state.cursor],
            Decision::Approved {
                justification: None,
            },
        );
        state.advance();
    }
}

fn approve_file(state: &mut State) {
    if state.refuse_while_pending("not approved") {
        return;
    }
    let file = &state.files[state.hunks[state.cursor].file];
    let range = file.first_hunk..file.first_hunk + file.hunk_count;
    let undecided = range.clone().filter(|&i| state.decisions[i].is_none());
    let risky = undecided.clone().filter(|&i| state.hunks[i].risky).count();
    if risky > 0 {
        state.flash(
            &format!(
                "not approved in bulk: {risky} risky hunks in this file — decide them one by one"
            ),
            true,
        );
    } else if undecided.count() == 0 {
        state.flash("every hunk of this file is decided", false);
    } else {
        state.ask(PromptKind::ApproveFile);
    }
}

fn undo(state: &mut State) {
    let Some(entry) = state.undo.pop() else {
        state.flash("nothing to undo", false);
        return;
    };
    let first = entry.first().map(|(i, _)| *i);
    for (i, previous) in entry {
        state.set_decision(i, previous);
    }
    if let Some(i) = first {
        state.go_to(i);
    }
    state.flash("undone", false);
}

fn finish(state: &mut State) {
    if state.refuse_while_pending("cannot finish") {
        return;
    }
    let undecided = state.decisions.iter().filter(|d| d.is_none()).count();
    if undecided == 0 {
        state.overlay = Some(Overlay::Summary);
        return;
    }
    if let Some(i) = state.decisions.iter().position(Option::is_none) {
        state.go_to(i);
    }
    state.flash(
        &format!("cannot finish: {undecided} hunks undecided — here is the first"),
        true,
    );
}

fn step_hunk(state: &mut State, delta: i64) {
    let target = state.cursor as i64 + delta;
    if (0..state.hunks.len() as i64).contains(&target) {
        state.go_to(target as usize);
    } else {
        state.flash(if delta > 0 { "last hunk" } else { "first hunk" }, false);
    }
}

fn step_file(state: &mut State, delta: i64) {
    let current = state.hunks[state.cursor].file as i64;
    let mut f = current + delta;
    while (0..state.files.len() as i64).contains(&f) {
        if state.files[f as usize].hunk_count > 0 {
            state.go_to(state.files[f as usize].first_hunk);
            return;
        }
        f += delta;
    }
    state.flash(if delta > 0 { "last file" } else { "first file" }, false);
}

fn risky(state: &mut State, forward: bool) {
    let n = state.hunks.len();
    let found = (1..=n)
        .map(|k| {
            if forward {
                (state.cursor + k) % n
            } else {
                (state.cursor + n * k - k) % n
            }
        })
        .find(|&i| state.hunks[i].risky && state.decisions[i].is_none());
    match found {
        Some(i) => state.go_to(i),
        None => state.flash("no undecided risky hunks", false),
    }
}

fn click(state: &mut State, column: u16, row: u16) {
    let Some(files) = areas(state).files else {
        return;
    };
    if !files.contains(ratatui::layout::Position::new(column, row)) {
        return;
    }
    let index = state.file_scroll + usize::from(row - files.y);
    if let Some(f) = state.files.get(index).filter(|f| f.hunk_count > 0) {
        state.go_to(f.first_hunk);
    }
}

fn start_search(state: &mut State, query: String) {
    if query.is_empty() {
        state.search = None;
        return;
    }
    let mut matches = Vec::new();
    for i in 0..state.hunks.len() {
        for (j, line) in state.hunk(i).lines.iter().enumerate() {
            if !find_all(&display_text(line), &query).is_empty() {
                matches.push((i, j));
            }
        }
    }
    if matches.is_empty() {
        state.flash(&format!("not found: {query}"), true);
        state.search = None;
        return;
    }
    state.search = Some(Search {
        query,
        matches,
        current: None,
    });
    search_step(state, true);
}

fn search_step(state: &mut State, forward: bool) {
    let here = (state.cursor, state.top_line());
    let Some(search) = state.search.as_mut() else {
        state.flash("no search: press / first", false);
        return;
    };
    let n = search.matches.len();
    let next = match search.current {
        Some(c) if forward => (c + 1) % n,
        Some(c) => (c + n - 1) % n,
        None if forward => search.matches.iter().position(|&m| m >= here).unwrap_or(0),
        None => search
            .matches
            .iter()
            .rposition(|&m| m < here)
            .unwrap_or(n - 1),
    };
    search.current = Some(next);
    let (hunk, line) = search.matches[next];
    let text = format!("match {} of {n}", next + 1);
    state.go_to(hunk);
    state.relayout();
    state.scroll = state
        .layout
        .row_of_line(line)
        .unwrap_or(0)
        .saturating_sub(2);
    state.flash(&text, false);
}

impl State {
    /// Moves to hunk `i`, accounting the time spent on the one left.
    pub(crate) fn go_to(&mut self, i: usize) {
        if i != self.cursor {
            self.dwell_ms[self.cursor] += self.now_ms.saturating_sub(self.entered_ms);
            self.entered_ms = self.now_ms;
            self.cursor = i;
            self.scroll = 0;
        }
    }

    fn scroll_by(&mut self, rows: i64) {
        self.scroll = (self.scroll as i64 + rows).max(0) as usize;
    }

    fn ask(&mut self, kind: PromptKind) {
        self.prompt = Some(Prompt {
            kind,
            hunk: self.cursor,
            input: String::new(),
            error: None,
        });
    }

    pub(super) fn flash(&mut self, text: &str, warn: bool) {
        self.flash = Some(Flash {
            text: text.to_string(),
            warn,
        });
    }

    /// Decides `hunks` as one undoable step.
    fn decide(&mut self, hunks: &[usize], decision: Decision) {
        let mut entry = Vec::with_capacity(hunks.len());
        for &i in hunks {
            let decided = Decided {
                decision: decision.clone(),
                at_ms: self.now_ms,
                dwell_ms: self.dwell(i),
            };
            entry.push((i, self.decisions[i].clone()));
            self.set_decision(i, Some(decided));
        }
        self.undo.push(entry);
    }

    fn set_decision(&mut self, i: usize, decision: Option<Decided>) {
        let file = self.hunks[i].file;
        match (&self.decisions[i], &decision) {
            (None, Some(_)) => self.files[file].decided += 1,
            (Some(_), None) => self.files[file].decided -= 1,
            _ => {}
        }
        self.decisions[i] = decision;
    }

    /// After a decision: on to the next undecided hunk, or say that all are decided.
    fn advance(&mut self) {
        let n = self.hunks.len();
        match (1..n)
            .map(|k| (self.cursor + k) % n)
            .find(|&i| self.decisions[i].is_none())
        {
            Some(i) => self.go_to(i),
            None if self.decisions.iter().all(Option::is_some) => {
                self.flash("every hunk is decided — press S to finish", false);
            }
            None => {}
        }
    }

    /// The first hunk line at the top of the screen.
    pub(super) fn top_line(&self) -> usize {
        use super::layout::Row;
        self.layout.rows[self.scroll.min(self.layout.rows.len())..]
            .iter()
            .find_map(|r| match r {
                Row::Text(s) => Some(s.line as usize),
                Row::Pair(l, r) => l.or(*r).map(|s| s.line as usize),
                _ => None,
            })
            .unwrap_or(0)
    }

    pub(super) fn relayout(&mut self) {
        let width = areas(self).hunk.width;
        if self.hunks.is_empty()
            || (self.layout.width == width
                && self.layout.side_by_side == self.side_by_side
                && !self.layout.rows.is_empty()
                && self.layout_hunk == self.cursor)
        {
            return;
        }
        let notes = &self.hunks[self.cursor].notes;
        self.layout = HunkLayout::new(self.hunk(self.cursor), notes, width, self.side_by_side);
        self.layout_hunk = self.cursor;
    }

    /// Brings derived state in line after an action: the layout of the current hunk, the
    /// scroll positions, and what is now on screen.
    pub(crate) fn settle(&mut self) {
        if self.hunks.is_empty() {
            return;
        }
        self.relayout();
        let a = areas(self);
        let height = usize::from(a.hunk.height);
        let max = self.layout.rows.len().saturating_sub(height);
        self.scroll = self.scroll.min(max);
        let end = (self.scroll + height).min(self.layout.rows.len());
        let key = (self.layout.width, self.layout.side_by_side);
        self.progress[self.cursor].mark(key, &self.layout.rows[self.scroll..end]);
        if let Some(files) = a.files {
            let file = self.hunks[self.cursor].file;
            let h = usize::from(files.height).max(1);
            if file < self.file_scroll {
                self.file_scroll = file;
            } else if file >= self.file_scroll + h {
                self.file_scroll = file + 1 - h;
            }
        }
    }
}
