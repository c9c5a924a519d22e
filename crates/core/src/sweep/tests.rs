use super::eval::{evaluate, Scratch, Signal};
use super::plan::Plan;
use super::sim::{simulate_with, Setup};
use super::*;
use crate::broker::{Bars, Broker, BrokerConfig, CommType, CommissionInfo, CommissionSpec, Event, OrderRequest, Slippage, TradeStatus};
use crate::ta;

/// A deterministic random walk with gaps, daily bars.
fn walk(n: usize, seed: u64) -> [Vec<f64>; 6] {
    let mut s = seed;
    let mut rnd = || {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((s >> 11) as f64 / (1u64 << 53) as f64) - 0.5
    };
    let (mut dt, mut o, mut h, mut l, mut c, mut v) = (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut last: f64 = 100.0;
    for i in 0..n {
        let open = (last * (1.0 + 0.004 * rnd())).max(1.0);
        let close = (open * (1.0 + 0.03 * rnd())).max(1.0);
        let hi = open.max(close) * (1.0 + 0.01 * (rnd() + 0.5));
        let lo = open.min(close) * (1.0 - 0.01 * (rnd() + 0.5));
        dt.push(946_684_800_000.0 + i as f64 * 86_400_000.0);
        o.push((open * 100.0).round() / 100.0);
        h.push((hi * 100.0).round() / 100.0 + 0.01);
        l.push((lo * 100.0).round() / 100.0 - 0.01);
        c.push((close * 100.0).round() / 100.0);
        v.push(1000.0);
        last = close;
    }
    [dt, o, h, l, c, v]
}

fn view(cols: &[Vec<f64>; 6]) -> SweepData<'_> {
    SweepData { datetime: &cols[0], open: &cols[1], high: &cols[2], low: &cols[3], close: &cols[4], volume: &cols[5] }
}

fn p(name: &str) -> Arg {
    Arg::Param(name.into())
}

fn sma(input: usize, period: Arg) -> Node {
    Node::Indicator { name: "SMA".into(), inputs: vec![input], params: vec![("period".into(), period)], line: None }
}

/// `crossOver(sma(close, fast), sma(close, slow))` above / below 0.
fn sma_cross(sizing: Sizing, direction: Direction, sl: Option<Arg>, tp: Option<Arg>) -> Strategy {
    let nodes = vec![
        Node::Price(Field::Close),
        sma(0, p("fast")),
        sma(0, p("slow")),
        Node::Indicator { name: "CrossOver".into(), inputs: vec![1, 2], params: vec![], line: None },
        Node::Number(Arg::Const(0.0)),
        Node::Compare(CmpOp::Gt, 3, 4),
        Node::Compare(CmpOp::Lt, 3, 4),
    ];
    Strategy { nodes, entry: 5, exit: 6, stop_loss: sl, take_profit: tp, sizing, direction }
}

fn grid(fast: &[f64], slow: &[f64]) -> Grid {
    Grid { params: vec![("fast".into(), fast.to_vec()), ("slow".into(), slow.to_vec())] }
}

const NO_SLIPPAGE: Slippage = Slippage { perc: 0.0, fixed: 0.0, slip_open: false, slip_match: true, slip_limit: true, slip_out: false };

const BROKER: SweepBroker = SweepBroker { cash: 100_000.0, commission: 0.001, checksubmit: true, costs: SweepCosts { commtype: CommType::Percent, percabs: true, min_commission: 0.0, stamp_duty: 0.0, transfer_fee: 0.0 }, slippage: NO_SLIPPAGE };

/// The TypeScript engine's loop with the README's SmaCross, written against the broker directly:
/// the broker runs on every bar, the strategy reads the CrossOver indicator after warm-up.
fn reference_sma_cross(data: &SweepData<'_>, fast: f64, slow: f64, stake: f64) -> (f64, Vec<(f64, f64)>) {
    let n = data.len();
    let run = |name: &str, inputs: &[&[f64]], params: &[(&str, f64)]| {
        let spec = ta::find(name).unwrap();
        let mut out = vec![0.0; n];
        spec.run_batch(&spec.params_from(params.iter().copied()).unwrap(), inputs, &mut [&mut out]).unwrap();
        out
    };
    let f = run("SMA", &[data.close], &[("period", fast)]);
    let s = run("SMA", &[data.close], &[("period", slow)]);
    let cross = run("CrossOver", &[&f, &s], &[]);
    let minperiod = fast.max(slow) as usize + 1;
    let mut broker = Broker::new(BrokerConfig { cash: 100_000.0, ..BrokerConfig::default() }).unwrap();
    broker.set_commission(CommissionInfo::from_spec(CommissionSpec { commission: 0.001, ..Default::default() }).unwrap(), None);
    let bars = [Bars {
        datetime: data.datetime, session_end: 0.0, open: data.open, high: data.high, low: data.low,
        close: data.close, volume: data.volume, at: None, fresh: true,
    }];
    let mut trades = vec![];
    let mut pending = false;
    for i in 0..n {
        broker.next(i, &bars);
        for ev in broker.take_events() {
            match ev {
                Event::Order { status, .. } if !status.alive() => pending = false,
                Event::Trade(t) if t.status == TradeStatus::Closed => trades.push((t.price, t.pnlcomm)),
                _ => {}
            }
        }
        if i + 1 < minperiod || pending {
            continue;
        }
        let size = broker.position(0).size;
        if size == 0.0 && cross[i] > 0.0 {
            broker.submit(OrderRequest::market(0, 0, stake, i, data.close[i]), &bars).unwrap();
            pending = true;
        } else if size > 0.0 && cross[i] < 0.0 {
            broker.submit(OrderRequest::market(0, 0, -size, i, data.close[i]), &bars).unwrap();
            pending = true;
        }
    }
    (broker.value(&[data.close[n - 1]]), trades)
}

#[test]
fn sma_cross_matches_the_engine_loop() {
    let cols = walk(3000, 7);
    let data = view(&cols);
    let g = grid(&[5.0, 10.0, 15.0], &[30.0, 40.0]);
    let s = sma_cross(Sizing::Fixed(Arg::Const(10.0)), Direction::LongOnly, None, None);
    let results = run(data, &s, &g, BROKER, SweepOptions::default()).unwrap();
    assert_eq!(results.len(), 6);
    for r in &results {
        let (value, trades) = reference_sma_cross(&data, r.params[0], r.params[1], 10.0);
        assert!(!trades.is_empty());
        assert_eq!(r.trades as usize, trades.len(), "{:?}", r.params);
        assert_eq!(r.wins as usize, trades.iter().filter(|t| t.1 > 0.0).count());
        assert!((r.final_value - value).abs() <= 1e-9 * value, "{} vs {value}", r.final_value);
        assert!(r.max_drawdown > 0.0 && r.max_drawdown < 1.0 && r.sharpe.is_finite());
    }
}

/// The sweep enters the broker only on some bars; the same run entering it on every bar must
/// give identical results.
fn same_as_every_bar(s: &Strategy, g: &Grid, data: SweepData<'_>) -> Vec<ComboResult> {
    same_as_every_bar_with(s, g, data, BROKER)
}

fn same_as_every_bar_with(s: &Strategy, g: &Grid, data: SweepData<'_>, broker: SweepBroker) -> Vec<ComboResult> {
    let plan = Plan::build(s, g, data.len()).unwrap();
    let setup = Setup::new(&data, broker).unwrap();
    let cache = plan.compute_cache(&data);
    let mut out = vec![];
    for combo in &plan.combos {
        let mut scratch = Scratch::new(&plan, data.len());
        let sig = evaluate(&plan, combo, &data, &cache, &mut scratch);
        let fast = simulate_with(&setup, &data, combo, sig, false);
        let slow = simulate_with(&setup, &data, combo, sig, true);
        // Compared as printed: every digit, and NaN (no trades) equals NaN.
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{:?}", combo.values);
        out.push(fast);
    }
    out
}

#[test]
fn stops_targets_reversals_and_percent_sizing_match_the_every_bar_broker() {
    let cols = walk(4000, 11);
    let data = view(&cols);
    let g = Grid {
        params: vec![
            ("fast".into(), vec![4.0, 9.0]),
            ("slow".into(), vec![20.0, 35.0]),
            ("sl".into(), vec![0.01, 0.03]),
            ("tp".into(), vec![0.02, 0.08]),
        ],
    };
    for (sizing, dir) in [
        (Sizing::Fixed(Arg::Const(50.0)), Direction::LongOnly),
        (Sizing::PercentOfCash(Arg::Const(90.0)), Direction::LongOnly),
        (Sizing::Fixed(Arg::Const(50.0)), Direction::LongShort),
        (Sizing::PercentOfCash(Arg::Const(50.0)), Direction::LongShort),
    ] {
        let s = sma_cross(sizing, dir, Some(p("sl")), Some(p("tp")));
        let results = same_as_every_bar(&s, &g, data);
        assert!(results.iter().all(|r| r.trades > 10), "{dir:?}");
        // stops and targets close trades that the cross alone would not
        let plain = run(data, &sma_cross(Sizing::Fixed(Arg::Const(50.0)), dir, None, None), &grid(&[4.0], &[20.0]), BROKER, SweepOptions::default()).unwrap();
        assert!(results[0].orders > plain[0].orders);
    }
}

#[test]
fn commission_schemes_and_slippage_match_the_every_bar_broker() {
    let cols = walk(3000, 17);
    let data = view(&cols);
    let fixed_costs = SweepCosts { commtype: CommType::Fixed, percabs: true, min_commission: 5.0, stamp_duty: 0.001, transfer_fee: 0.00002 };
    let brokers = [
        // a fixed amount per unit, with a minimum per fill, stamp duty on sells and a transfer fee
        SweepBroker { commission: 0.02, costs: fixed_costs, ..BROKER },
        // a percent rate given in percent units
        SweepBroker { commission: 0.1, costs: SweepCosts { percabs: false, ..BROKER.costs }, ..BROKER },
        // slippage at the open (Market orders slip): not the direct fill path
        SweepBroker { slippage: Slippage { perc: 0.002, slip_open: true, ..NO_SLIPPAGE }, ..BROKER },
        // fixed slippage that only stops and limits feel
        SweepBroker { slippage: Slippage { fixed: 0.05, ..NO_SLIPPAGE }, ..BROKER },
        // slippage at the open that may not leave the bar: some Market orders wait for a
        // later bar, and no rule places another meanwhile
        SweepBroker { slippage: Slippage { perc: 0.01, slip_open: true, slip_match: false, ..NO_SLIPPAGE }, ..BROKER },
    ];
    let g = Grid { params: vec![("fast".into(), vec![4.0, 9.0]), ("slow".into(), vec![20.0, 35.0]), ("sl".into(), vec![0.02]), ("tp".into(), vec![0.05])] };
    let plain = grid(&[4.0, 9.0], &[20.0, 35.0]);
    let base = run(data, &sma_cross(Sizing::Fixed(Arg::Const(50.0)), Direction::LongShort, None, None), &plain, BROKER, SweepOptions::default()).unwrap();
    for broker in brokers {
        for dir in [Direction::LongOnly, Direction::LongShort] {
            let protected = same_as_every_bar_with(&sma_cross(Sizing::Fixed(Arg::Const(50.0)), dir, Some(p("sl")), Some(p("tp"))), &g, data, broker);
            assert!(protected.iter().all(|r| r.trades > 10), "{broker:?} {dir:?}");
            let market = same_as_every_bar_with(&sma_cross(Sizing::Fixed(Arg::Const(50.0)), dir, None, None), &plain, data, broker);
            assert!(market.iter().all(|r| r.trades > 10), "{broker:?} {dir:?}");
            if dir == Direction::LongShort && broker.slippage.fixed == 0.0 && broker.slippage.slip_match {
                for (m, b) in market.iter().zip(&base) {
                    assert_eq!(m.trades, b.trades);
                    if broker.costs.percabs {
                        // The costs are felt: the same trades end with less than without them.
                        assert!(m.final_value < b.final_value, "{broker:?}: {} vs {}", m.final_value, b.final_value);
                    } else {
                        // 0.1 in percent units is the base's 0.001.
                        assert!((m.final_value - b.final_value).abs() <= 1e-9 * b.final_value);
                    }
                }
            }
        }
    }
    let bad = SweepBroker { costs: SweepCosts { stamp_duty: -0.1, ..BROKER.costs }, ..BROKER };
    let err = run(data, &sma_cross(Sizing::Fixed(Arg::Const(1.0)), Direction::LongOnly, None, None), &plain, bad, SweepOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "broker stampDuty must be a finite number >= 0, got -0.1");
    let slips_badly = SweepBroker { slippage: Slippage { perc: -0.1, ..NO_SLIPPAGE }, ..BROKER };
    let err = run(data, &sma_cross(Sizing::Fixed(Arg::Const(1.0)), Direction::LongOnly, None, None), &plain, slips_badly, SweepOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "slippage perc must be a finite number >= 0, got -0.1");
}

#[test]
fn market_only_combinations_match_the_every_bar_broker() {
    // Without stops or targets the sweep fills its Market orders directly (not kept as
    // orders); the every-bar reference submits every order and steps the broker on every bar.
    let mut cols = walk(4000, 13);
    // Bars without an open price (orders wait for the next bar) and repeated timestamps (an
    // order cannot fill on a bar stamped as its creation bar).
    for k in (50..4000).step_by(97) {
        cols[1][k] = f64::NAN;
    }
    for k in (75..4000).step_by(131) {
        cols[0][k] = cols[0][k - 1];
    }
    let data = view(&cols);
    let g = grid(&[4.0, 9.0, 13.0], &[20.0, 35.0]);
    for (sizing, dir) in [
        (Sizing::Fixed(Arg::Const(50.0)), Direction::LongOnly),
        (Sizing::Fixed(Arg::Const(50.0)), Direction::LongShort),
        // 150 % of the cash: entries are refused by the cash test (Margin)
        (Sizing::PercentOfCash(Arg::Const(150.0)), Direction::LongOnly),
        (Sizing::PercentOfCash(Arg::Const(95.0)), Direction::LongShort),
    ] {
        let results = same_as_every_bar(&sma_cross(sizing.clone(), dir, None, None), &g, data);
        match sizing {
            Sizing::PercentOfCash(Arg::Const(p)) if p > 100.0 => assert!(results.iter().all(|r| r.trades == 0 && r.orders > 10), "{dir:?}"),
            _ => assert!(results.iter().all(|r| r.trades > 10), "{sizing:?} {dir:?}"),
        }
    }
}

#[test]
fn threads_give_the_same_results_and_indicators_are_shared() {
    let cols = walk(2000, 3);
    let data = view(&cols);
    let fast: Vec<f64> = (5..25).map(f64::from).collect();
    let slow: Vec<f64> = (30..80).step_by(5).map(f64::from).collect();
    let g = grid(&fast, &slow);
    let s = sma_cross(Sizing::Fixed(Arg::Const(10.0)), Direction::LongOnly, None, None);
    let one = run(data, &s, &g, BROKER, SweepOptions { threads: 1 }).unwrap();
    let two = run(data, &s, &g, BROKER, SweepOptions { threads: 2 }).unwrap();
    assert_eq!(one, two);
    assert_eq!(one.len(), 200);
    assert_eq!((one[0].params[0], one[0].params[1]), (5.0, 30.0));
    assert_eq!((one[10].params[0], one[10].params[1]), (6.0, 30.0));
    // 20 fast + 10 slow SMAs, each computed once; each CrossOver is used by one combination
    assert_eq!(Plan::build(&s, &g, 2000).unwrap().cached_count(), 30);
}

#[test]
fn a_control_counts_finished_combinations_and_stops_a_cancelled_sweep() {
    let cols = walk(2000, 3);
    let data = view(&cols);
    let s = sma_cross(Sizing::Fixed(Arg::Const(10.0)), Direction::LongOnly, None, None);
    let g = grid(&[5.0, 6.0, 7.0], &[30.0, 40.0]);
    let control = SweepControl::new();
    let controlled = run_with_control(data, &s, &g, BROKER, SweepOptions { threads: 2 }, &control).unwrap();
    assert_eq!(control.done(), 6);
    assert_eq!(controlled, run(data, &s, &g, BROKER, SweepOptions { threads: 2 }).unwrap());

    // Cancelled before it starts: no combination runs, and the error says how far it got.
    let stopped = SweepControl::new();
    stopped.cancel();
    let err = run_with_control(data, &s, &g, BROKER, SweepOptions { threads: 2 }, &stopped).unwrap_err();
    assert_eq!(err.code(), "CANCELED");
    assert_eq!(err.to_string(), "the sweep was cancelled after 0 of 6 combinations");
    assert_eq!(stopped.done(), 0);

    // Cancelled from another thread while it runs: it ends early with the error.
    let big = grid(&(2..60).map(f64::from).collect::<Vec<_>>(), &(61..121).map(f64::from).collect::<Vec<_>>());
    let running = SweepControl::new();
    let outcome = std::thread::scope(|scope| {
        let sweep = scope.spawn(|| run_with_control(data, &s, &big, BROKER, SweepOptions { threads: 1 }, &running));
        while running.done() < 3 {
            std::thread::yield_now();
        }
        running.cancel();
        sweep.join().unwrap()
    });
    assert_eq!(outcome.unwrap_err().code(), "CANCELED");
    assert!(running.done() >= 3 && running.done() < big.len(), "{} of {}", running.done(), big.len());
}

#[test]
fn bad_input_is_a_typed_error_before_any_work() {
    let cols = walk(100, 1);
    let data = view(&cols);
    let s = sma_cross(Sizing::Fixed(Arg::Const(1.0)), Direction::LongOnly, None, None);
    let err = |s: &Strategy, g: &Grid| run(data, s, g, BROKER, SweepOptions::default()).unwrap_err();
    assert!(err(&s, &Grid::default()).to_string().contains("grid is empty"));
    assert!(err(&s, &grid(&[], &[3.0])).to_string().contains("'fast' has no values"));
    let mut g = grid(&[3.0], &[5.0]);
    g.params.push(("extra".into(), vec![1.0]));
    assert!(err(&s, &g).to_string().contains("'extra' is not used"));
    let mut missing = grid(&[3.0], &[5.0]);
    missing.params.pop();
    assert!(err(&s, &missing).to_string().contains("unknown parameter 'slow'"));
    assert!(matches!(err(&s, &grid(&[3.0], &[0.0])), CoreError::InvalidParam(m) if m.contains("period")));
    let mut bad = s.clone();
    bad.nodes[1] = Node::Indicator { name: "Nope".into(), inputs: vec![0], params: vec![], line: None };
    assert!(matches!(err(&bad, &grid(&[3.0], &[5.0])), CoreError::UnknownIndicator(_)));
    let mut sized = s.clone();
    sized.sizing = Sizing::Fixed(Arg::Const(-1.0));
    assert!(err(&sized, &grid(&[3.0], &[5.0])).to_string().contains("size"));
}

#[test]
fn constant_rules_and_arithmetic_are_evaluated() {
    let cols = walk(500, 5);
    let data = view(&cols);
    // entry: close > sma(close, n) * k ; exit: not(entry)
    let nodes = vec![
        Node::Price(Field::Close),
        sma(0, p("n")),
        Node::Number(p("k")),
        Node::Arith(ArithOp::Mul, 1, 2),
        Node::Compare(CmpOp::Gt, 0, 3),
        Node::Not(4),
    ];
    let s = Strategy { nodes, entry: 4, exit: 5, stop_loss: None, take_profit: None, sizing: Sizing::Fixed(Arg::Const(5.0)), direction: Direction::LongOnly };
    let g = Grid { params: vec![("n".into(), vec![10.0, 20.0]), ("k".into(), vec![1.0, 1.01])] };
    let results = same_as_every_bar(&s, &g, data);
    assert!(results.iter().all(|r| r.trades > 0));
}

/// `cargo test -p ferrotrade-core --release sweep_throughput -- --ignored --nocapture`
#[test]
#[ignore]
fn sweep_throughput() {
    let cols = walk(100_000, 42);
    let data = view(&cols);
    let fast: Vec<f64> = (5..25).map(f64::from).collect();
    let slow: Vec<f64> = (30..80).step_by(5).map(f64::from).collect();
    let g = grid(&fast, &slow);
    let s = sma_cross(Sizing::Fixed(Arg::Const(10.0)), Direction::LongOnly, None, None);
    for threads in [1, 2] {
        let mut best = f64::INFINITY;
        let mut trades = 0;
        for _ in 0..5 {
            let t0 = std::time::Instant::now();
            let r = run(data, &s, &g, BROKER, SweepOptions { threads }).unwrap();
            best = best.min(t0.elapsed().as_secs_f64());
            trades = r.iter().map(|x| x.trades as usize).sum();
        }
        println!("threads {threads}: {:.1} ms, {:.0} M bar-evals/s, {trades} trades", best * 1e3, 20e6 / best / 1e6);
    }
}

#[test]
fn cross_over_kernel_matches_the_registry() {
    let cols = walk(3000, 9);
    // ties, NaN warm-up and NaN holes
    let mut a: Vec<f64> = cols[4].iter().map(|x| (x / 5.0).round()).collect();
    let mut b: Vec<f64> = cols[1].iter().map(|x| (x / 5.0).round()).collect();
    a[..7].fill(f64::NAN);
    b[..3].fill(f64::NAN);
    a[100] = f64::NAN;
    b[200] = f64::NAN;
    let spec = ta::find("CrossOver").unwrap();
    let mut want = vec![0.0; a.len()];
    spec.run_batch(&spec.params_from(std::iter::empty::<(&str, f64)>()).unwrap(), &[&a, &b], &mut [&mut want]).unwrap();
    let mut got = vec![0.0; a.len()];
    super::eval::cross_over(&a, &b, &mut got);
    for i in 0..a.len() {
        assert!(got[i] == want[i] || (got[i].is_nan() && want[i].is_nan()), "bar {i}: {} vs {}", got[i], want[i]);
    }
    assert!(want.iter().filter(|x| **x != 0.0 && !x.is_nan()).count() > 20);

    // Worked out lazily, bar by bar and scanning, for each comparison the rules may make.
    let start = (0..a.len()).find(|&i| !a[i].is_nan() && !b[i].is_nan()).unwrap();
    for (op, constant) in [(CmpOp::Gt, 0.0), (CmpOp::Lt, 0.0), (CmpOp::Eq, 0.0), (CmpOp::Ge, 1.0), (CmpOp::Ne, 0.0)] {
        let sig = Signal::Cross { op, a: &a, b: &b, start, constant };
        let truth: Vec<bool> = want.iter().map(|&v| super::eval::compare(op, v, constant)).collect();
        for i in 0..a.len() {
            assert_eq!(sig.at(i), truth[i], "{op:?} bar {i}");
        }
        for from in [0, 5, 6, 8, 99, 100, 101, 201, 1500] {
            let to = a.len();
            let expected = (from..to).find(|&i| truth[i]).unwrap_or(to);
            assert_eq!(super::scan::next_true(sig, from, to), expected, "{op:?} from {from}");
        }
    }
}

/// A rule's root comparison with a constant is compared as the loop scans, not written out as a
/// column; with the constant on either side, and when another node reads the comparison (then
/// it is a column), the trades are the same.
#[test]
fn root_comparisons_with_a_constant_are_lazy_and_trade_the_same() {
    let cols = walk(3000, 5);
    let data = view(&cols);
    let g = grid(&[5.0, 8.0], &[20.0, 30.0]);
    let base = sma_cross(Sizing::Fixed(Arg::Const(10.0)), Direction::LongOnly, None, None);
    // 0 < cross and 0 > cross: the constant on the left.
    let mut turned = base.clone();
    turned.nodes[5] = Node::Compare(CmpOp::Lt, 4, 3);
    turned.nodes[6] = Node::Compare(CmpOp::Gt, 4, 3);
    // exit = (cross < 0) or (cross < 0): that comparison is read by another node.
    let mut read = base.clone();
    read.nodes.push(Node::Or(6, 6));
    read.exit = 7;

    let plan = Plan::build(&base, &g, data.len()).unwrap();
    assert!(plan.lazy[plan.entry] && plan.lazy[plan.exit]);
    let cross = plan.nodes.iter().position(|n| matches!(n, Node::Indicator { name, .. } if name == "CrossOver")).unwrap();
    // The CrossOver is read only by those comparisons: worked out as the loop scans.
    assert!(plan.lazy_cross[cross]);
    let plan_read = Plan::build(&read, &g, data.len()).unwrap();
    assert!(plan_read.lazy[plan_read.entry] && !plan_read.lazy[plan_read.exit]);
    // Here a column comparison reads it too: it is a column, and the trades are the same.
    assert!(!plan_read.lazy_cross[cross]);
    let below = plan_read.nodes.iter().position(|n| matches!(n, Node::Compare(CmpOp::Lt, ..))).unwrap();
    assert!(!plan_read.lazy[below]);

    let a = same_as_every_bar(&base, &g, data);
    assert!(a.iter().all(|r| r.trades > 0));
    assert_eq!(a, same_as_every_bar(&turned, &g, data));
    assert_eq!(a, same_as_every_bar(&read, &g, data));
}
