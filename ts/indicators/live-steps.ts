/**
 * The streaming form of every indicator made in a strategy's `init()`, for live runs.
 *
 * In a backtest an indicator is computed once over whole columns. A live run appends one bar at
 * a time to its datas' columns; each indicator then computes its value for that bar alone: a
 * Rust indicator through its streaming state (the same state `ta.stream` uses, whose values equal
 * the batch ones), a composed line from its operands' values, a window function over its last
 * `period` values. Indicators step in the order they were created, so every input has its value
 * for the bar before the indicators that read it.
 *
 * Steps read and write the lines' current columns (`line.array`), never a column captured at
 * creation, so a live data that grows its columns only has to swap them on its lines.
 * @internal
 */
import { native } from '../native.js';
import { callNative, ParamError } from '../errors.js';
import type { Line } from '../lines/line.js';
import type { Indicator, NativeParams } from './indicator.js';
import type { WindowFn } from './functional.js';

/** Computes an indicator's values on bar `i` (its inputs have theirs). */
export type IndicatorStep = (i: number) => void;

const factories = new WeakMap<Indicator, () => IndicatorStep>();

/** Records how `ind` is computed one bar at a time (called when it is created). */
export function setStepFactory(ind: Indicator, factory: () => IndicatorStep): void {
  factories.set(ind, factory);
}

/**
 * A fresh streaming state for `ind`. @throws ParamError for an indicator made without one (a
 * custom subclass built outside `createIndicator`, `ind.*` compositions or the window functions).
 */
export function indicatorStep(ind: Indicator): IndicatorStep {
  const factory = factories.get(ind);
  if (!factory) {
    throw new ParamError(
      `indicator ${ind.indicatorName} has no streaming form, so it cannot run live; build it with createIndicator, ind.* or ta functions`,
    );
  }
  return factory();
}

/** The step of a Rust indicator: its streaming state fed the inputs' values of the bar. */
export function nativeStep(name: string, params: NativeParams | undefined, inputs: readonly Line[], outputs: readonly Line[]): IndicatorStep {
  const state = callNative(() => new native.IndicatorStream(name, params));
  const delays = state.delays;
  const rowIn = new Float64Array(inputs.length);
  const rowOut = new Float64Array(outputs.length);
  return (i) => {
    for (let k = 0; k < inputs.length; k++) rowIn[k] = inputs[k]!.array[i]!;
    state.update(rowIn, rowOut);
    for (let j = 0; j < outputs.length; j++) {
      const out = outputs[j]!.array;
      const d = delays[j] ?? 0;
      // A line reported late (Fractal, Ichimoku's chikou) gets its value `d` bars back, as the
      // batch form writes it; the bar itself has none yet.
      if (d === 0) out[i] = rowOut[j]!;
      else {
        out[i] = NaN;
        if (i - d >= 0) out[i - d] = rowOut[j]!;
      }
    }
  };
}

/** The step of a composed line (see `compose`): `f` of the operands' values on the bar. */
export function composedStep(
  operands: readonly { line?: Line; value: number }[],
  out: Line,
  minPeriod: number,
  f: (v: number[]) => number,
  nanIn: boolean,
): IndicatorStep {
  const v: number[] = new Array(operands.length).fill(0);
  return (i) => {
    const dst = out.array;
    if (i < minPeriod - 1) {
      dst[i] = NaN;
      return;
    }
    for (let k = 0; k < operands.length; k++) {
      const a = operands[k]!;
      const x = a.line ? a.line.array[i]! : a.value;
      if (nanIn && Number.isNaN(x)) {
        dst[i] = NaN;
        return;
      }
      v[k] = x;
    }
    dst[i] = f(v);
  };
}

/** The step of a window function (`ApplyN`, ...): `op` over the last `period` values. */
export function windowStep(input: Line, out: Line, period: number, op: WindowFn, start: number): IndicatorStep {
  return (i) => {
    out.array[i] = i < start ? NaN : op(input.array.slice(i - period + 1, i + 1));
  };
}
