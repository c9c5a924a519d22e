use super::*;
use crate::series::resample::{resample, TimeFrame};

const MIN: f64 = 60_000.0;

/// Ticks every 20 s from 09:00:10, prices rising then falling, volume 1..
fn ticks(n: usize) -> Ohlcv {
    let mut o = Ohlcv::with_capacity(n);
    for i in 0..n {
        let p = 100.0 + (i as f64 * 1.7).sin() * 3.0;
        o.push(9.0 * 60.0 * MIN + 10_000.0 + i as f64 * 20_000.0, p, p + 0.5, p - 0.5, p + 0.1, (i + 1) as f64, i as f64);
    }
    o
}

fn spec(tf: TimeFrame, comp: u32) -> ResampleSpec<'static> {
    let mut s = ResampleSpec::new((TimeFrame::Ticks, 1), tf, comp);
    s.adjbartime = false;
    s
}

#[test]
fn bars_match_resampling_and_every_step_holds_the_bar_so_far() {
    let src = ticks(50);
    let sp = spec(TimeFrame::Minutes, 2);
    let rep = replay(&src.slices(), &sp).unwrap();
    let bars = resample(&src.slices(), &sp).unwrap();
    assert_eq!(rep.bars.close, bars.close);
    assert_eq!(rep.bars.datetime, bars.datetime);
    assert_eq!(rep.step_bar.len(), 50);
    assert_eq!(rep.steps.close.len(), 50);
    for s in 0..50 {
        let b = rep.step_bar[s] as usize;
        // The bar so far, recomputed from the rows of its bar up to this step.
        let first = rep.step_bar.iter().position(|&x| x as usize == b).unwrap();
        let rows = first..=s;
        assert_eq!(rep.steps.open[s], src.open[first]);
        assert_eq!(rep.steps.high[s], rows.clone().map(|i| src.high[i]).fold(f64::MIN, f64::max));
        assert_eq!(rep.steps.low[s], rows.clone().map(|i| src.low[i]).fold(f64::MAX, f64::min));
        assert_eq!(rep.steps.close[s], src.close[s]);
        assert_eq!(rep.steps.volume[s], rows.clone().map(|i| src.volume[i]).sum::<f64>());
        assert_eq!(rep.steps.datetime[s], src.datetime[s]);
        let last_of_bar = s + 1 == 50 || rep.step_bar[s + 1] as usize != b;
        if last_of_bar {
            assert_eq!(rep.steps.close[s], rep.bars.close[b]);
            assert_eq!(rep.steps.high[s], rep.bars.high[b]);
            assert_eq!(rep.steps.volume[s], rep.bars.volume[b]);
        }
    }
    // Bars only move forward, one at a time.
    assert!(rep.step_bar.windows(2).all(|w| w[1] == w[0] || w[1] == w[0] + 1));
}

#[test]
fn a_tick_on_the_boundary_completes_its_bar() {
    // 09:00:30, 09:01:00 (on the edge of a 1-minute bar with the right edge), 09:01:30.
    let mut src = Ohlcv::with_capacity(3);
    for (k, t) in [30_000.0, 60_000.0, 90_000.0].iter().enumerate() {
        let p = 10.0 + k as f64;
        src.push(9.0 * 60.0 * MIN + t, p, p, p, p, 1.0, 0.0);
    }
    let rep = replay(&src.slices(), &spec(TimeFrame::Minutes, 1)).unwrap();
    assert_eq!(rep.step_bar, vec![0, 0, 1]);
    assert_eq!(rep.bars.close, vec![11.0, 12.0]);
}

#[test]
fn adjusting_bar_times_is_refused() {
    let src = ticks(3);
    let sp = ResampleSpec::new((TimeFrame::Ticks, 1), TimeFrame::Minutes, 1);
    let err = replay(&src.slices(), &sp).unwrap_err();
    assert!(err.to_string().contains("adjbartime"), "{err}");
}
