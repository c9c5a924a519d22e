//! Native sweep throughput: `cargo run --release -p ferrotrade-core --example sweep_bench`.
//!
//! The SMA crossover (Market orders at the next open, 0.1 % commission) over fast 5..24 × slow
//! 30..75 step 5 (200 combinations) on 100k random-walk bars, on 1 and 2 threads. Prints JSON
//! with bar-evaluations per second (median of 7 runs) per thread count.
use std::time::Instant;

use ferrotrade_core::sweep::{self, Arg, CmpOp, Direction, Field, Grid, Node, Sizing, Strategy, SweepBroker, SweepData, SweepOptions};

const BARS: usize = 100_000;

/// `SWEEP_BARS` overrides the number of bars (to see how the cache sizes matter).
fn bars() -> usize {
    std::env::var("SWEEP_BARS").ok().and_then(|v| v.parse().ok()).unwrap_or(BARS)
}

fn main() {
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let mut rnd = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64 - 0.5
    };
    let (mut dt, mut open, mut high, mut low, mut close) = (vec![], vec![], vec![], vec![], vec![]);
    let mut last = 100.0f64;
    for i in 0..bars() {
        let o = (last * (1.0 + 0.002 * rnd())).max(1.0);
        let c = (o * (1.0 + 0.02 * rnd())).max(1.0);
        dt.push(946_684_800_000.0 + i as f64 * 86_400_000.0);
        open.push(o);
        high.push(o.max(c) * 1.005);
        low.push(o.min(c) * 0.995);
        close.push(c);
        last = c;
    }
    let volume = vec![1e6; bars()];
    let data = SweepData { datetime: &dt, open: &open, high: &high, low: &low, close: &close, volume: &volume };
    let sma = |period: &str| Node::Indicator {
        name: "SMA".into(),
        inputs: vec![0],
        params: vec![("period".into(), Arg::Param(period.into()))],
        line: None,
    };
    let strategy = Strategy {
        nodes: vec![
            Node::Price(Field::Close),
            sma("fast"),
            sma("slow"),
            Node::Indicator { name: "CrossOver".into(), inputs: vec![1, 2], params: vec![], line: None },
            Node::Number(Arg::Const(0.0)),
            Node::Compare(CmpOp::Gt, 3, 4),
            Node::Compare(CmpOp::Lt, 3, 4),
        ],
        entry: 5,
        exit: 6,
        stop_loss: None,
        take_profit: None,
        sizing: Sizing::Fixed(Arg::Const(10.0)),
        direction: Direction::LongOnly,
    };
    let grid = Grid {
        params: vec![
            ("fast".into(), (5..25).map(f64::from).collect()),
            ("slow".into(), (30..80).step_by(5).map(f64::from).collect()),
        ],
    };
    let broker = SweepBroker { cash: 100_000.0, commission: 0.001, ..SweepBroker::default() };
    let evals = (bars() * grid.len()) as f64;
    let mut out = Vec::new();
    // `sweep_bench 1` times one thread count only.
    let counts: Vec<usize> = match std::env::args().nth(1) {
        Some(t) => vec![t.parse().expect("a thread count")],
        None => vec![1, 2],
    };
    for threads in counts {
        let mut runs = Vec::new();
        let mut trades = 0;
        let cpu0 = cpu_ms();
        for _ in 0..7 {
            let t = Instant::now();
            let r = sweep::run(data, &strategy, &grid, broker, SweepOptions { threads }).unwrap();
            runs.push(t.elapsed().as_secs_f64());
            trades = r.iter().map(|c| c.trades as u64).sum::<u64>();
        }
        runs.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let cpu = (cpu_ms() - cpu0) / 7.0;
        let median = runs[runs.len() / 2];
        out.push(format!(
            "{{\"threads\":{threads},\"median_ms\":{:.2},\"min_ms\":{:.2},\"cpu_ms_per_run\":{cpu:.1},\"bar_evals_per_s\":{:.0},\"bar_evals_per_cpu_s\":{:.0},\"closed_trades\":{trades}}}",
            median * 1e3,
            runs[0] * 1e3,
            evals / median,
            evals / (cpu / 1e3)
        ));
    }
    println!("{{\"bench\":\"sweep\",\"bars\":{},\"combinations\":{},\"runs\":[{}]}}", bars(), grid.len(), out.join(","));
}

/// CPU time of the process so far (user + system, all threads) in ms, from `/proc/self/stat`
/// (clock ticks of 10 ms); NaN where that is not available. On a machine shared with other work
/// the wall time also counts waiting for a core, the CPU time much less so.
fn cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')').map_or(0, |k| k + 2)..];
    let f: Vec<f64> = rest.split(' ').map(|x| x.parse().unwrap_or(f64::NAN)).collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (f[11] + f[12]) * 10.0
}
