//! Entering and leaving the full-screen terminal mode. The terminal is restored however the
//! review ends: normally, by an error, by a panic (a hook restores it before the message is
//! printed) or by SIGTERM/SIGHUP (the loop sees the signal and leaves).

use std::io::{self, Stdout, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::error::{Error, Result};

/// True while the screen is in full-screen mode (so restoring twice is harmless).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Puts the terminal back in its normal mode, if countersign changed it.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = disable_raw_mode();
        let mut out = io::stdout();
        let _ = execute!(out, DisableMouseCapture, LeaveAlternateScreen, Show);
        let _ = out.flush();
    }
}

/// The full-screen terminal; dropping it restores the normal mode.
pub struct Screen {
    /// The ratatui terminal drawing to standard output.
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
    /// Set when SIGTERM or SIGHUP arrived.
    pub stop: Arc<AtomicBool>,
}

impl Screen {
    /// Enters raw mode and the alternate screen with mouse reporting, and installs the panic
    /// hook and signal flags that restore it. Without a terminal, fails with `no_terminal`.
    pub fn enter(no_terminal: &str) -> Result<Screen> {
        use std::io::IsTerminal;
        if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
            return Err(Error::Usage(no_terminal.into()));
        }
        let stop = Arc::new(AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
            signal_hook::flag::register(signal, Arc::clone(&stop))
                .map_err(|e| Error::Internal(format!("installing a signal handler: {e}")))?;
        }
        watch(Arc::clone(&stop));
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
        let fail = |e: io::Error| Error::Internal(format!("setting up the terminal: {e}"));
        enable_raw_mode().map_err(fail)?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = io::stdout();
        execute!(out, EnterAlternateScreen, EnableMouseCapture, Hide).map_err(|e| {
            restore();
            fail(e)
        })?;
        let terminal = Terminal::new(CrosstermBackend::new(out)).map_err(|e| {
            restore();
            fail(e)
        })?;
        Ok(Screen { terminal, stop })
    }
}

/// After SIGTERM or SIGHUP the event loop normally leaves by itself. When the terminal is gone
/// (its other end closed), the terminal library can spin on end-of-file and never return to
/// the loop; then, after a grace period, this restores what it can and exits (status 129).
/// Everything decided is already in the session log.
fn watch(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        while !stop.load(Ordering::SeqCst) {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        std::thread::sleep(std::time::Duration::from_millis(1500));
        if ACTIVE.load(Ordering::SeqCst) {
            restore();
            // The terminal may be gone: a failed write must not panic.
            let _ = writeln!(
                io::stderr(),
                "countersign: stopped by a signal; the session log has every decision"
            );
            std::process::exit(129);
        }
    });
}

impl Drop for Screen {
    fn drop(&mut self) {
        restore();
    }
}
