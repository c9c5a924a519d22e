use super::*;
use crate::series::resampler::{iso_year_week, year_month};
use crate::series::csv::{format_datetime_ms, parse_iso_ms};

fn t(s: &str) -> f64 {
    parse_iso_ms(s).unwrap_or_else(|| panic!("bad time {s}"))
}

/// Ticks (time, price, volume) as one-price bars.
fn ticks(rows: &[(&str, f64, f64)]) -> Ohlcv {
    let mut o = Ohlcv::default();
    for &(s, p, v) in rows {
        o.push(t(s), p, p, p, p, v, 0.0);
    }
    o
}

fn times(o: &Ohlcv) -> Vec<String> {
    o.datetime.iter().map(|&d| format_datetime_ms(d)).collect()
}

fn minutes(comp: u32) -> ResampleSpec<'static> {
    ResampleSpec::new((TimeFrame::Ticks, 1), TimeFrame::Minutes, comp)
}

#[test]
fn ticks_to_one_minute_bars_aggregate_ohlcv_and_stamp_the_right_edge() {
    let src = ticks(&[
        ("2024-01-02 09:30:01", 10.0, 1.0),
        ("2024-01-02 09:30:20", 12.0, 2.0),
        ("2024-01-02 09:30:40", 9.0, 3.0),
        ("2024-01-02 09:30:59", 11.0, 4.0),
        ("2024-01-02 09:31:05", 11.5, 5.0),
        ("2024-01-02 09:33:10", 13.0, 6.0),
    ]);
    let out = resample(&src.slices(), &minutes(1)).unwrap();
    assert_eq!(times(&out), ["2024-01-02T09:31:00", "2024-01-02T09:32:00", "2024-01-02T09:34:00"]);
    assert_eq!(out.open, [10.0, 11.5, 13.0]);
    assert_eq!(out.high, [12.0, 11.5, 13.0]);
    assert_eq!(out.low, [9.0, 11.5, 13.0]);
    assert_eq!(out.close, [11.0, 11.5, 13.0]);
    assert_eq!(out.volume, [10.0, 5.0, 6.0]);
}

#[test]
fn a_tick_exactly_on_the_boundary_closes_the_bar_it_ends() {
    let src = ticks(&[
        ("2024-01-02 09:31:00.500", 1.0, 1.0),
        ("2024-01-02 09:35:00", 2.0, 1.0),
        ("2024-01-02 09:35:00.001", 3.0, 1.0),
    ]);
    let out = resample(&src.slices(), &minutes(5)).unwrap();
    assert_eq!(times(&out), ["2024-01-02T09:35:00", "2024-01-02T09:40:00"]);
    assert_eq!(out.close, [2.0, 3.0]);
}

#[test]
fn left_edge_and_unadjusted_stamps() {
    let src = ticks(&[("2024-01-02 09:31:10", 1.0, 1.0), ("2024-01-02 09:36:10", 2.0, 1.0)]);
    let mut spec = minutes(5);
    spec.rightedge = false;
    // As backtrader: a bar closed by a later tick is only ever moved forward in time, so the left
    // edge applies to the last bar alone (and to bars closed by a tick on the boundary).
    assert_eq!(times(&resample(&src.slices(), &spec).unwrap()), ["2024-01-02T09:31:10", "2024-01-02T09:35:00"]);
    spec.adjbartime = false;
    assert_eq!(times(&resample(&src.slices(), &spec).unwrap()), ["2024-01-02T09:31:10", "2024-01-02T09:36:10"]);
}

#[test]
fn without_bar2edge_compression_counts_period_changes() {
    let src = ticks(&[
        ("2024-01-02 09:31:10", 1.0, 1.0),
        ("2024-01-02 09:32:10", 2.0, 1.0),
        ("2024-01-02 09:33:10", 3.0, 1.0),
        ("2024-01-02 09:34:10", 4.0, 1.0),
    ]);
    let mut spec = minutes(2);
    spec.bar2edge = false;
    let out = resample(&src.slices(), &spec).unwrap();
    assert_eq!(out.close, [2.0, 4.0]);
    assert_eq!(times(&out), ["2024-01-02T09:32:10", "2024-01-02T09:34:10"]);
}

#[test]
fn a_session_end_closes_the_bar_and_stamps_it() {
    // 30-minute bars of a morning session ending 11:30 and an afternoon session from 13:00.
    let ends = [t("2024-01-02 11:30:00"), t("2024-01-02 15:00:00")];
    let src = ticks(&[
        ("2024-01-02 11:10:00.5", 1.0, 1.0),
        ("2024-01-02 11:29:59", 2.0, 1.0),
        ("2024-01-02 13:00:01", 3.0, 1.0),
        ("2024-01-02 14:59:59", 4.0, 1.0),
    ]);
    let mut spec = minutes(60);
    spec.sessions = SessionEnds::List(&ends);
    let out = resample(&src.slices(), &spec).unwrap();
    assert_eq!(times(&out), ["2024-01-02T11:30:00", "2024-01-02T14:00:00", "2024-01-02T15:00:00"]);
    assert_eq!(out.close, [2.0, 3.0, 4.0]);
}

#[test]
fn days_from_intraday_close_at_the_session_end() {
    let src = ticks(&[
        ("2024-01-02 09:30:00.5", 1.0, 1.0),
        ("2024-01-02 15:59:00", 2.0, 2.0),
        ("2024-01-03 09:30:00.5", 3.0, 4.0),
    ]);
    let mut spec = ResampleSpec::new((TimeFrame::Ticks, 1), TimeFrame::Days, 1);
    spec.sessions = SessionEnds::Daily(16.0 * 3_600_000.0);
    let out = resample(&src.slices(), &spec).unwrap();
    assert_eq!(times(&out), ["2024-01-02T16:00:00", "2024-01-03T16:00:00"]);
    assert_eq!(out.volume, [3.0, 4.0]);
}

#[test]
fn weeks_months_years_from_daily_keep_the_last_day() {
    let mut src = Ohlcv::default();
    // 2024-01-01 (Mon) .. 2024-03-31 daily.
    let start = t("2024-01-01");
    for d in 0..91 {
        let p = d as f64;
        src.push(start + d as f64 * MS_PER_DAY, p, p + 1.0, p - 1.0, p, 1.0, p);
    }
    let spec = |tf, c| ResampleSpec::new((TimeFrame::Days, 1), tf, c);
    let w = resample(&src.slices(), &spec(TimeFrame::Weeks, 1)).unwrap();
    assert_eq!(w.len(), 13);
    assert_eq!(format_datetime_ms(w.datetime[0]), "2024-01-07T00:00:00");
    assert_eq!((w.open[0], w.high[0], w.low[0], w.close[0], w.volume[0], w.openinterest[0]), (0.0, 7.0, -1.0, 6.0, 7.0, 6.0));
    let m = resample(&src.slices(), &spec(TimeFrame::Months, 1)).unwrap();
    assert_eq!(times(&m), ["2024-01-31T00:00:00", "2024-02-29T00:00:00", "2024-03-31T00:00:00"]);
    let m2 = resample(&src.slices(), &spec(TimeFrame::Months, 2)).unwrap();
    assert_eq!(times(&m2), ["2024-02-29T00:00:00", "2024-03-31T00:00:00"]);
    let y = resample(&src.slices(), &spec(TimeFrame::Years, 1)).unwrap();
    assert_eq!(y.len(), 1);
    let d3 = resample(&src.slices(), &spec(TimeFrame::Days, 3)).unwrap();
    assert_eq!(d3.len(), 31);
    assert_eq!(format_datetime_ms(d3.datetime[0]), "2024-01-03T00:00:00");
}

#[test]
fn tick_counts() {
    let src = ticks(&[
        ("2024-01-02 09:30:01", 1.0, 1.0),
        ("2024-01-02 09:30:02", 2.0, 1.0),
        ("2024-01-02 09:30:03", 3.0, 1.0),
        ("2024-01-02 09:30:04", 4.0, 1.0),
    ]);
    let out = resample(&src.slices(), &ResampleSpec::new((TimeFrame::Ticks, 1), TimeFrame::Ticks, 3)).unwrap();
    assert_eq!(out.close, [3.0, 4.0]);
    assert_eq!(times(&out), ["2024-01-02T09:30:03", "2024-01-02T09:30:04"]);
}

#[test]
fn nan_values_are_left_out_of_each_field() {
    let mut src = Ohlcv::default();
    let n = f64::NAN;
    src.push(t("2024-01-02 09:30:01"), n, n, n, n, n, n);
    src.push(t("2024-01-02 09:30:02"), 2.0, 3.0, 1.0, 2.5, 4.0, 7.0);
    src.push(t("2024-01-02 09:30:03"), 9.0, n, n, n, n, n);
    let out = resample(&src.slices(), &minutes(1)).unwrap();
    assert_eq!((out.open[0], out.high[0], out.low[0], out.close[0], out.volume[0], out.openinterest[0]), (2.0, 3.0, 1.0, 2.5, 4.0, 7.0));
}

#[test]
fn ticks_in_the_same_millisecond_join_one_bar() {
    let src = ticks(&[
        ("2024-01-02 09:35:00", 1.0, 1.0),
        ("2024-01-02 09:35:00", 2.0, 1.0),
        ("2024-01-02 09:36:00.5", 3.0, 1.0),
    ]);
    let out = resample(&src.slices(), &minutes(5)).unwrap();
    assert_eq!(out.close, [1.0, 3.0]);
    assert_eq!(out.volume, [1.0, 2.0]);
}

#[test]
fn a_finer_target_is_refused() {
    let src = ticks(&[("2024-01-02 09:35:00", 1.0, 1.0)]);
    let e = resample(&src.slices(), &ResampleSpec::new((TimeFrame::Days, 1), TimeFrame::Minutes, 5)).unwrap_err();
    assert!(matches!(e, CoreError::InvalidParam(ref m) if m.contains("finer")), "{e}");
    let e = resample(&src.slices(), &ResampleSpec::new((TimeFrame::Minutes, 5), TimeFrame::Minutes, 1)).unwrap_err();
    assert!(matches!(e, CoreError::InvalidParam(_)));
    assert!(resample(&src.slices(), &minutes(0)).is_err());
}

#[test]
fn iso_weeks_and_months() {
    assert_eq!(iso_year_week(t("2021-01-03")), 202053);
    assert_eq!(iso_year_week(t("2021-01-04")), 202101);
    assert_eq!(iso_year_week(t("2024-12-30")), 202501);
    assert_eq!(year_month(t("2024-02-29 23:59:59")), 202402);
}
