//! A rolling sum that stays exact enough to reproduce `math.fsum` (backtrader's SMA) bit for
//! bit in practice, at O(1) per bar.
//!
//! Plain `sum += new; sum -= old` drifts after millions of bars; recomputing each window is
//! O(period). We keep the running sum plus a Neumaier compensation term that collects the exact
//! rounding error of every addition (TwoSum), so `sum + comp` is the window's sum to about
//! twice the working precision, and rounds to the correctly rounded sum that `fsum` returns.

/// Rolling sum with error compensation.
#[derive(Debug, Clone, Copy, Default)]
pub struct RollingSum {
    sum: f64,
    comp: f64,
}

/// Knuth's TwoSum: `a + b` rounded, and the exact error of that rounding (`s + err == a + b`
/// exactly, for finite values).
#[inline(always)]
pub fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bp = s - a;
    (s, (a - (s - bp)) + (b - bp))
}

/// Whole numbers below this have at most 26 significant bits (see [`two_product_small`]).
const SMALL_WHOLE: f64 = 67_108_864.0; // 2^26

/// Dekker's product: `a * b` rounded and the exact error of that rounding, for `a` a whole
/// number below 2^26 and `|b| <= 1e290`. The same pair as `(p, a.mul_add(b, -p))`, but inline:
/// for a target without FMA instructions (the default x86-64), `mul_add` is a call to the C
/// library's `fma`. `b` is split into two halves of at most 26 bits (Veltkamp); `a` needs no
/// split, so each partial product is exact and so is the error (Dekker 1971).
#[inline(always)]
pub fn two_product_small(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    let c = 134_217_729.0 * b; // 2^27 + 1
    let hi = c - (c - b);
    let lo = b - hi;
    (p, (a * hi - p) + a * lo)
}

impl RollingSum {
    #[inline]
    fn two_sum_into(&mut self, x: f64) {
        let (s, err) = two_sum(self.sum, x);
        self.sum = s;
        self.comp += err;
    }

    /// Adds a value to the window.
    #[inline]
    pub fn add(&mut self, x: f64) {
        self.two_sum_into(x);
    }

    /// Removes a value that was added earlier.
    #[inline]
    pub fn remove(&mut self, x: f64) {
        self.two_sum_into(-x);
    }

    /// Adds `hi + lo`, a value given exactly as two parts (as [`two_sum`] gives a difference):
    /// one step of the running sum for a value that enters and one that leaves the window,
    /// where `add` then `remove` take two. While the sum is at least as large as `hi` (a window
    /// of prices against the change between two of them), the error of the step comes from
    /// Fast2Sum, three operations where TwoSum takes six; both give it exactly, so the result
    /// is the same either way.
    #[inline(always)]
    pub fn add_exact(&mut self, hi: f64, lo: f64) {
        let (s, err) = if self.sum.abs() >= hi.abs() {
            let s = self.sum + hi;
            (s, hi - (s - self.sum))
        } else {
            two_sum(self.sum, hi)
        };
        self.sum = s;
        self.comp += err + lo;
    }

    /// Adds the exact product `w * x` (its rounding error is kept in the compensation), for
    /// `w` a whole number (a weight).
    #[inline]
    pub fn add_weighted(&mut self, w: f64, x: f64) {
        let (p, err) = if w.abs() < SMALL_WHOLE && x.abs() <= 1e290 {
            two_product_small(w, x)
        } else {
            let p = w * x;
            (p, w.mul_add(x, -p))
        };
        self.two_sum_into(p);
        self.comp += err;
    }

    /// Subtracts the current value of another compensated sum (both of its parts).
    #[inline]
    pub fn remove_sum(&mut self, other: &RollingSum) {
        self.two_sum_into(-other.sum);
        self.comp -= other.comp;
    }

    /// The current sum, rounded once.
    #[inline]
    pub fn value(&self) -> f64 {
        self.sum + self.comp
    }

    pub fn reset(&mut self) {
        *self = RollingSum::default();
    }
}

/// Correctly rounded sum of `xs` (Shewchuk's algorithm, the one behind Python's `math.fsum`),
/// reusing `partials` as scratch space so that a caller on a hot path allocates only once.
/// A NaN anywhere gives NaN.
pub fn fsum_with(partials: &mut Vec<f64>, xs: impl IntoIterator<Item = f64>) -> f64 {
    partials.clear();
    for x0 in xs {
        if x0.is_nan() {
            return f64::NAN;
        }
        let mut x = x0;
        let mut i = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        partials.truncate(i);
        partials.push(x);
    }
    round_partials(partials)
}

/// Rounds Shewchuk partials to one double, with the half-way correction `fsum` applies.
fn round_partials(partials: &[f64]) -> f64 {
    let mut n = partials.len();
    if n == 0 {
        return 0.0;
    }
    n -= 1;
    let mut hi = partials[n];
    let mut lo = 0.0;
    while n > 0 {
        let x = hi;
        n -= 1;
        let y = partials[n];
        hi = x + y;
        let yr = hi - x;
        lo = y - yr;
        if lo != 0.0 {
            break;
        }
    }
    if n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0)) {
        let y = lo * 2.0;
        let x = hi + y;
        let yr = x - hi;
        if y == yr {
            hi = x;
        }
    }
    hi
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_products_have_the_error_of_a_fused_multiply_add() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for i in 0..1_000_000u64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let a = [1.0, 2.0, 3.0, 30.0, 200.0, 67_108_863.0][(i % 6) as usize] + (seed % 1000) as f64 * (i % 2) as f64;
            let b = f64::from_bits(seed % 0x7e00_0000_0000_0000) * if seed & 1 == 0 { 1.0 } else { -1.0 };
            let b = if i % 3 == 0 { (b.fract() * 1e6).round() / 100.0 } else { b };
            let (p, err) = two_product_small(a, b);
            assert_eq!(p.to_bits(), (a * b).to_bits());
            let expected = a.mul_add(b, -p);
            assert!(err.to_bits() == expected.to_bits() || (err == 0.0 && expected == 0.0), "{a} * {b:e}: {err:e} vs {expected:e}");
        }
    }

    fn fsum(xs: &[f64]) -> f64 {
        fsum_with(&mut Vec::new(), xs.iter().copied())
    }

    #[test]
    fn matches_fsum_over_long_random_walks() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut price = 3600.0;
        let xs: Vec<f64> = (0..200_000)
            .map(|_| {
                price *= 1.0 + (next() - 0.5) * 0.02;
                (price * 100.0).round() / 100.0
            })
            .collect();
        let period = 30;
        let mut acc = RollingSum::default();
        let mut mismatches = 0;
        for i in 0..xs.len() {
            acc.add(xs[i]);
            if i >= period {
                acc.remove(xs[i - period]);
            }
            if i + 1 >= period {
                let exact = fsum(&xs[i + 1 - period..=i]);
                if acc.value() != exact {
                    mismatches += 1;
                }
            }
        }
        assert_eq!(mismatches, 0);
    }

    #[test]
    fn a_window_moved_by_its_exact_change_matches_fsum() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        // Prices in cents, then values of both signs around zero (where the change is larger
        // than the sum and TwoSum is needed).
        let mut price = 3600.0;
        let mut xs: Vec<f64> = (0..100_000)
            .map(|_| {
                price *= 1.0 + (next() - 0.5) * 0.02;
                (price * 100.0).round() / 100.0
            })
            .collect();
        xs.extend((0..100_000).map(|_| ((next() - 0.5) * 1e4).round() / 100.0));
        for period in [2, 30, 200] {
            let mut acc = RollingSum::default();
            let mut mismatches = 0;
            for i in 0..xs.len() {
                if i >= period {
                    let (d, err) = two_sum(xs[i], -xs[i - period]);
                    acc.add_exact(d, err);
                } else {
                    acc.add(xs[i]);
                }
                if i + 1 >= period && acc.value() != fsum(&xs[i + 1 - period..=i]) {
                    mismatches += 1;
                }
            }
            assert_eq!(mismatches, 0, "period {period}");
        }
    }
}
