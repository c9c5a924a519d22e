/**
 * What every benchmark shares with the runner (`benches/run.ts`): the options it
 * is called with and the description of the machine it ran on.
 */
import { cpus } from 'node:os';

/** Options the runner passes to every bench. */
export interface BenchOptions {
  /** Number of synthetic bars to run over. */
  bars: number;
  /** Seed of the synthetic data (see `generateBars`). */
  seed: number;
  /** Timed ferrotrade runs; the median is reported. */
  runs: number;
  /** Timed backtrader runs; fewer by default because each one is ~100x slower. */
  peerRuns: number;
}

/** A benchmark the runner knows by name. */
export interface Bench {
  /** Name used in the output and by `--only`. */
  name: string;
  /** Runs the bench and resolves to its JSON-serialisable result. */
  run: (options: BenchOptions) => Promise<object>;
}

/** The machine a result was measured on, reported beside every number. */
export interface MachineInfo {
  /** Logical CPUs visible to Node. */
  cpus: number;
  /** CPU model string, as the OS reports it (empty when unknown). */
  cpu_model: string;
  /** Node.js version, e.g. `v20.11.0`. */
  node: string;
  /** `platform-arch`, e.g. `linux-x64`. */
  platform: string;
}

/** Describes the current machine; throughput numbers mean little without it. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpu_model: list[0]?.model.trim() ?? '',
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** Writes a progress line to stderr, keeping stdout for the JSON result alone. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
