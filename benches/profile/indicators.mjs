/**
 * Profiling driver for indicators over whole columns: `ta.run` of the named indicators (default:
 * every one that technicalindicators or trading-signals also has) on the published build (dist/),
 * beside the floors a batch indicator cannot beat in JavaScript: a fresh output column written
 * once (`alloc+fill`), a fresh copy of the input (`alloc+copy`), and the hand-written
 * `Float64Array` SMA and EMA loops of `benches/indicators.ts`. Prints one JSON line with the CPU
 * time (user + system of the process) per indicator: minimum and median of the runs, which
 * alternate between the indicators so that load from other work spreads over all of them.
 *
 *   node benches/profile/indicators.mjs [Name ...] [--runs 9] [--bars 1000000] [--peers]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof benches/profile/indicators.mjs OBV --runs 50
 *
 * `--peers` also times technicalindicators and trading-signals (one run each: they take seconds)
 * and prints `peer_ms / ferrotrade_ms` per peer. Set FERROTRADE_DIST to time another build's
 * dist/ (A/B against this one; its parent must hold bindings/).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = process.env.FERROTRADE_DIST ?? join(here, '..', '..', 'dist');
const { ta } = await import(join(dist, 'index.js'));
const require = createRequire(import.meta.url);

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const k = argv.indexOf(name);
  return k >= 0 ? Number(argv[k + 1]) : dflt;
};
const runs = opt('--runs', 9);
const n = opt('--bars', 1_000_000);
const withPeers = argv.includes('--peers');
const named = argv.filter((a, k) => !a.startsWith('--') && !argv[k - 1]?.startsWith('--runs') && !argv[k - 1]?.startsWith('--bars'));

/** Bars from a seeded random walk in cents (the shape of `benches/lib/synthetic.ts`, not its numbers). */
function bars(count) {
  let s = 42;
  const rnd = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const cols = { open: new Float64Array(count), high: new Float64Array(count), low: new Float64Array(count), close: new Float64Array(count), volume: new Float64Array(count) };
  let p = 100;
  for (let i = 0; i < count; i++) {
    const o = p;
    p = Math.max(1, Math.round((p * (1 + (rnd() - 0.5) * 0.02) + (100 - p) * 0.0005) * 100) / 100);
    cols.open[i] = o;
    cols.close[i] = p;
    cols.high[i] = Math.round((Math.max(o, p) * (1 + rnd() * 0.004)) * 100) / 100;
    cols.low[i] = Math.round((Math.min(o, p) * (1 - rnd() * 0.004)) * 100) / 100;
    cols.volume[i] = Math.round(1000 + rnd() * 100000);
  }
  return cols;
}

const data = bars(n);
const PEER_NAMES = [
  'MovingAverageSimple', 'ExponentialMovingAverage', 'WeightedMovingAverage', 'RelativeStrengthIndex', 'MACDHisto',
  'BollingerBands', 'AverageTrueRange', 'CommodityChannelIndex', 'AverageDirectionalMovementIndex', 'OnBalanceVolume',
  'VWAP', 'MoneyFlowIndex', 'AccumulationDistribution', 'KeltnerChannel', 'ChaikinOscillator', 'DonchianChannel',
  'SuperTrend', 'ParabolicSAR',
];
const names = (named.length ? named : PEER_NAMES).map((x) => ta.info(x).name);

const inputsOf = (name) => Object.fromEntries(ta.info(name).inputs.map((c) => [c, data[c] ?? data.close]));

/** The hand loops of `benches/indicators.ts`. */
function smaLoop(x, period) {
  const out = new Float64Array(x.length).fill(NaN);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    sum += x[i];
    if (i >= period) sum -= x[i - period];
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}
function emaLoop(x, period) {
  const out = new Float64Array(x.length).fill(NaN);
  const alpha = 2 / (period + 1);
  let prev = 0;
  for (let i = 0; i < x.length; i++) {
    if (i < period) {
      prev += x[i];
      if (i === period - 1) out[i] = prev = prev / period;
    } else {
      out[i] = prev = prev + alpha * (x[i] - prev);
    }
  }
  return out;
}

const jobs = {
  'floor: alloc+fill': () => new Float64Array(n).fill(1),
  'floor: alloc+copy': () => new Float64Array(n).set(data.close),
  'js loop: SMA(30)': () => smaLoop(data.close, 30),
  'js loop: EMA(30)': () => emaLoop(data.close, 30),
};
for (const name of names) {
  const cols = inputsOf(name);
  jobs[name] = () => ta.run(name, cols);
}

const cpuMs = (fn) => {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};

const samples = Object.fromEntries(Object.keys(jobs).map((k) => [k, []]));
for (const fn of Object.values(jobs)) fn(); // warm-up: JIT, first page faults of the heap
for (let r = 0; r < runs; r++) {
  for (const [k, fn] of Object.entries(jobs)) samples[k].push(cpuMs(fn));
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const round = (x) => Math.round(x * 100) / 100;
const result = {};
for (const [k, xs] of Object.entries(samples)) result[k] = { min_ms: round(Math.min(...xs)), median_ms: round(med(xs)) };

if (withPeers) {
  const ti = require('technicalindicators');
  const ts = require('trading-signals');
  const close = Array.from(data.close), high = Array.from(data.high), low = Array.from(data.low), volume = Array.from(data.volume);
  const hlc = { high, low, close }, hlcv = { high, low, close, volume };
  const candles = close.map((c, i) => ({ high: high[i], low: low[i], close: c, volume: volume[i] }));
  const each = (make, xs) => () => {
    const ind = make();
    const res = new Array(n);
    for (let i = 0; i < n; i++) res[i] = ind.update(xs[i], false);
    return res;
  };
  // The parameters of `benches/indicators.ts`.
  const peers = {
    MovingAverageSimple: { technicalindicators: () => ti.SMA.calculate({ period: 30, values: close }), 'trading-signals': each(() => new ts.SMA(30), close) },
    ExponentialMovingAverage: { technicalindicators: () => ti.EMA.calculate({ period: 30, values: close }), 'trading-signals': each(() => new ts.EMA(30), close) },
    WeightedMovingAverage: { technicalindicators: () => ti.WMA.calculate({ period: 30, values: close }), 'trading-signals': each(() => new ts.WMA(30), close) },
    RelativeStrengthIndex: { technicalindicators: () => ti.RSI.calculate({ period: 14, values: close }), 'trading-signals': each(() => new ts.RSI(14), close) },
    MACDHisto: {
      technicalindicators: () => ti.MACD.calculate({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false }),
      'trading-signals': each(() => new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9)), close),
    },
    BollingerBands: { technicalindicators: () => ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: close }), 'trading-signals': each(() => new ts.BollingerBands(20, 2), close) },
    AverageTrueRange: { technicalindicators: () => ti.ATR.calculate({ ...hlc, period: 14 }), 'trading-signals': each(() => new ts.ATR(14), candles) },
    CommodityChannelIndex: { technicalindicators: () => ti.CCI.calculate({ ...hlc, period: 20 }), 'trading-signals': each(() => new ts.CCI(20), candles) },
    AverageDirectionalMovementIndex: { technicalindicators: () => ti.ADX.calculate({ ...hlc, period: 14 }), 'trading-signals': each(() => new ts.ADX(14), candles) },
    OnBalanceVolume: { technicalindicators: () => ti.OBV.calculate(hlcv) },
    VWAP: { technicalindicators: () => ti.VWAP.calculate(hlcv), 'trading-signals': each(() => new ts.VWAP(), candles) },
    MoneyFlowIndex: { technicalindicators: () => ti.MFI.calculate({ ...hlcv, period: 14 }), 'trading-signals': each(() => new ts.MFI(14), candles) },
    AccumulationDistribution: { technicalindicators: () => ti.ADL.calculate(hlcv), 'trading-signals': each(() => new ts.AD(), candles) },
    KeltnerChannel: {
      technicalindicators: () => ti.KeltnerChannels.calculate({ ...hlc, maPeriod: 20, atrPeriod: 10, useSMA: false, multiplier: 2 }),
      'trading-signals': each(() => new ts.KeltnerChannels({ atrInterval: 10, emaInterval: 20, multiplier: 2 }), candles),
    },
    ChaikinOscillator: { 'trading-signals': each(() => new ts.ADOSC(3, 10), candles) },
    DonchianChannel: { 'trading-signals': each(() => new ts.DonchianChannels(20), candles) },
    SuperTrend: { 'trading-signals': each(() => new ts.SuperTrend({ interval: 10, multiplier: 3 }), candles) },
    ParabolicSAR: { 'trading-signals': each(() => new ts.PSAR({ accelerationStep: 0.02, accelerationMax: 0.2 }), candles) },
  };
  for (const name of names) {
    for (const [peer, fn] of Object.entries(peers[name] ?? {})) {
      fn(); // warm-up
      const ms = cpuMs(fn);
      result[name][peer] = { ms: round(ms), ratio: round(ms / result[name].median_ms) };
    }
  }
}
console.log(JSON.stringify({ bars: n, runs, cpu_ms: result }));
