//! Every registered indicator (or those named, comma-separated, in the first argument) over 1M
//! synthetic bars through its batch form, one core: the median of three runs each (RUNS=n for
//! more; the minimum is printed too), sorted slowest first (on stderr). Prints one JSON object
//! last. Times are the thread's CPU time on Linux (`CLOCK_THREAD_CPUTIME_ID`), so that other
//! work on a shared machine does not count; wall time elsewhere.
//! With PREFAULT=1 the output buffers are written before timing: the compute alone, without
//! the page faults of fresh buffers.

use ferrotrade_core::ta::registry;
use std::time::Instant;

/// Nanoseconds this thread has run on a CPU (`CLOCK_THREAD_CPUTIME_ID`).
#[cfg(target_os = "linux")]
fn thread_cpu_ns() -> Option<u64> {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    let ok = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    ok.then(|| ts.sec as u64 * 1_000_000_000 + ts.nsec as u64)
}

#[cfg(not(target_os = "linux"))]
fn thread_cpu_ns() -> Option<u64> {
    None
}

/// Milliseconds of CPU time (or wall time, without it) that `f` takes.
fn time_ms(f: impl FnOnce()) -> f64 {
    let (cpu, wall) = (thread_cpu_ns(), Instant::now());
    f();
    match (cpu, thread_cpu_ns()) {
        (Some(a), Some(b)) => (b - a) as f64 / 1e6,
        _ => wall.elapsed().as_secs_f64() * 1e3,
    }
}

fn main() {
    let n = 1_000_000;
    let mut seed = 1u64;
    let mut rnd = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut open, mut high, mut low, mut close, mut volume, mut datetime) =
        (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut p = 100.0f64;
    for i in 0..n {
        let o = p;
        p = (p + rnd() - 0.5).max(1.0);
        open[i] = o;
        close[i] = p;
        high[i] = o.max(p) + rnd();
        low[i] = o.min(p) - rnd();
        volume[i] = 1000.0 + rnd() * 100.0;
        datetime[i] = 946_684_800_000.0 + i as f64 * 60_000.0;
    }
    let only = std::env::args().nth(1);
    // PREFAULT=1: touch the output buffers before timing, to see the compute alone (the page
    // faults of fresh buffers are the caller's, and the addon's buffers are always fresh).
    let prefault = std::env::var_os("PREFAULT").is_some();
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let mut rows: Vec<(&str, f64, f64)> = Vec::new();
    for spec in registry() {
        if only.as_deref().is_some_and(|o| !o.split(',').any(|o| o == spec.name)) {
            continue;
        }
        let params = spec.params_from(std::iter::empty::<(&str, f64)>()).unwrap();
        let inputs: Vec<&[f64]> = spec
            .inputs
            .iter()
            .map(|name| match *name {
                "open" => &open[..],
                "high" => &high[..],
                "low" => &low[..],
                "volume" => &volume[..],
                "datetime" => &datetime[..],
                _ => &close[..],
            })
            .collect();
        let mut times = Vec::new();
        for _ in 0..runs {
            let mut outs: Vec<Vec<f64>> = spec.lines.iter().map(|_| vec![0.0; n]).collect();
            if prefault {
                outs.iter_mut().for_each(|o| o.fill(1.0));
            }
            let mut slices: Vec<&mut [f64]> = outs.iter_mut().map(|v| &mut v[..]).collect();
            times.push(time_ms(|| spec.run_batch(&params, &inputs, &mut slices).unwrap()));
        }
        times.sort_by(f64::total_cmp);
        rows.push((spec.name, times[runs / 2], times[0]));
    }
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    let total: f64 = rows.iter().map(|r| r.1).sum();
    for (name, ms, min) in &rows {
        eprintln!("{name:<36} {ms:8.2} ms (min {min:.2})");
    }
    println!("{{\"indicators\":{},\"total_ms\":{total:.1}}}", rows.len());
}
