import { ParamError } from '../errors.js';
import { DataFeed } from '../feeds/datafeed.js';
import { ReplayFeed } from '../feeds/replay.js';
import type { Broker } from '../broker/broker.js';
import type { Indicator } from '../indicators/indicator.js';
import { Analyzer, type AnalyzerContext } from '../analyzers/analyzer.js';
import { Observer } from '../observers/observer.js';
import { BrokerObserver, BuySell, DrawDownObserver, Trades } from '../observers/index.js';
import type { ParamDefaults } from './params.js';
import type { LoopResult, RunResult } from './result.js';

type AnyClass<T> = (new (params?: ParamDefaults) => T) & { defaultName: string; name: string };

/** @internal an analyzer or observer class with the parameters and name it was added with. */
export interface AddedEntry<T> {
  cls: AnyClass<T>;
  params: ParamDefaults;
  name: string;
}

/** @internal checks a class and its parameters now (constructing it validates them) and picks its name. */
export function addEntry<T>(
  kind: 'analyzer' | 'observer',
  base: abstract new (...a: any[]) => T,
  list: AddedEntry<T>[],
  cls: unknown,
  params: ParamDefaults | undefined,
  name: string | undefined,
): void {
  if (typeof cls !== 'function' || !((cls as { prototype: unknown }).prototype instanceof base)) {
    throw new ParamError(`add${kind === 'analyzer' ? 'Analyzer' : 'Observer'} takes a class from ${kind === 'analyzer' ? 'Analyzers' : 'Observers'} (or a subclass of ${base.name}), got ${String((cls as { name?: string })?.name ?? cls)}`);
  }
  const c = cls as AnyClass<T>;
  new c(params ?? {}); // throws ParamError on unknown or invalid parameters
  const finalName = name ?? c.defaultName;
  if (typeof finalName !== 'string' || !finalName) throw new ParamError(`${kind} name must be a non-empty string`);
  if (list.some((e) => e.name === finalName)) {
    throw new ParamError(`an ${kind} named '${finalName}' was already added; pass a name as the third argument`);
  }
  list.push({ cls: c, params: params ?? {}, name: finalName });
}

/** @internal data parameters given by name must name a data of the run. */
export function checkDataRefs(entries: AddedEntry<unknown>[], datas: DataFeed[]): void {
  for (const e of entries) {
    const ref = e.params.data;
    if (ref === undefined || ref === null) continue;
    const ok = ref instanceof DataFeed ? datas.includes(ref) : datas.some((d) => d.name === ref);
    if (!ok) {
      throw new ParamError(
        `${e.cls.name} '${e.name}': data ${typeof ref === 'string' ? `'${ref}' ` : ''}is not part of this run; data names: ${datas.map((d) => d.name).join(', ')}`,
      );
    }
  }
}

/** @internal turns what the loop recorded into a full result, running analyzers and observers. */
export function finishResult(
  r: LoopResult,
  extra: { datas: DataFeed[]; broker: Broker; indicators: Indicator[]; minPeriod: number; stdstats: boolean },
  analyzers: AddedEntry<Analyzer<any>>[],
  observers: AddedEntry<Observer>[],
): RunResult {
  const { datas, broker } = extra;
  const ctx: AnalyzerContext = {
    datas,
    dt: r.timeline.times,
    value: r.value,
    // The result's cash column, built from the recorder's log when first read.
    get cash() {
      return r.cash;
    },
    // Per-bar positions and fund value are built from the recorder's change logs when first
    // read: a run whose analyzers do not look at them (a sweep, a bench) allocates no columns.
    get fundValue() {
      return r.recorded.fundValue;
    },
    startValue: r.recorded.startValue,
    startFundValue: r.recorded.startFundValue,
    fundmode: broker.getFundmode(),
    shortcash: broker.shortcashEnabled,
    get positions() {
      return r.recorded.positions;
    },
    ...(r.timeline.shared ? {} : { barIndex: (d: number, i: number) => r.timeline.index[d]![i]! }),
    ...(datas.some((d) => d instanceof ReplayFeed)
      ? { barColumns: (d: number) => { const data = datas[d]!; return data instanceof ReplayFeed ? data.steps : data.columns; } }
      : {}),
    valuations: broker.valuations,
    get orders() {
      return r.orders;
    },
    get trades() {
      return r.trades;
    },
    openTrades: r.openTrades,
    minPeriod: extra.minPeriod,
  };
  // The loop's result carries its orders and trades as values built on first read: copied
  // as properties (a spread would build them now).
  const result = Object.defineProperties({}, Object.getOwnPropertyDescriptors(r)) as RunResult;
  Object.defineProperties(result, Object.getOwnPropertyDescriptors({
    datas,
    startValue: r.recorded.startValue,
    get fundValue() {
      return r.recorded.fundValue;
    },
    get positions() {
      return r.recorded.positions;
    },
    ...(r.timeline.shared ? {} : { barIndex: (d: number, i: number) => r.timeline.index[d]![i]! }),
    indicators: extra.indicators,
    minPeriod: extra.minPeriod,
    analyzers: {},
    observers: {},
    context: ctx,
  }));
  Object.defineProperty(result, 'analyzer', { value: analyzerLookup, enumerable: false, configurable: true, writable: true });
  const std: AddedEntry<Observer>[] = [];
  if (extra.stdstats) {
    std.push({ cls: BrokerObserver, params: {}, name: 'broker' });
    datas.forEach((d, k) => std.push({ cls: BuySell, params: { data: d }, name: k === 0 ? 'buysell' : `buysell${k}` }));
    std.push({ cls: Trades, params: {}, name: 'trades' }, { cls: DrawDownObserver, params: {}, name: 'drawdown' });
  }
  // Observers are computed when first read: a run whose observers nobody looks at (a sweep, a
  // bench) does not pay for them.
  const entries = [...std.filter((s) => !observers.some((o) => o.name === s.name)), ...observers];
  let computed: Record<string, Observer> | null = null;
  Object.defineProperty(result, 'observers', {
    enumerable: true,
    configurable: true,
    get(): Record<string, Observer> {
      if (computed === null) {
        computed = {};
        for (const e of entries) {
          const o = new e.cls(e.params);
          o.compute(ctx);
          computed[e.name] = o;
        }
      }
      return computed;
    },
  });
  for (const e of analyzers) {
    const a = new e.cls(e.params);
    a.compute(ctx);
    (result.analyzers as Record<string, Analyzer<any>>)[e.name] = a;
  }
  return result;
}

/** `result.analyzer(cls, name)`: the analyzer added under `name`, checked to be a `cls`. */
function analyzerLookup<A extends Analyzer<any>>(this: RunResult, cls: abstract new (...args: any[]) => A, name?: string): A {
  const all = this.analyzers as Record<string, Analyzer<any>>;
  const key = name ?? (cls as unknown as { defaultName: string }).defaultName;
  const found = all[key];
  const added = Object.entries(all).map(([k, a]) => `${k} (${a.constructor.name})`).join(', ') || 'none';
  if (!found) throw new ParamError(`no analyzer named '${key}' was added (added: ${added}); add it with cerebro.addAnalyzer(${cls.name}${name ? `, {}, '${name}'` : ''})`);
  if (!(found instanceof cls)) throw new ParamError(`the analyzer named '${key}' is a ${found.constructor.name}, not a ${cls.name}`);
  return found;
}

/**
 * Runs an analyzer or observer on a finished result and returns it, without adding it to the
 * engine: `analyze(result, Analyzers.SQN).getAnalysis()`.
 */
export function analyze<T extends Analyzer<any>>(result: RunResult, cls: new (params?: any) => T, params: ParamDefaults = {}): T {
  if (typeof cls !== 'function' || !(cls.prototype instanceof Analyzer)) {
    throw new ParamError('analyze takes a class from Analyzers or Observers');
  }
  const a = new cls(params);
  checkDataRefs([{ cls: cls as unknown as AnyClass<T>, params, name: cls.name }], result.datas);
  a.compute(result.context);
  return a;
}
