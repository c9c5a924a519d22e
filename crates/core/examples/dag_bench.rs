//! Times the order dependency graph on one million edges: `cargo run --release --example dag_bench`.
//!
//! Shapes: a chain of 500,001 orders filled one after the other (each fill releases the next),
//! 250 fan-outs of 1,000 children (half released by the parent's fill, half canceled by its
//! rejection), and 250 fan-ins of 1,000 parents (released when the last parent is accepted).
//! Insertion counts `add_order` and `add_dependency` (with its cycle check); resolution counts
//! `on_status` for every parent and the decisions it returns. Prints the median of 5 runs as JSON,
//! with consecutive order ids (as the simulated broker numbers them) and, under `scattered_ids`,
//! with ids spread over the whole u64 range (the graph then finds them through a hash map).
use std::time::Instant;

use ferrotrade_core::dag::{Clock, Condition, Decision, Dependency, DependencyGraph, OrderStatus};

const CHAIN: u64 = 500_000;
const FANS: u64 = 250;
const WIDTH: u64 = 1_000;

struct Run {
    edges: usize,
    decisions: usize,
    insert_s: f64,
    resolve_s: f64,
}

fn run(scattered: bool) -> Run {
    let now = Clock::default();
    let t = Instant::now();
    let mut g = DependencyGraph::new();
    let mut id = 0u64;
    let mut next = || {
        id += 1;
        if scattered {
            id.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1 << 63
        } else {
            id
        }
    };
    // Chain.
    let chain_start = next();
    g.add_order(chain_start, 0).unwrap();
    let mut prev = chain_start;
    for _ in 0..CHAIN {
        let c = next();
        g.add_order(c, 0).unwrap();
        g.add_dependency(c, Dependency::new(prev, Condition::Filled), now).unwrap();
        prev = c;
    }
    // Fan-outs.
    let mut fan_out_parents = Vec::new();
    for _ in 0..FANS {
        let p = next();
        g.add_order(p, 0).unwrap();
        fan_out_parents.push(p);
        for _ in 0..WIDTH {
            let c = next();
            g.add_order(c, 0).unwrap();
            g.add_dependency(c, Dependency::new(p, Condition::Filled), now).unwrap();
        }
    }
    // Fan-ins.
    let mut fan_in_parents = Vec::new();
    for _ in 0..FANS {
        let c = next();
        g.add_order(c, 0).unwrap();
        for _ in 0..WIDTH {
            let p = next();
            g.add_order(p, 0).unwrap();
            g.add_dependency(c, Dependency::new(p, Condition::Accepted), now).unwrap();
            fan_in_parents.push(p);
        }
    }
    let insert_s = t.elapsed().as_secs_f64();
    let edges = g.dependency_count();

    let t = Instant::now();
    let mut out: Vec<Decision> = Vec::with_capacity(1 << 20);
    let mut decisions = 0;
    let mut o = chain_start;
    loop {
        out.clear();
        g.on_status_into(o, OrderStatus::Completed, now, &mut out);
        decisions += out.len();
        match out.first() {
            Some(&Decision::Release(c)) => o = c,
            _ => break,
        }
    }
    for (k, &p) in fan_out_parents.iter().enumerate() {
        out.clear();
        let status = if k % 2 == 0 { OrderStatus::Completed } else { OrderStatus::Rejected };
        g.on_status_into(p, status, now, &mut out);
        decisions += out.len();
    }
    for &p in &fan_in_parents {
        out.clear();
        g.on_status_into(p, OrderStatus::Accepted, now, &mut out);
        decisions += out.len();
    }
    let resolve_s = t.elapsed().as_secs_f64();
    assert_eq!(decisions as u64, CHAIN + FANS * WIDTH + FANS);
    Run { edges, decisions, insert_s, resolve_s }
}

fn median(scattered: bool) -> Run {
    let mut runs: Vec<Run> = (0..5).map(|_| run(scattered)).collect();
    runs.sort_by(|a, b| (a.insert_s + a.resolve_s).total_cmp(&(b.insert_s + b.resolve_s)));
    runs.swap_remove(runs.len() / 2)
}

fn json(r: &Run) -> String {
    let total = r.insert_s + r.resolve_s;
    format!(
        "\"edges\": {}, \"decisions\": {}, \"insert_s\": {:.4}, \"resolve_s\": {:.4}, \"edges_per_s\": {:.0}, \"insert_edges_per_s\": {:.0}, \"resolve_edges_per_s\": {:.0}",
        r.edges,
        r.decisions,
        r.insert_s,
        r.resolve_s,
        r.edges as f64 / total,
        r.edges as f64 / r.insert_s,
        r.edges as f64 / r.resolve_s
    )
}

fn main() {
    let consecutive = median(false);
    let scattered = median(true);
    println!("{{{}, \"scattered_ids\": {{{}}}}}", json(&consecutive), json(&scattered));
}
