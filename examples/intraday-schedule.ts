/**
 * Intraday on a trading calendar: ticks of a China A-share (Shanghai hours, with the lunch
 * break) are resampled to 5-minute bars that never span the break; the strategy buys 5 minutes
 * after the open, flattens 10 minutes before the close, and a Monday timer and a cron task
 * write a log — all on the data's clock.
 *
 * Run it with `npx tsx examples/intraday-schedule.ts`.
 */
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { Cerebro, calendars, feeds, Strategy, type RunResult, type Timer } from '../ts/index.js';

const sse = calendars.SSE({ holidays: ['2024-01-01'] });

/** Deterministic ticks every few seconds over each session of the first days of 2024. */
export function makeTicks(days = 5): feeds.DataFeed {
  const dt: number[] = [];
  const px: number[] = [];
  let seed = 1;
  let price = 10;
  for (let day = Date.UTC(2024, 0, 1), k = 0; k < days; day += 86_400_000) {
    const sessions = sse.sessionsOn(day);
    if (!sessions.length) continue;
    k++;
    for (const s of sessions) {
      for (let t = s.start + 1000; t <= s.end; t += 1000 + (seed % 7) * 1000) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        price = Math.max(1, Math.round((price + ((seed % 5) - 2) * 0.01) * 100) / 100);
        dt.push(t);
        px.push(price);
      }
    }
  }
  return feeds.fromColumns(
    { datetime: dt, open: px, high: px, low: px, close: px, volume: px.map(() => 100) },
    { name: '600000.SH', timeframe: 'Ticks', tz: 'Asia/Shanghai', calendar: sse },
  );
}

/** In the market from shortly after the open until shortly before the close. */
export class OpenToClose extends Strategy {
  readonly log: string[] = [];

  override init(): void {
    this.afterOpen(5, () => {
      if (this.position.size === 0) this.buy({ size: 100 });
    });
    this.beforeClose(10, () => this.close(), { priority: 1 });
    this.cron('0 */30 9-14 * * 1-5', (task) => this.log.push(`cron ${new Date(task.due).toISOString().slice(11, 16)}`));
    this.addTimer({ when: 'sessionEnd', weekdays: [1], weekcarry: true });
  }

  override notifyTimer(_timer: Timer, when: number): void {
    this.log.push(`weekly close ${new Date(when).toISOString().slice(0, 16)}`);
  }
}

/** Runs the example; returns the run and the 5-minute feed. */
export function runIntradayExample(): { result: RunResult; bars: feeds.DataFeed; log: string[] } {
  const cerebro = new Cerebro();
  const bars = cerebro.resampleData(makeTicks(), { timeframe: 'Minutes', compression: 5 });
  cerebro.broker.setCash(100_000);
  cerebro.addStrategy(OpenToClose);
  const [result] = cerebro.run();
  return { result: result!, bars, log: (result!.strategy as OpenToClose).log };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { result, bars, log } = runIntradayExample();
  console.log(`${bars.size} five-minute bars, ${result.trades.length} round trips, final value ${result.finalValue.toFixed(2)}`);
  for (const line of log.slice(0, 12)) console.log(`  ${line}`);
}
