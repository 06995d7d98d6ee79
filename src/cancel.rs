//! Cancelling the running statement: the interactive shell's Ctrl-C
//! handler raises the flag, evaluation loops look at it and stop, and the
//! statement ends with a "cancelled" error; the shell lowers the flag
//! before each statement.
//!
//! Invariant: only the shell raises the flag; batch runs never see it up.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Asks the running statement to stop (called from a signal handler).
pub fn request() {
    REQUESTED.store(true, Ordering::SeqCst);
}

/// Lowers the flag (before a statement starts).
pub fn clear() {
    REQUESTED.store(false, Ordering::SeqCst);
}

/// Whether a stop was asked for since the last [`clear`].
pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}
