//! What a sweep shares with whoever started it, while it runs on other threads: how many
//! combinations are finished (for a progress display), and a request to stop.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Progress and cancellation of one running sweep; see [`super::run_with_control`].
///
/// Cancellation is checked before each combination starts: combinations already running finish
/// (each takes milliseconds), none starts after [`SweepControl::cancel`].
#[derive(Debug, Default)]
pub struct SweepControl {
    done: AtomicUsize,
    canceled: AtomicBool,
}

impl SweepControl {
    pub fn new() -> SweepControl {
        SweepControl::default()
    }

    /// Combinations finished so far.
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Asks the sweep to stop; it then ends with [`crate::CoreError::Canceled`].
    pub fn cancel(&self) {
        self.canceled.store(true, Ordering::Relaxed);
    }

    /// Whether [`SweepControl::cancel`] was called.
    pub fn is_canceled(&self) -> bool {
        self.canceled.load(Ordering::Relaxed)
    }

    pub(super) fn finished_one(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
}
