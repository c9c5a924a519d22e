import { DataError } from '../errors.js';
import { DataFeed, type SkippedRow } from './datafeed.js';
import { BarBuilder, checkKnown } from './filters/filter.js';

/** Options of {@link chain} and `cerebro.chainData`. */
export interface ChainOptions {
  /** Name of the chained feed (default the first data's). */
  name?: string;
}

/**
 * One feed that plays `datas` one after the other (backtrader's `chaindata`, e.g. the
 * contracts of a future or a history split over files). A bar of a later data is kept only if
 * its time is after the last bar kept, so overlaps are dropped and a data wholly before what
 * was played contributes nothing. The datas must have the same time frame and timezone; the
 * result has theirs and the first data's calendar. The bars are copied into new columns.
 *
 * ```ts
 * const history = feeds.chain(feeds.backtraderCsv('2005.csv'), feeds.backtraderCsv('2006.csv'), { name: 'idx' });
 * ```
 * @throws DataError for no datas, something that is not a bar feed, or datas whose time frames
 * or timezones differ.
 */
export function chain(...datas: DataFeed[]): DataFeed;
export function chain(...args: [...DataFeed[], ChainOptions]): DataFeed;
export function chain(...args: (DataFeed | ChainOptions)[]): DataFeed {
  const last = args[args.length - 1];
  const isOptions = typeof last === 'object' && last !== null && !(last instanceof DataFeed);
  const options = isOptions ? (args.pop() as ChainOptions) : {};
  checkKnown('chain', options, ['name']);
  const datas = args as unknown[];
  if (datas.length === 0) throw new DataError('DATA', 'chain: give the datas to play one after the other, e.g. chain(d2005, d2006)');
  datas.forEach((d, k) => {
    if (!(d instanceof DataFeed) || d.constructor !== DataFeed) {
      const what = d instanceof DataFeed ? `a ${d.constructor.name}` : 'not a data feed';
      throw new DataError('DATA', `chain: argument ${k + 1} is ${what}; chain takes feeds of bars (and options last) — chain the sources of replayed datas, then replay the chain`);
    }
  });
  const feeds = datas as DataFeed[];
  // An empty data has no frame of its own to agree on.
  const filled = feeds.filter((d) => d.size > 0);
  const first = filled[0] ?? feeds[0]!;
  const frame = first.frame;
  for (const d of filled.slice(1)) {
    if (d.frame.timeframe !== frame.timeframe || d.frame.compression !== frame.compression) {
      throw new DataError(
        'DATA',
        `chain: '${d.name}' has bars of ${d.frame.compression} ${d.frame.timeframe} but '${first.name}' of ${frame.compression} ${frame.timeframe}; ` +
          'resample them to one frame first',
      );
    }
    if (d.tz !== first.tz) {
      throw new DataError(
        'DATA',
        `chain: '${d.name}' is in timezone ${d.tz ?? 'none (naive)'} but '${first.name}' in ${first.tz ?? 'none (naive)'}; load them with the same tz`,
      );
    }
  }
  const out = new BarBuilder(feeds.reduce((n, d) => n + d.size, 0));
  let lastTime = -Infinity;
  // Bars dropped for overlapping are counted with the rows the readers skipped.
  let skipped = feeds.reduce((n, d) => n + d.skipped, 0);
  const examples: SkippedRow[] = feeds.flatMap((d) => d.skippedExamples);
  for (const d of feeds) {
    const c = d.columns;
    let dropped = 0;
    for (let i = 0; i < c.datetime.length; i++) {
      // backtrader's rule: never deliver a time at or before one already delivered.
      if (c.datetime[i]! <= lastTime) {
        if (dropped++ === 0) examples.push({ line: i, reason: `bar ${i} of '${d.name}' is not after the bars chained before it` });
        continue;
      }
      lastTime = c.datetime[i]!;
      out.copy(c, i);
    }
    skipped += dropped;
  }
  return new DataFeed(options.name ?? first.name, out.finish(), skipped, examples, { frame, tz: first.tz, calendar: first.calendar });
}
