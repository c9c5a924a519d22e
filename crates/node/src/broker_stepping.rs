//! How the broker class steps: taking queued orders, processing a bar, and handing
//! notifications and state back to the engine through the buffers it shares.

use crate::broker::{NativeBroker, STATE_HEADER_SIZE};
use crate::broker_prices::{step_with_books, views};
use crate::broker_queue;
use crate::errors::invalid;

impl NativeBroker {
    /// `step` writing into the bound events buffer (see `brokerStep`).
    pub(crate) fn step_bound(&mut self, bar: u32) -> napi::Result<u32> {
        self.step_core(bar)?;
        self.take_bound()
    }

    /// `step_cursors` writing into the bound events buffer (see `brokerStepCursors`).
    pub(crate) fn step_cursors_bound(&mut self) -> napi::Result<u32> {
        self.step_cursors_core()?;
        self.take_bound()
    }

    /// Takes queued orders, then processes bar `bar` of every data. The orders are submitted
    /// against the same price views the step uses (submitting reads no bar position), and the
    /// state is written once, by `take_into`: on a bar with an order this is most of what the
    /// call does besides the broker's own work.
    pub(crate) fn step_core(&mut self, bar: u32) -> napi::Result<()> {
        let views = views(&self.datas, Some(bar as usize))?;
        if let Some(queue) = self.submissions.as_mut() {
            // SAFETY: the engine's buffer; it writes it only between calls into the broker.
            let q = unsafe { queue.as_mut() };
            if q.first().copied().unwrap_or(0.0) != 0.0 {
                broker_queue::drain(q, &mut self.core, &views)?;
            }
        }
        step_with_books(&mut self.core, &views, &self.books);
        Ok(())
    }

    /// Takes queued orders, then processes each data at the bar the cursor buffer gives.
    pub(crate) fn step_cursors_core(&mut self) -> napi::Result<()> {
        self.drain_queue()?;
        let cursors = self.cursors.as_ref().ok_or_else(|| invalid("no cursor buffer bound"))?;
        let c: &[f64] = cursors;
        let mut views = views(&self.datas, None)?;
        for (d, v) in views.iter_mut().enumerate() {
            let at = c.get(2 * d).copied().unwrap_or(-1.0);
            if at >= 0.0 && (at as usize) < v.close.len() {
                v.at = Some(at as usize);
                v.fresh = c.get(2 * d + 1).copied().unwrap_or(0.0) != 0.0;
            } else {
                v.at = None;
                v.fresh = false;
            }
        }
        step_with_books(&mut self.core, &views, &self.books);
        Ok(())
    }

    fn take_bound(&mut self) -> napi::Result<u32> {
        let mut out = self.events_out.take().ok_or_else(|| invalid("no events buffer bound"))?;
        // SAFETY: the engine's buffer; it reads it only after this call returns.
        let n = self.take_into(unsafe { out.as_mut() });
        self.events_out = Some(out);
        Ok(n)
    }

    /// Copies notification records (the broker wrote them as they happened) into `out`, oldest
    /// first, while they fit; the rest stay queued. Writes the state.
    pub(crate) fn take_into(&mut self, out: &mut [f64]) -> u32 {
        let n = self.core.take_records(out);
        self.write_state();
        n as u32
    }

    /// Submits the orders the engine queued (see `broker_queue`).
    pub(crate) fn drain_queue(&mut self) -> napi::Result<()> {
        let Some(queue) = self.submissions.as_mut() else { return Ok(()) };
        // SAFETY: the engine's buffer; it writes it only between calls into the broker.
        let q = unsafe { queue.as_mut() };
        if q.first().copied().unwrap_or(0.0) == 0.0 {
            return Ok(());
        }
        let views = views(&self.datas, None)?;
        let done = broker_queue::drain(q, &mut self.core, &views);
        drop(views);
        self.write_state();
        done
    }

    pub(crate) fn write_state(&mut self) {
        let Some(state) = self.state.as_mut() else { return };
        // SAFETY: the engine owns this buffer and only reads it between calls into the broker.
        let s = unsafe { state.as_mut() };
        let header = STATE_HEADER_SIZE as usize;
        if s.len() < header {
            return;
        }
        s[0] = self.core.cash();
        s[1] = self.core.open_order_count() as f64;
        s[2] = self.core.pending_event_count() as f64;
        s[3] = f64::from(u8::from(self.core.needs_every_bar()));
        s[4] = self.core.fund_shares();
        s[5] = self.core.fund_value();
        for (d, p) in self.core.positions().iter().enumerate() {
            let at = header + 2 * d;
            if at + 1 < s.len() {
                s[at] = p.size;
                s[at + 1] = p.price;
            }
        }
    }
}
