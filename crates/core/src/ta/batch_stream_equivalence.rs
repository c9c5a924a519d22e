//! Property: for every registered indicator, batch and streaming give the same numbers on
//! random series with NaN gaps (bit for bit; NaN where the other has NaN).
//!
//! Inputs named after bar columns get a consistent random bar (`low <= open, close <= high`,
//! volume >= 0); other inputs get independent random lines. Whole-number parameters take the
//! drawn period (raised to their minimum), `movav` a drawn moving average.

use super::movav::MaKind;
use super::registry::registry;
use super::spec::{IndicatorSpec, ParamKind, ParamValue};
use proptest::prelude::*;

fn series_strategy() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![9 => (1.0f64..1000.0).prop_map(|x| (x * 100.0).round() / 100.0), 1 => Just(f64::NAN)],
        0..300,
    )
}

/// The columns of a random bar series built from two random lines.
#[derive(Clone)]
struct Bars {
    close: Vec<f64>,
    other: Vec<f64>,
    open: Vec<f64>,
    high: Vec<f64>,
    low: Vec<f64>,
    volume: Vec<f64>,
    /// Three hours apart, so that sessions hold eight bars.
    datetime: Vec<f64>,
}

impl Bars {
    fn new(a: &[f64], b_seed: &[f64]) -> Self {
        let n = a.len();
        let other: Vec<f64> = (0..n).map(|i| b_seed.get(i).copied().unwrap_or(500.0)).collect();
        // A spread in [0, 10) derived from the second line, so bars have distinct shapes.
        let spread = |i: usize, k: f64| {
            let s = other[i];
            if s.is_nan() { 1.0 } else { ((s * k).rem_euclid(10.0) * 100.0).round() / 100.0 }
        };
        let open: Vec<f64> = (0..n).map(|i| a[i] + spread(i, 7.0) - 5.0).collect();
        let high: Vec<f64> = (0..n).map(|i| a[i].max(open[i]) + spread(i, 3.0)).collect();
        let low: Vec<f64> = (0..n).map(|i| a[i].min(open[i]) - spread(i, 5.0)).collect();
        let volume: Vec<f64> = (0..n).map(|i| if a[i].is_nan() { f64::NAN } else { spread(i, 11.0) * 100.0 }).collect();
        let datetime: Vec<f64> = (0..n).map(|i| 946_684_800_000.0 + i as f64 * 10_800_000.0).collect();
        Bars { close: a.to_vec(), other, open, high, low, volume, datetime }
    }

    fn inputs(&self, spec: &IndicatorSpec) -> Vec<&[f64]> {
        spec.inputs
            .iter()
            .enumerate()
            .map(|(k, name)| match *name {
                "open" => &self.open[..],
                "high" => &self.high[..],
                "low" => &self.low[..],
                "volume" => &self.volume[..],
                "datetime" => &self.datetime[..],
                "close" => &self.close[..],
                _ if k == 0 => &self.close[..],
                _ => &self.other[..],
            })
            .collect()
    }
}

/// What a recycled output column holds before a batch form writes it.
const STALE: f64 = -7.25e300;

/// Every registered indicator over `bars`, batch against streaming: the first difference.
fn compare(bars: &Bars, period: usize, ma: usize) -> Result<(), String> {
    let n = bars.close.len();
    let ma_name = MaKind::from_index(ma).name();
    let weights: Vec<f64> = (0..period).map(|k| (k % 5) as f64 - 1.5).collect();
    for spec in registry() {
        let given: Vec<(&str, ParamValue)> = spec.params.iter()
            .filter_map(|p| match p.kind {
                ParamKind::Integer => Some((p.name, ParamValue::Number((period as f64).max(p.min)))),
                ParamKind::MovAv => Some((p.name, ParamValue::Name(ma_name))),
                ParamKind::List => Some((p.name, ParamValue::List(&weights))),
                _ => None,
            })
            .collect();
        let params = spec.params_from(given).unwrap();
        let inputs = bars.inputs(spec);
        // Output columns start full of a value no indicator gives: batch forms write every
        // bar (sweeps hand them recycled columns), so none of it may be left.
        let mut outs: Vec<Vec<f64>> = vec![vec![STALE; n]; spec.lines.len()];
        {
            let mut views: Vec<&mut [f64]> = outs.iter_mut().map(|v| &mut v[..]).collect();
            spec.run_batch(&params, &inputs, &mut views).unwrap();
        }
        let mut stream = (spec.stream)(&params);
        let mut row_in = vec![0.0; inputs.len()];
        let mut row_out = vec![0.0; spec.lines.len()];
        for i in 0..n {
            for (k, col) in inputs.iter().enumerate() { row_in[k] = col[i]; }
            stream.update(&row_in, &mut row_out);
            for (j, line) in outs.iter().enumerate() {
                // A line the stream reports `delay` bars late is compared with its own bar.
                let delay = (spec.delay)(&params, j);
                if i < delay { continue; }
                let (x, y) = (line[i - delay], row_out[j]);
                if !(x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())) {
                    return Err(format!("{} (period {period}, {ma_name}) line {} bar {}: batch {} stream {}",
                        spec.name, spec.lines[j], i, x, y));
                }
            }
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn batch_equals_streaming(a in series_strategy(), b_seed in series_strategy(), period in 1usize..40, ma in 0usize..11) {
        let bars = Bars::new(&a, &b_seed);
        if let Err(e) = compare(&bars, period, ma) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Long series, so that the batch forms run many chunks (`steps::CHUNK`) in their steady
/// state, with a NaN now and then and a stretch of them.
#[test]
fn batch_equals_streaming_over_many_chunks() {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let n = 2500;
    let (mut a, mut b) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut price = 500.0f64;
    for i in 0..n {
        price = (price + (next() - 0.5) * 4.0).max(1.0);
        let gap = i % 701 == 700 || (1200..1230).contains(&i);
        a.push(if gap { f64::NAN } else { (price * 100.0).round() / 100.0 });
        b.push((next() * 1000.0 * 100.0).round() / 100.0);
    }
    let bars = Bars::new(&a, &b);
    for period in [2, 14, 30] {
        for ma in 0..11 {
            if let Err(e) = compare(&bars, period, ma) {
                panic!("{e}");
            }
        }
    }
}
