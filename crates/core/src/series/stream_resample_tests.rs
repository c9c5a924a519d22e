use super::*;
use crate::series::resample::{resample, TimeFrame};
use proptest::prelude::*;

const T0: f64 = 1_704_186_000_000.0; // 2024-01-02 09:00:00

/// Trades as one-price source bars (open interest 0, as a trade stream has none).
fn batch(spec: &ResampleSpec, t: &[f64], p: &[f64], v: &[f64]) -> Ohlcv {
    let oi = vec![0.0; t.len()];
    resample(&OhlcvSlices { datetime: t, open: p, high: p, low: p, close: p, volume: v, openinterest: &oi }, spec).unwrap()
}

fn same_bits(a: &Ohlcv, b: &Ohlcv) -> bool {
    let cols = |o: &Ohlcv| [o.datetime.clone(), o.open.clone(), o.high.clone(), o.low.clone(), o.close.clone(), o.volume.clone(), o.openinterest.clone()];
    cols(a).iter().zip(cols(b).iter()).all(|(x, y)| x.len() == y.len() && x.iter().zip(y).all(|(u, w)| u.to_bits() == w.to_bits()))
}

fn spec_of(tf: u8, comp: u32, boundoff: i64, ends: Option<&[f64]>) -> ResampleSpec<'_> {
    let tf = [TimeFrame::Seconds, TimeFrame::Minutes, TimeFrame::Days, TimeFrame::Ticks][tf as usize % 4];
    let mut s = ResampleSpec::new((TimeFrame::Ticks, 1), tf, comp);
    s.boundoff = if tf == TimeFrame::Ticks { 0 } else { boundoff };
    if let Some(e) = ends {
        s.sessions = SessionEnds::List(e);
    }
    s
}

/// Random trades: gaps from 0 ms (same millisecond) to two hours, prices and sizes.
fn trades() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<f64>)> {
    prop::collection::vec((prop_oneof![Just(0u32), 1u32..2_000, 1_000u32..400_000, 3_600_000u32..7_200_000], 1u32..10_000, 0u32..50), 1..400).prop_map(|rows| {
        let mut t = T0;
        let (mut ts, mut ps, mut vs) = (vec![], vec![], vec![]);
        for (gap, p, v) in rows {
            t += gap as f64;
            ts.push(t);
            ps.push(p as f64 / 100.0);
            vs.push(v as f64);
        }
        (ts, ps, vs)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Pushed one by one or in chunks of any size, trades give the batch resampler's bars bit for bit.
    #[test]
    fn streamed_bars_equal_the_batch_bars((t, p, v) in trades(), tf in 0u8..4, comp in 1u32..8, boundoff in 0i64..3, chunk in 1usize..50, calendar in any::<bool>()) {
        // A calendar: sessions ending 16:00 and 12:00 (a lunch break) each day.
        let ends: Vec<f64> = (0..30).flat_map(|d| [T0 + d as f64 * 86_400_000.0 + 3.0 * 3_600_000.0, T0 + d as f64 * 86_400_000.0 + 7.0 * 3_600_000.0]).collect();
        let spec = spec_of(tf, comp, boundoff, calendar.then_some(&ends[..]));
        let want = batch(&spec, &t, &p, &v);

        let mut one = StreamResampler::new(&spec).unwrap();
        for i in 0..t.len() {
            one.push(t[i], p[i], v[i]).unwrap();
        }
        one.finish();
        prop_assert!(same_bits(one.completed(), &want), "one by one: {:?} vs {:?}", one.completed().datetime, want.datetime);

        let mut many = StreamResampler::new(&spec).unwrap();
        let mut got = Ohlcv::default();
        for at in (0..t.len()).step_by(chunk) {
            let to = (at + chunk).min(t.len());
            many.push_many(&t[at..to], &p[at..to], &v[at..to]).unwrap();
            let b = many.take_completed();
            for k in 0..b.len() {
                got.push(b.datetime[k], b.open[k], b.high[k], b.low[k], b.close[k], b.volume[k], b.openinterest[k]);
            }
        }
        many.finish();
        let b = many.take_completed();
        for k in 0..b.len() {
            got.push(b.datetime[k], b.open[k], b.high[k], b.low[k], b.close[k], b.volume[k], b.openinterest[k]);
        }
        prop_assert!(same_bits(&got, &want));
    }

    /// A trade before the open bar's end (and no earlier than the last trade) completes no bar,
    /// with or without a calendar: what lets a caller hold such trades and push them later.
    #[test]
    fn a_trade_before_the_open_bar_end_completes_no_bar((t, p, v) in trades(), tf in 0u8..4, comp in 1u32..8, boundoff in 0i64..3, calendar in any::<bool>(), snap in prop_oneof![Just(1.0), Just(60_000.0), Just(3_600_000.0)]) {
        // Times on whole minutes or hours too: trades exactly on edges, session ends and midnights.
        let t: Vec<f64> = t.iter().map(|x| (x / snap).floor() * snap).collect();
        let ends: Vec<f64> = (0..30).flat_map(|d| [T0 + d as f64 * 86_400_000.0 + 3.0 * 3_600_000.0, T0 + d as f64 * 86_400_000.0 + 7.0 * 3_600_000.0]).collect();
        let spec = spec_of(tf, comp, boundoff, calendar.then_some(&ends[..]));
        let mut s = StreamResampler::new(&spec).unwrap();
        let mut quiet = None;
        for i in 0..t.len() {
            let done = s.push(t[i], p[i], v[i]).unwrap();
            if let Some(q) = quiet {
                if t[i] < q {
                    prop_assert_eq!(done, 0, "trade at {} before {} completed a bar", t[i], q);
                    // The bound stays: an instant read before held trades are pushed is
                    // still the bound after.
                    prop_assert_eq!(s.quiet_until(), Some(q));
                }
            }
            quiet = s.quiet_until();
        }
        // Asking changes nothing: the bars are the batch's.
        s.finish();
        prop_assert!(same_bits(s.completed(), &batch(&spec, &t, &p, &v)));
    }

    /// A bar the clock closes (no trade came) is the bar the next trade would have closed.
    #[test]
    fn a_bar_closed_by_the_clock_is_the_one_the_next_trade_closes((t, p, v) in trades(), tf in 0u8..3, comp in 1u32..8, at in 0.0f64..1.0) {
        // Trades within one session and off every edge: the batch stamps a session's last bar
        // with the session end, and lets a trade exactly on an edge join the bar before it,
        // neither of which a clock can foresee before the next trade arrives.
        let span = (t[t.len() - 1] - T0).max(1.0);
        let t: Vec<f64> = t
            .iter()
            .map(|x| T0 + ((x - T0) * (14.0 * 3_600_000.0 / span)).floor())
            .map(|x| (x / 1000.0).floor() * 1000.0 + 1.0 + ((x % 1000.0) * 0.998).floor())
            .collect();
        let spec = spec_of(tf, comp, 0, None);
        let want = batch(&spec, &t, &p, &v);
        let mut s = StreamResampler::new(&spec).unwrap();
        for i in 0..t.len() {
            s.push(t[i], p[i], v[i]).unwrap();
            if i + 1 < t.len() {
                // The clock somewhere before the next trade.
                let now = t[i] + (t[i + 1] - t[i]) * at;
                if let Some(end) = s.open_bar_end() {
                    prop_assert!(end >= t[i]);
                }
                s.flush_due(now);
            }
        }
        s.finish();
        prop_assert!(same_bits(s.completed(), &want), "{:?} vs {:?}", s.completed().datetime, want.datetime);
    }
}

#[test]
fn refuses_bad_trades_and_pushes_after_finish() {
    let spec = ResampleSpec::new((TimeFrame::Ticks, 1), TimeFrame::Minutes, 1);
    let mut s = StreamResampler::new(&spec).unwrap();
    assert!(s.push(f64::NAN, 1.0, 1.0).is_err());
    assert!(s.push(T0, f64::INFINITY, 1.0).is_err());
    assert!(s.push(T0, 1.0, -1.0).is_err());
    assert_eq!(s.push(T0 + 1.0, 1.0, 1.0).unwrap(), 0);
    assert!(s.finish());
    assert!(s.push(T0 + 2.0, 1.0, 1.0).is_err());
    assert!(s.extend_sessions(&[T0]).is_err());
}

#[test]
fn extended_session_ends_cut_bars_as_a_full_list_does() {
    let ends: Vec<f64> = (0..10).map(|d| T0 + d as f64 * 86_400_000.0 + 3_600_000.0 * 7.0).collect();
    let t: Vec<f64> = (0..2_000).map(|i| T0 + i as f64 * 211_111.0).collect();
    let p: Vec<f64> = (0..2_000).map(|i| 100.0 + (i % 17) as f64).collect();
    let v = vec![1.0; 2_000];
    let full = ResampleSpec { sessions: SessionEnds::List(&ends), ..ResampleSpec::new((TimeFrame::Ticks, 1), TimeFrame::Minutes, 30) };
    let want = batch(&full, &t, &p, &v);
    let first = ResampleSpec { sessions: SessionEnds::List(&ends[..2]), ..full.clone() };
    let mut s = StreamResampler::new(&first).unwrap();
    let mut held = 2;
    for i in 0..t.len() {
        // Extend a day ahead of the last end held, as the TypeScript side does.
        if held < ends.len() && t[i] + 86_400_000.0 > ends[held - 1] {
            s.extend_sessions(&ends[held - 1..held + 1]).unwrap();
            held += 1;
        }
        s.push(t[i], p[i], v[i]).unwrap();
    }
    s.finish();
    assert!(same_bits(s.completed(), &want));
}

