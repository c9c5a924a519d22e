/**
 * The value checks of backtrader's own test suite (shared/oracle/upstream_test_expected_values.json)
 * that run one indicator on 2006-day-001: the minimum period, and each line formatted with '%f'
 * at backtrader's check points — the last bar, the first valid bar and the middle between them
 * (`[0]`, `[-l + mp]`, `[(-l + mp) // 2]` with l bars and minimum period mp).
 */
import { describe, expect, it } from 'vitest';
import { feeds, ind, ta } from '../ts/index.js';
import { oraclePath, readOracle } from './support/oracle.js';

const upstream = readOracle<any[]>('upstream_test_expected_values.json');
const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));

/** Python's '%f'. */
function pyf(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  return x.toFixed(6);
}

/**
 * Tests whose indicator reads something else than the feed: Envelope and Oscillator are tested
 * over SMA(data, 30). test_data_replay / test_data_resample run on weekly bars made from the daily
 * feed (replay and resampling are not part of this library) and are left out.
 */
const builders: Record<string, () => ReturnType<typeof ind.create>> = {
  Envelope: () => ind.Envelope(ind.SMA(data)),
  Oscillator: () => ind.Oscillator(ind.SMA(data)),
};
const LEFT_OUT = new Set(['test_data_replay.py', 'test_data_resample.py']);

const known = new Set(ta.list().flatMap((i) => i.aliases));
const cases = upstream.filter(
  (t) => t.chkdatas === 1 && t.datafiles.length === 1 && t.datafiles[0] === '2006-day-001.txt' && !t.custom_runtest && t.chkvals.length > 0 && !LEFT_OUT.has(t.test),
);

describe('backtrader test suite checks', () => {
  it('covers every single-data check of the suite', () => {
    expect(cases.length).toBeGreaterThanOrEqual(65);
    for (const t of cases) expect(known.has(t.canonical), t.canonical).toBe(true);
  });

  it.each(cases.map((t) => [`${t.test} ${t.indicator}`, t] as const))('%s', (_name, t) => {
    const indicator = builders[t.canonical]?.() ?? ind.create(t.canonical, [data], t.chkargs);
    expect(indicator.minPeriod).toBe(t.chkmin);
    const l = indicator.array.length;
    const mp = t.chkmin;
    const ago = [0, -l + mp, Math.floor((-l + mp) / 2)];
    const lines = Object.values(indicator.lines);
    t.chkvals.forEach((vals: (string | string[])[], lidx: number) => {
      vals.forEach((want, k) => {
        const got = pyf(lines[lidx]!.array[l - 1 + ago[k]!]!);
        if (Array.isArray(want)) expect(want, `${t.canonical} line ${lidx} point ${k}`).toContain(got);
        else expect(got, `${t.canonical} line ${lidx} point ${k}`).toBe(want);
      });
    });
  });
});
