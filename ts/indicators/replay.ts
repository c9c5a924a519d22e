/**
 * Indicators over replayed data (see `ReplayFeed`): besides their values over the completed
 * bars, they get their value after every step (the bar so far), which the run writes into the
 * current bar as the bar is built. Each kind of indicator computes its steps its own way:
 * Rust indicators through their streaming state, composed lines value by value, window
 * functions over the completed bars plus the bar so far.
 * @internal
 */
import { native } from '../native.js';
import { callNative, ParamError } from '../errors.js';
import { bindReplay, replayOf, type ReplayFeed } from '../feeds/replay.js';
import type { NativeParams } from './indicator.js';
import type { WindowFn } from './functional.js';

/** The replayed data the columns belong to, and their per-step values; undefined if none does. */
function stepsOf(name: string, columns: readonly Float64Array[]): { feed: ReplayFeed; steps: Float64Array[] } | undefined {
  const links = columns.map((c) => replayOf(c));
  const feed = links.find((l) => l !== undefined)?.feed;
  if (feed === undefined) return undefined;
  const steps = links.map((l, k) => {
    if (l === undefined || l.feed !== feed) {
      throw new ParamError(
        `${name}: input ${k + 1} is not a line of the replayed data '${feed.name}' (or an indicator over it); ` +
          'over a replayed data, build every input from its lines',
      );
    }
    return l.steps;
  });
  return { feed, steps };
}

/** Per-step values of a Rust indicator whose batch outputs are `outputs`. */
export function replayNative(name: string, params: NativeParams | undefined, inputs: readonly Float64Array[], outputs: readonly Float64Array[], delays: readonly number[]): void {
  const link = stepsOf(name, inputs);
  if (link === undefined || replayOf(outputs[0]!) !== undefined) return;
  const n = link.feed.stepCount;
  const stepOut = outputs.map(() => new Float64Array(n));
  callNative(() => native.indicatorReplay(name, params, link.steps, link.feed.barEnd, stepOut));
  // A line reported late (Fractal, Ichimoku's chikou) has no value on the bar so far: during a
  // bar it keeps the bar's completed value, as it does in a run over bars.
  const { stepBar } = link.feed;
  outputs.forEach((out, j) => {
    const steps = (delays[j] ?? 0) === 0 ? stepOut[j]! : Float64Array.from(stepBar, (bar) => out[bar]!);
    bindReplay(out, link.feed, steps);
  });
}

/**
 * Per-step values of a composed line: `f` of the operands' per-step values; NaN while the bar
 * is inside the warm-up, as over completed bars.
 */
export function replayComposed(
  name: string,
  operands: readonly { array?: Float64Array; value: number }[],
  out: Float64Array,
  minPeriod: number,
  f: (v: number[]) => number,
  nanIn: boolean,
): void {
  const lined = operands.filter((a) => a.array !== undefined).map((a) => a.array!);
  const link = stepsOf(name, lined);
  if (link === undefined) return;
  const { feed } = link;
  // The operands' per-step columns, in operand order (`link.steps` has the lined ones only).
  let next = 0;
  const cols = operands.map((a) => (a.array ? link.steps[next++]! : undefined));
  const n = feed.stepCount;
  const steps = new Float64Array(n);
  const v: number[] = new Array(operands.length).fill(0);
  outer: for (let s = 0; s < n; s++) {
    if (feed.stepBar[s]! < minPeriod - 1) {
      steps[s] = NaN;
      continue;
    }
    for (let k = 0; k < operands.length; k++) {
      const x = cols[k] ? cols[k]![s]! : operands[k]!.value;
      if (nanIn && Number.isNaN(x)) {
        steps[s] = NaN;
        continue outer;
      }
      v[k] = x;
    }
    steps[s] = f(v);
  }
  bindReplay(out, feed, steps);
}

/**
 * Per-step values of a window function (`ApplyN`, ...): the window is the completed bars'
 * values followed by the input on the bar so far.
 */
export function replayWindow(name: string, input: Float64Array, out: Float64Array, period: number, op: WindowFn, start: number): void {
  const link = stepsOf(name, [input]);
  if (link === undefined) return;
  const { feed } = link;
  const inputSteps = link.steps[0]!;
  const n = feed.stepCount;
  const steps = new Float64Array(n);
  const window = new Float64Array(period);
  for (let s = 0; s < n; s++) {
    const bar = feed.stepBar[s]!;
    if (bar < start) {
      steps[s] = NaN;
      continue;
    }
    window.set(input.subarray(bar - period + 1, bar), 0);
    window[period - 1] = inputSteps[s]!;
    // Window functions may keep or change what they are given: each call gets its own copy.
    steps[s] = op(window.slice());
  }
  bindReplay(out, feed, steps);
}
