//! The window of the last values every rolling block keeps.

/// The last `cap` values by position, oldest first, with a count of the NaNs among them.
#[derive(Debug, Clone)]
pub struct Ring {
    buf: Vec<f64>,
    head: usize,
    len: usize,
    nans: usize,
    infs: usize,
}

impl Ring {
    pub fn new(cap: usize) -> Self {
        Ring { buf: vec![0.0; cap.max(1)], head: 0, len: 0, nans: 0, infs: 0 }
    }

    /// Adds a value, dropping the oldest one when full.
    #[inline]
    pub fn push(&mut self, x: f64) {
        let cap = self.buf.len();
        if self.len == cap {
            let old = self.buf[self.head];
            if !old.is_finite() {
                if old.is_nan() {
                    self.nans -= 1;
                } else {
                    self.infs -= 1;
                }
            }
        } else {
            self.len += 1;
        }
        self.buf[self.head] = x;
        self.head += 1;
        if self.head == cap {
            self.head = 0;
        }
        if !x.is_finite() {
            if x.is_nan() {
                self.nans += 1;
            } else {
                self.infs += 1;
            }
        }
    }

    /// Whether the window is full and every value in it is finite: while values entering are
    /// finite too, a push only replaces the oldest value (the counts do not change).
    #[inline]
    pub fn steady(&self) -> bool {
        self.len == self.buf.len() && self.nans == 0 && self.infs == 0
    }

    /// In a steady window, replaces the oldest value with `x`, finite, and returns it: what
    /// `push` does there (the counts do not change). For loops that check `steady` first.
    #[inline(always)]
    pub fn swap_oldest(&mut self, x: f64) -> f64 {
        debug_assert!(self.steady() && x.is_finite());
        let old = std::mem::replace(&mut self.buf[self.head], x);
        self.head = if self.head + 1 == self.buf.len() { 0 } else { self.head + 1 };
        old
    }

    /// From `src[from]` on, while values are finite: each replaces the oldest one (a steady
    /// window stays steady) and `dst[i] = f(x, old)`. Returns the first index not done (a value
    /// that is not finite, or the end). The ring's position is kept in a local for the loop,
    /// which is where blocks with a steady state spend their time over a column.
    #[inline(always)]
    pub fn slide_finite(&mut self, src: &[f64], dst: &mut [f64], from: usize, mut f: impl FnMut(f64, f64) -> f64) -> usize {
        debug_assert!(self.steady());
        let n = src.len().min(dst.len());
        let (buf, mut head) = (&mut self.buf[..], self.head);
        let mut i = from;
        while i < n {
            let x = src[i];
            if !x.is_finite() {
                break;
            }
            let old = std::mem::replace(&mut buf[head], x);
            head = if head + 1 == buf.len() { 0 } else { head + 1 };
            dst[i] = f(x, old);
            i += 1;
        }
        self.head = head;
        i
    }

    /// Values held (at most `cap`).
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the window holds an infinity.
    #[inline]
    pub fn has_inf(&self) -> bool {
        self.infs > 0
    }

    /// The values held, in storage order (not oldest first): for order-free reductions.
    #[inline]
    pub fn slots(&self) -> &[f64] {
        &self.buf[..self.len]
    }

    /// Whether the window holds `cap` values and none of them is NaN.
    #[inline]
    pub fn ready(&self) -> bool {
        self.len == self.buf.len() && self.nans == 0
    }

    /// The value the next `push` drops (the oldest one), once the window is full.
    #[inline]
    pub fn leaving(&self) -> Option<f64> {
        (self.len == self.buf.len()).then(|| self.buf[self.head])
    }

    /// Values oldest first.
    pub fn iter(&self) -> impl Iterator<Item = f64> + '_ {
        let cap = self.buf.len();
        let start = (self.head + cap - self.len) % cap;
        // Two stretches of the buffer (no division per value).
        let first = &self.buf[start..(start + self.len).min(cap)];
        let second = &self.buf[..self.len - first.len()];
        first.iter().chain(second).copied()
    }

    /// The value `ago` positions back from the newest (0 = newest); NaN if not seen yet.
    #[inline]
    pub fn ago(&self, ago: usize) -> f64 {
        if ago >= self.len {
            return f64::NAN;
        }
        let cap = self.buf.len();
        // head < cap and ago < len <= cap: one conditional subtraction instead of a division.
        let i = self.head + cap - 1 - ago;
        self.buf[if i >= cap { i - cap } else { i }]
    }
}
