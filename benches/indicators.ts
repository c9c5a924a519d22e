/**
 * Indicators over synthetic bars (1M by default), one core, in-process:
 *
 * * every registered indicator through `ta.run` with its default parameters: the median time of
 *   each and the total for all of them (goal: under 2 s for 1M bars);
 * * the same indicators in the npm peers that have them (technicalindicators, trading-signals,
 *   tulind, talib; a peer whose package is missing or whose native module is not built is
 *   listed under `peers_missing`);
 * * SMA and EMA against a hand-written `Float64Array` loop (goal: at most 1.0x of it; see
 *   `benches/profile.md`, "Indicators", for where the floor is), and every indicator that
 *   technicalindicators or trading-signals also has against both (goal: at least 10x faster).
 *
 * Ratios are `peer_ms / ferrotrade_ms` (above 1: ferrotrade is faster), except
 * `ratio_vs_js_loop` = `ferrotrade_ms / js_loop_ms` (at most 1 meets the goal). Times are wall
 * times: on a machine shared with other work, `node benches/profile/indicators.mjs --peers`
 * gives the same comparison in CPU time.
 */
import { createRequire } from 'node:module';

import { ta } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { median } from './lib/harness.js';
import { generateBars, type Bars } from './lib/synthetic.js';

const require = createRequire(import.meta.url);

/** A peer package, or why it is missing. */
function load(name: string): { mod?: any; error?: string } {
  try {
    return { mod: require(name) };
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0]! };
  }
}

/** Indicators taking a JavaScript function per window: timed elsewhere, not over 1M bars here. */
const FUNCTIONAL = new Set(['ApplyN', 'ReduceN', 'FindFirstIndex', 'FindLastIndex']);

function inputsFor(name: string, bars: Bars, second: Float64Array): Record<string, Float64Array> {
  const info = ta.info(name);
  const cols: Record<string, Float64Array> = {};
  for (const input of info.inputs) {
    cols[input] = input === 'data0' ? bars.close : input === 'data1' ? second : (bars as unknown as Record<string, Float64Array>)[input]!;
  }
  return cols;
}

type PeerFn = () => unknown;
type PeerSet = Record<string, PeerFn>;

/** How each peer computes the indicators it has, with the same parameters as our defaults. */
function peerRuns(bars: Bars, peers: Record<string, any>): Record<string, PeerSet> {
  const n = bars.close.length;
  const close = Array.from(bars.close), high = Array.from(bars.high), low = Array.from(bars.low), volume = Array.from(bars.volume);
  const hlc = { high, low, close };
  const hlcv = { high, low, close, volume };
  const out: Record<string, PeerSet> = {};
  const add = (ind: string, peer: string, fn: PeerFn) => ((out[ind] ??= {})[peer] = fn);

  const ti = peers.technicalindicators;
  if (ti) {
    add('MovingAverageSimple', 'technicalindicators', () => ti.SMA.calculate({ period: 30, values: close }));
    add('ExponentialMovingAverage', 'technicalindicators', () => ti.EMA.calculate({ period: 30, values: close }));
    add('WeightedMovingAverage', 'technicalindicators', () => ti.WMA.calculate({ period: 30, values: close }));
    add('RelativeStrengthIndex', 'technicalindicators', () => ti.RSI.calculate({ period: 14, values: close }));
    add('MACDHisto', 'technicalindicators', () => ti.MACD.calculate({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }));
    add('BollingerBands', 'technicalindicators', () => ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: close }));
    add('AverageTrueRange', 'technicalindicators', () => ti.ATR.calculate({ ...hlc, period: 14 }));
    add('CommodityChannelIndex', 'technicalindicators', () => ti.CCI.calculate({ ...hlc, period: 20 }));
    add('AverageDirectionalMovementIndex', 'technicalindicators', () => ti.ADX.calculate({ ...hlc, period: 14 }));
    add('OnBalanceVolume', 'technicalindicators', () => ti.OBV.calculate(hlcv));
    add('VWAP', 'technicalindicators', () => ti.VWAP.calculate(hlcv));
    add('MoneyFlowIndex', 'technicalindicators', () => ti.MFI.calculate({ ...hlcv, period: 14 }));
    add('AccumulationDistribution', 'technicalindicators', () => ti.ADL.calculate(hlcv));
    add('KeltnerChannel', 'technicalindicators', () => ti.KeltnerChannels.calculate({ ...hlc, maPeriod: 20, atrPeriod: 10, useSMA: false, multiplier: 2 }));
  }
  const ts = peers['trading-signals'];
  if (ts) {
    const each = (make: () => { update(x: unknown, r: boolean): unknown }, xs: unknown[]) => () => {
      const ind = make();
      const res = new Array(n);
      for (let i = 0; i < n; i++) res[i] = ind.update(xs[i], false);
      return res;
    };
    const candles = close.map((c, i) => ({ high: high[i]!, low: low[i]!, close: c, volume: volume[i]! }));
    add('MovingAverageSimple', 'trading-signals', each(() => new ts.SMA(30), close));
    add('ExponentialMovingAverage', 'trading-signals', each(() => new ts.EMA(30), close));
    add('WeightedMovingAverage', 'trading-signals', each(() => new ts.WMA(30), close));
    add('RelativeStrengthIndex', 'trading-signals', each(() => new ts.RSI(14), close));
    add('MACDHisto', 'trading-signals', each(() => new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9)), close));
    add('BollingerBands', 'trading-signals', each(() => new ts.BollingerBands(20, 2), close));
    add('AverageTrueRange', 'trading-signals', each(() => new ts.ATR(14), candles));
    add('CommodityChannelIndex', 'trading-signals', each(() => new ts.CCI(20), candles));
    add('AverageDirectionalMovementIndex', 'trading-signals', each(() => new ts.ADX(14), candles));
    add('MoneyFlowIndex', 'trading-signals', each(() => new ts.MFI(14), candles));
    add('VWAP', 'trading-signals', each(() => new ts.VWAP(), candles));
    add('AccumulationDistribution', 'trading-signals', each(() => new ts.AD(), candles));
    add('ChaikinOscillator', 'trading-signals', each(() => new ts.ADOSC(3, 10), candles));
    add('KeltnerChannel', 'trading-signals', each(() => new ts.KeltnerChannels({ atrInterval: 10, emaInterval: 20, multiplier: 2 }), candles));
    add('DonchianChannel', 'trading-signals', each(() => new ts.DonchianChannels(20), candles));
    add('SuperTrend', 'trading-signals', each(() => new ts.SuperTrend({ interval: 10, multiplier: 3 }), candles));
    add('ParabolicSAR', 'trading-signals', each(() => new ts.PSAR({ accelerationStep: 0.02, accelerationMax: 0.2 }), candles));
  }
  const tu = peers.tulind;
  if (tu) {
    const t = (name: string, inputs: ArrayLike<number>[], options: number[]) => () => {
      let res: unknown;
      tu.indicators[name].indicator(inputs, options, (err: unknown, r: unknown) => {
        if (err) throw err;
        res = r;
      });
      return res;
    };
    const [h, l, c, v] = [high, low, close, volume];
    add('MovingAverageSimple', 'tulind', t('sma', [c], [30]));
    add('ExponentialMovingAverage', 'tulind', t('ema', [c], [30]));
    add('WeightedMovingAverage', 'tulind', t('wma', [c], [30]));
    add('DoubleExponentialMovingAverage', 'tulind', t('dema', [c], [30]));
    add('TripleExponentialMovingAverage', 'tulind', t('tema', [c], [30]));
    add('HullMovingAverage', 'tulind', t('hma', [c], [30]));
    add('AdaptiveMovingAverage', 'tulind', t('kama', [c], [30]));
    add('RelativeStrengthIndex', 'tulind', t('rsi', [c], [14]));
    add('MACDHisto', 'tulind', t('macd', [c], [12, 26, 9]));
    add('BollingerBands', 'tulind', t('bbands', [c], [20, 2]));
    add('AverageTrueRange', 'tulind', t('atr', [h, l, c], [14]));
    add('CommodityChannelIndex', 'tulind', t('cci', [h, l, c], [20]));
    add('AverageDirectionalMovementIndex', 'tulind', t('adx', [h, l, c], [14]));
    add('Stochastic', 'tulind', t('stoch', [h, l, c], [14, 3, 3]));
    add('WilliamsR', 'tulind', t('willr', [h, l, c], [14]));
    add('ParabolicSAR', 'tulind', t('psar', [h, l], [0.02, 0.2]));
    add('AroonUpDown', 'tulind', t('aroon', [h, l], [14]));
    add('Trix', 'tulind', t('trix', [c], [15]));
    add('OnBalanceVolume', 'tulind', t('obv', [c, v], []));
    add('MoneyFlowIndex', 'tulind', t('mfi', [h, l, c, v], [14]));
    add('AccumulationDistribution', 'tulind', t('ad', [h, l, c, v], []));
    add('ChaikinOscillator', 'tulind', t('adosc', [h, l, c, v], [3, 10]));
  }
  const tl = peers.talib;
  if (tl) {
    const t = (name: string, options: object) => () =>
      tl.execute({ name, startIdx: 0, endIdx: n - 1, inReal: close, high, low, close, open: close, volume, ...options });
    add('MovingAverageSimple', 'talib', t('SMA', { optInTimePeriod: 30 }));
    add('ExponentialMovingAverage', 'talib', t('EMA', { optInTimePeriod: 30 }));
    add('WeightedMovingAverage', 'talib', t('WMA', { optInTimePeriod: 30 }));
    add('DoubleExponentialMovingAverage', 'talib', t('DEMA', { optInTimePeriod: 30 }));
    add('TripleExponentialMovingAverage', 'talib', t('TEMA', { optInTimePeriod: 30 }));
    add('AdaptiveMovingAverage', 'talib', t('KAMA', { optInTimePeriod: 30 }));
    add('RelativeStrengthIndex', 'talib', t('RSI', { optInTimePeriod: 14 }));
    add('MACDHisto', 'talib', t('MACD', { optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 }));
    add('BollingerBands', 'talib', t('BBANDS', { optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 }));
    add('AverageTrueRange', 'talib', t('ATR', { optInTimePeriod: 14 }));
    add('CommodityChannelIndex', 'talib', t('CCI', { optInTimePeriod: 20 }));
    add('AverageDirectionalMovementIndex', 'talib', t('ADX', { optInTimePeriod: 14 }));
    add('WilliamsR', 'talib', t('WILLR', { optInTimePeriod: 14 }));
    add('ParabolicSAR', 'talib', t('SAR', { optInAcceleration: 0.02, optInMaximum: 0.2 }));
    add('AroonUpDown', 'talib', t('AROON', { optInTimePeriod: 14 }));
    add('Trix', 'talib', t('TRIX', { optInTimePeriod: 15 }));
    add('OnBalanceVolume', 'talib', t('OBV', {}));
    add('MoneyFlowIndex', 'talib', t('MFI', { optInTimePeriod: 14 }));
    add('AccumulationDistribution', 'talib', t('AD', {}));
    add('ChaikinOscillator', 'talib', t('ADOSC', { optInFastPeriod: 3, optInSlowPeriod: 10 }));
    add('UltimateOscillator', 'talib', t('ULTOSC', { optInTimePeriod1: 7, optInTimePeriod2: 14, optInTimePeriod3: 28 }));
  }
  return out;
}

/** A hand-written SMA over a Float64Array: running sum, one add and one subtract a bar. */
function smaLoop(x: Float64Array, period: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i]!;
    if (i >= period) sum -= x[i - period]!;
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

/** A hand-written EMA seeded with the mean of the first `period` values. */
function emaLoop(x: Float64Array, period: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  const alpha = 2 / (period + 1);
  let prev = 0;
  for (let i = 0; i < x.length; i++) {
    if (i < period) {
      prev += x[i]!;
      if (i === period - 1) out[i] = prev = prev / period;
    } else {
      out[i] = prev = prev + alpha * (x[i]! - prev);
    }
  }
  return out;
}

const round = (x: number, d = 3) => Number(x.toFixed(d));

/** Medians of the wall time and of the process's CPU time (user + system) of `runs` calls. */
interface Timed {
  medianMs: number;
  cpuMs: number;
}

/**
 * Times `fn` like `measure` (one untimed call first, then `runs` timed ones) in wall time and in
 * CPU time. A 1M-bar indicator takes a few milliseconds: on a machine shared with other work its
 * wall time is mostly waiting for a core, so the CPU time is the one to compare.
 */
function timed(fn: () => unknown, runs: number): Timed {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { medianMs: median(wall), cpuMs: median(cpu) };
}

/** Every indicator over `bars` bars through `ta.run`, with peers and the simple-MA comparison. */
export async function indicators(options: BenchOptions): Promise<object> {
  const bars = generateBars({ n: options.bars, seed: options.seed });
  const second = ta.sma(bars.close, { period: 10 });
  const names = ta.list().map((i) => i.name).filter((n) => !FUNCTIONAL.has(n));

  const perIndicator: Record<string, number> = {};
  const perIndicatorCpu: Record<string, number> = {};
  for (const name of names) {
    const cols = inputsFor(name, bars, second);
    const m = timed(() => ta.run(name, cols), options.runs);
    perIndicator[name] = round(m.medianMs);
    perIndicatorCpu[name] = round(m.cpuMs);
  }
  const total = Object.values(perIndicator).reduce((a, b) => a + b, 0);
  progress(`indicators: ${names.length} through ta.run in ${total.toFixed(0)} ms (sum of medians)`);

  const peerNames = ['technicalindicators', 'trading-signals', 'tulind', 'talib'];
  const loaded: Record<string, any> = {};
  const missing: Record<string, string> = {};
  for (const p of peerNames) {
    const { mod, error } = load(p);
    if (mod) loaded[p] = mod;
    else missing[p] = error!;
  }
  const runs = peerRuns(bars, loaded);
  const comparisons: object[] = [];
  for (const [indicator, peers] of Object.entries(runs)) {
    const ours = perIndicator[indicator]!;
    const oursCpu = perIndicatorCpu[indicator]!;
    const row: Record<string, { ms: number; ratio: number; cpu_ms: number; cpu_ratio: number } | { error: string }> = {};
    for (const [peer, fn] of Object.entries(peers)) {
      try {
        const m = timed(fn, options.peerRuns);
        row[peer] = { ms: round(m.medianMs), ratio: round(m.medianMs / ours, 1), cpu_ms: round(m.cpuMs), cpu_ratio: round(m.cpuMs / oursCpu, 1) };
      } catch (err) {
        row[peer] = { error: (err as Error).message.split('\n')[0]! };
      }
    }
    progress(`indicators: ${indicator} against ${Object.keys(peers).join(', ')}`);
    comparisons.push({ indicator, ferrotrade_ms: ours, ferrotrade_cpu_ms: oursCpu, peers: row });
  }

  const simple: object[] = [];
  for (const [name, loop, period] of [
    ['MovingAverageSimple', smaLoop, 30],
    ['ExponentialMovingAverage', emaLoop, 30],
  ] as const) {
    // Ours and the loop alternate, so that load from other work falls on both alike.
    const oursWall: number[] = [], oursCpu: number[] = [], jsWall: number[] = [], jsCpu: number[] = [];
    const cols = inputsFor(name, bars, second);
    for (let r = 0; r < Math.max(11, options.runs); r++) {
      const a = timed(() => ta.run(name, cols), 1);
      const b = timed(() => loop(bars.close, period), 1);
      oursWall.push(a.medianMs), oursCpu.push(a.cpuMs), jsWall.push(b.medianMs), jsCpu.push(b.cpuMs);
    }
    const [ours, cpu, jsMs, jsCpuMs] = [oursWall, oursCpu, jsWall, jsCpu].map(median) as [number, number, number, number];
    const row: Record<string, unknown> = {
      indicator: name,
      period,
      ferrotrade_ms: round(ours),
      js_loop_ms: round(jsMs),
      ratio_vs_js_loop: round(ours / jsMs, 2),
      ferrotrade_cpu_ms: round(cpu),
      js_loop_cpu_ms: round(jsCpuMs),
      cpu_ratio_vs_js_loop: round(cpu / jsCpuMs, 2),
    };
    for (const peer of ['technicalindicators', 'trading-signals']) {
      const r = (comparisons.find((c) => (c as { indicator: string }).indicator === name) as { peers: Record<string, { ms?: number; ratio?: number; cpu_ratio?: number }> } | undefined)?.peers[peer];
      if (r?.ms !== undefined) {
        row[`speedup_vs_${peer}`] = r.ratio;
        row[`cpu_speedup_vs_${peer}`] = r.cpu_ratio;
      }
    }
    simple.push(row);
  }

  return {
    bench: 'indicators',
    bars: options.bars,
    runs: options.runs,
    peer_runs: options.peerRuns,
    total_ms: round(total, 1),
    goal_total_ms: 2000,
    indicator_count: names.length,
    not_timed: [...FUNCTIONAL],
    per_indicator_ms: perIndicator,
    per_indicator_cpu_ms: perIndicatorCpu,
    peers_available: Object.keys(loaded),
    peers_missing: missing,
    comparisons,
    simple_ma: simple,
    machine: machineInfo(),
  };
}
