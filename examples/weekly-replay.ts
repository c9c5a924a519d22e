/**
 * A weekly system that acts every day: the sample's daily bars are replayed into weeks
 * (backtrader's `replaydata`), so the strategy runs on each day with the week so far — its SMA
 * over weeks includes the current week as it stands — and Heikin-Ashi daily candles (a data
 * filter) confirm the direction before it enters.
 *
 * Run it with `npx tsx examples/weekly-replay.ts`.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { Cerebro, feeds, filters, ind, Strategy, type Indicator, type RunResult } from '../ts/index.js';

const SAMPLE = fileURLToPath(new URL('./data/sample-daily.csv', import.meta.url));

/** Long while this week's close so far is above the 10-week average and the day's candle is up. */
export class WeeklyTrend extends Strategy {
  static override params = { weeks: 10 };
  declare p: { weeks: number };
  sma!: Indicator;
  /** Per day: weeks so far and the week's close so far (for the summary). */
  readonly days: [number, number][] = [];

  override init(): void {
    this.sma = ind.SMA(this.weeks.close, { period: this.p.weeks });
  }

  /** The replayed weekly data (the second data; the first is the Heikin-Ashi daily one). */
  get weeks() {
    return this.datas[1]!;
  }

  override next(): void {
    const week = this.weeks;
    const candle = this.datas[0]!;
    this.days.push([week.length, week.close.get(0)]);
    const up = candle.close.get(0) > candle.open.get(0);
    const held = this.getPosition(week).size;
    if (!held && week.close.get(0) > this.sma.get(0) && up) this.buy({ data: week, size: 10 });
    else if (held && week.close.get(0) < this.sma.get(0)) this.close({ data: week });
  }
}

/** Runs the example on the shipped sample; returns the run and the two feeds. */
export function runWeeklyReplay(csv = SAMPLE): { result: RunResult; daily: feeds.DataFeed; weekly: feeds.ReplayFeed } {
  const daily = feeds.backtraderCsv(csv, { name: 'daily' });
  const cerebro = new Cerebro();
  cerebro.addData(daily.addFilter(filters.heikinAshi()));
  const weekly = cerebro.replayData(daily, { timeframe: 'Weeks', name: 'weekly' });
  cerebro.broker.setCash(100_000);
  cerebro.addStrategy(WeeklyTrend);
  const [result] = cerebro.run();
  return { result: result!, daily, weekly };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { result, daily, weekly } = runWeeklyReplay();
  console.log(`${daily.size} days replayed into ${weekly.size} weeks`);
  console.log(`${result.trades.length} closed trades, final value ${result.finalValue.toFixed(2)}`);
}
