//! Where a command's output goes: standard output, through a pager when it is a terminal,
//! with colours decided the way users expect (`--color`, `NO_COLOR`).

use std::io::{self, IsTerminal, Write};
use std::process::{Child, Command, Stdio};

use crate::cli::ColorChoice;

/// Whether to colour, from the flag, `NO_COLOR` and whether stdout is a terminal.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

/// Standard output, or a pager's standard input.
pub struct Output {
    pager: Option<Child>,
    stdout: io::StdoutLock<'static>,
}

impl Output {
    /// Opens the output; `page` asks for `$PAGER` (default `less -FRX`) when stdout is a
    /// terminal. If the pager cannot start, output goes to stdout directly.
    pub fn open(page: bool) -> Output {
        let stdout = io::stdout().lock();
        let pager = (page && io::stdout().is_terminal())
            .then(spawn_pager)
            .flatten();
        Output { pager, stdout }
    }

    /// Waits for the pager, if any, to exit.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        if let Some(mut child) = self.pager.take() {
            drop(child.stdin.take());
            child.wait()?;
        }
        Ok(())
    }
}

fn spawn_pager() -> Option<Child> {
    let pager = std::env::var("COUNTERSIGN_PAGER")
        .or_else(|_| std::env::var("PAGER"))
        .unwrap_or_else(|_| "less".to_string());
    let mut words = pager.split_whitespace();
    let program = words.next()?;
    if program == "cat" {
        return None;
    }
    let mut cmd = Command::new(program);
    cmd.args(words).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    cmd.spawn().ok()
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.pager.as_mut().and_then(|c| c.stdin.as_mut()) {
            Some(stdin) => stdin.write(buf),
            None => self.stdout.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.pager.as_mut().and_then(|c| c.stdin.as_mut()) {
            Some(stdin) => stdin.flush(),
            None => self.stdout.flush(),
        }
    }
}
