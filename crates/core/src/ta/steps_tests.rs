use super::*;

/// Prices with two decimals, a NaN now and then and, with `inf`, an infinity now and then.
fn series(n: usize, seed: u64, inf: bool) -> Vec<f64> {
    let mut s = seed | 1;
    let mut price = 3600.0;
    (0..n)
        .map(|_| {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let u = (s >> 11) as f64 / (1u64 << 53) as f64;
            if u < 0.01 {
                return f64::NAN;
            }
            if inf && u > 0.995 {
                return f64::INFINITY;
            }
            // Coarse steps give ties for the extremes.
            price = (price + ((u * 20.0).floor() - 10.0) * 0.25).max(1.0);
            (price * 100.0).round() / 100.0
        })
        .collect()
}

fn window(xs: &[f64], i: usize, period: usize) -> Option<&[f64]> {
    (i + 1 >= period).then(|| &xs[i + 1 - period..=i]).filter(|w| w.iter().all(|v| !v.is_nan()))
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[test]
fn sumn_and_wma_match_fsum_of_the_window() {
    for (seed, inf) in [(1, false), (7, true)] {
        let xs = series(20_000, seed, inf);
        for period in [1, 2, 5, 30] {
            let (mut sum, mut wma) = (SumN::new(period), Wma::new(period));
            let coef = 2.0 / (period as f64 * (period as f64 + 1.0));
            let mut scratch = Vec::new();
            for (i, &x) in xs.iter().enumerate() {
                let (s, w) = (sum.step(x), wma.step(x));
                match window(&xs, i, period) {
                    None => assert!(s.is_nan() && w.is_nan(), "bar {i}"),
                    Some(win) => {
                        let es = fsum_with(&mut scratch, win.iter().copied());
                        assert!(same(s, es), "sum bar {i} period {period}: {s} vs {es}");
                        let ew = coef
                            * fsum_with(&mut scratch, win.iter().enumerate().map(|(j, v)| v * (j + 1) as f64));
                        let ok = same(w, ew) || ((w - ew) / ew).abs() < 1e-14;
                        assert!(ok, "wma bar {i} period {period}: {w} vs {ew}");
                    }
                }
            }
        }
    }
}

/// `run` and `run_in_place` over columns cut at uneven places give what `step` gives.
fn check_stage<S: Stage + Clone>(name: &str, make: impl Fn() -> S) {
    for (seed, inf) in [(5, false), (13, true)] {
        let xs = series(3000, seed, inf);
        let mut stepped = make();
        let expected: Vec<f64> = xs.iter().map(|&x| stepped.step(x)).collect();
        for cut in [1, 7, 256, 1000, 3000] {
            let (mut by_run, mut in_place) = (make(), make());
            let mut got = vec![0.0; xs.len()];
            let mut buf = xs.clone();
            for start in (0..xs.len()).step_by(cut) {
                let end = (start + cut).min(xs.len());
                by_run.run(&xs[start..end], &mut got[start..end]);
                in_place.run_in_place(&mut buf[start..end]);
            }
            for (i, (&e, (&g, &b))) in expected.iter().zip(got.iter().zip(&buf)).enumerate() {
                assert!(same(e, g) && same(e, b), "{name} cut {cut} bar {i}: step {e} run {g} in place {b}");
            }
        }
    }
}

#[test]
fn column_runs_match_steps() {
    use super::super::movav::{MaKind, MovingAverage};
    for period in [1, 2, 5, 30] {
        check_stage("Delay", || Delay::new(period - 1));
        check_stage("SumN", || SumN::new(period));
        check_stage("ExpSmooth", || ExpSmooth::ema(period));
        check_stage("Wma", || Wma::new(period));
        for kind in (0..11).map(MaKind::from_index) {
            check_stage(kind.name(), || MovingAverage::new(kind, period.max(2)));
        }
    }
}

#[test]
fn extremes_match_a_scan_of_the_window() {
    for (seed, inf) in [(3, false), (11, true)] {
        let mut xs = series(20_000, seed, inf);
        for (k, x) in xs.iter_mut().enumerate() {
            if k % 97 == 0 && !x.is_nan() {
                *x = if k % 2 == 0 { 0.0 } else { -0.0 };
            }
        }
        for period in [1, 2, 3, 14, 52] {
            for highest in [true, false] {
                let mut e = Extreme::new(period, highest).with_places();
                for (i, &x) in xs.iter().enumerate() {
                    e.push(x);
                    let (v, first, last) = (e.value(), e.first_index(), e.last_index());
                    match window(&xs, i, period) {
                        None => assert!(v.is_nan() && first.is_nan() && last.is_nan()),
                        Some(win) => {
                            let m = win[1..].iter().fold(win[0], |m, &v| {
                                if (highest && v > m) || (!highest && v < m) { v } else { m }
                            });
                            let f = (0..period).find(|&k| win[period - 1 - k] == m).unwrap() as f64;
                            let l = (0..period).rev().find(|&k| win[period - 1 - k] == m).unwrap() as f64;
                            assert!(same(v, m), "bar {i} period {period}: {v} vs {m}");
                            assert_eq!((first, last), (f, l), "bar {i} period {period}");
                        }
                    }
                }
            }
        }
    }
}
