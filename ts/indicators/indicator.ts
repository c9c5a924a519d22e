import { native } from '../native.js';
import { callNative, ParamError } from '../errors.js';
import { Line } from '../lines/line.js';
import { DataFeed } from '../feeds/datafeed.js';
import { registerIndicator } from './owner.js';

/** What an indicator reads: a line, another indicator, or a data feed (its close). */
export type LineSource = Line | DataFeed;

/** Indicator parameters by backtrader name, in snake_case or camelCase. */
export type IndicatorParams = Record<string, number>;

function asLine(src: LineSource, what: string): Line {
  if (src instanceof Line) return src;
  if (src instanceof DataFeed) return src.close;
  throw new ParamError(`${what} must be a line, an indicator or a data feed`);
}

function checkParams(name: string, params: IndicatorParams | undefined): Record<string, number> | undefined {
  if (params === undefined) return undefined;
  if (typeof params !== 'object' || params === null) {
    throw new ParamError(`${name}: parameters must be an object like { period: 20 }`);
  }
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'number') throw new ParamError(`${name}: parameter '${k}' must be a number, got ${typeof v}`);
  }
  return params;
}

/**
 * A computed indicator. It is itself its first line (so `sma.get(0)` reads the average), and
 * every output line is reachable by backtrader's name: `bbands.lines.top`, or `bbands.top`.
 */
export class Indicator extends Line {
  /** backtrader's class name of the indicator. */
  readonly indicatorName: string;
  /** Output lines by name. */
  readonly lines: Readonly<Record<string, Line>>;
  /** Validated parameters with defaults filled in. */
  readonly params: Readonly<Record<string, number>>;

  constructor(indicatorName: string, lines: Record<string, Line>, first: Line, params: Record<string, number>) {
    super(first.array, first.cursor, first.minPeriod, first.name);
    this.indicatorName = indicatorName;
    this.lines = lines;
    this.params = params;
    for (const [lineName, line] of Object.entries(lines)) {
      if (!(lineName in this)) Object.defineProperty(this, lineName, { value: line, enumerable: true });
    }
  }
}

/**
 * Computes indicator `name` (backtrader name or alias) over `sources`, in Rust, over whole
 * columns. Created inside a strategy's `init()`, it counts toward the strategy's warm-up.
 */
export function createIndicator(name: string, sources: readonly LineSource[], params?: IndicatorParams): Indicator {
  const info = callNative(() => native.indicatorInfo(name));
  const given = checkParams(info.name, params);
  if (sources.length !== info.inputs.length) {
    throw new ParamError(
      `${info.name} takes ${info.inputs.length} input(s) (${info.inputs.join(', ')}), got ${sources.length}`,
    );
  }
  const inputs = sources.map((s, k) => asLine(s, `${info.name} input ${k + 1}`));
  const cursor = inputs[0]!.cursor;
  if (inputs.some((l) => l.cursor !== cursor)) {
    throw new ParamError(`${info.name}: all inputs must belong to the same data`);
  }
  const n = inputs[0]!.array.length;
  const outputs = info.lines.map(() => new Float64Array(n));
  callNative(() => native.indicatorRun(info.name, given, inputs.map((l) => l.array), outputs));
  const minPeriod = callNative(() => native.indicatorMinPeriod(info.name, given, inputs.map((l) => l.minPeriod)));
  const values = callNative(() => native.indicatorParams(info.name, given));
  const resolved: Record<string, number> = {};
  info.params.forEach((p, k) => (resolved[p.name] = values[k]!));
  const lines: Record<string, Line> = {};
  info.lines.forEach((lineName, k) => (lines[lineName] = new Line(outputs[k]!, cursor, minPeriod, lineName)));
  const ind = new Indicator(info.name, lines, lines[info.lines[0]!]!, resolved);
  registerIndicator(ind);
  return ind;
}
