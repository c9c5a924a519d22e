/**
 * Benches that live in Rust (`crates/core/examples/*_bench.rs`): built and run with cargo in
 * release mode; each prints one JSON object that is passed through with the machine info.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { BENCHES_DIR } from './lib/harness.js';

/** Runs `cargo run --release --example <name>` and parses the JSON it prints. */
export function runRustExample(name: string): object {
  progress(`${name}: cargo run --release --example ${name}`);
  const out = execFileSync('cargo', ['run', '--release', '-q', '-p', 'ferrotrade-core', '--example', name], {
    cwd: join(BENCHES_DIR, '..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as object;
}

/** The order-dependency graph: insert and resolve 1M edges (goal: ≥ 5M edges/s). */
export async function dependencies(_options: BenchOptions): Promise<object> {
  return { bench: 'dependencies', ...runRustExample('dag_bench'), machine: machineInfo() };
}
