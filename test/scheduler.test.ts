/** The scheduler in strategies and on its own, on a simulated clock. */
import { describe, expect, it } from 'vitest';
import { calendars, Cerebro, CronError, feeds, ParamError, Scheduler, SimulatedClock, Strategy, type Task } from '../ts/index.js';

const at = (s: string) => Date.parse(`${s}Z`);
const hm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

function fiveMinute(days: string[], options: feeds.FeedOptions = {}) {
  const dt: number[] = [];
  for (const d of days) for (let t = at(`${d}T09:35:00`); t <= at(`${d}T16:00:00`); t += 300_000) dt.push(t);
  const px = dt.map((_, i) => i + 1);
  return feeds.fromColumns({ datetime: dt, open: px, high: px, low: px, close: px }, options);
}

function run(data: feeds.DataFeed, setup: (s: Strategy, log: (x: string) => void) => void): string[] {
  const out: string[] = [];
  class S extends Strategy {
    override init() {
      setup(this, (x) => out.push(`${x}@${hm(this.data.datetime.get())}`));
    }
  }
  const cerebro = new Cerebro();
  cerebro.addData(data);
  cerebro.addStrategy(S);
  cerebro.run();
  return out;
}

describe('scheduler in a strategy', () => {
  it('runs daily tasks at a time, after the open and before the close of the calendar', () => {
    const data = fiveMinute(['2024-01-05', '2024-01-08'], { calendar: calendars.NYSE() }); // Friday, Monday
    const out = run(data, (s, log) => {
      s.at('09:52:30', () => log('at'));
      s.afterOpen(5, (t) => log(`open ${hm(t.due)}`));
      s.beforeClose(30, () => log('close'));
    });
    expect(out).toEqual(['open 09:35@09:35', 'at@09:55', 'close@15:30', 'open 09:35@09:35', 'at@09:55', 'close@15:30']);
  });

  it('runs every N seconds (once after a gap) and on cron expressions', () => {
    const out = run(fiveMinute(['2024-01-05']), (s, log) => {
      s.every(600, () => log('every'));
      s.cron('*/20 10-11 * * *', () => log('cron'));
    });
    expect(out.filter((x) => x.startsWith('every')).slice(0, 3)).toEqual(['every@09:45', 'every@09:55', 'every@10:05']);
    expect(out.filter((x) => x.startsWith('cron'))).toEqual(['cron@10:00', 'cron@10:20', 'cron@10:40', 'cron@11:00', 'cron@11:20', 'cron@11:40']);
  });

  it('orders tasks due together by priority, then creation; keeps states; contains failures', () => {
    const order: string[] = [];
    let failing!: Task;
    let once!: Task;
    let canceled!: Task;
    run(fiveMinute(['2024-01-05']), (s) => {
      s.at('10:00', () => order.push('low'), { priority: -1 });
      s.at('10:00', () => order.push('first'));
      s.at('10:00', () => order.push('high'), { priority: 5 });
      s.at('10:00', () => order.push('second'));
      once = s.at(at('2024-01-05T11:00:00'), () => order.push('once'));
      failing = s.at('12:00', () => {
        throw new Error('boom');
      });
      canceled = s.at('13:00', () => order.push('never'));
      s.at('12:30', () => canceled.cancel());
    });
    expect(order).toEqual(['high', 'first', 'second', 'low', 'once']);
    expect(once.state).toBe('completed');
    expect(failing.state).toBe('failed');
    expect((failing.error as Error).message).toBe('boom');
    expect(canceled.state).toBe('canceled');
    expect(canceled.cancel()).toBe(false);
  });

  it('marks a task that overruns its timeout as failed', () => {
    let slow!: Task;
    run(fiveMinute(['2024-01-05']), (s) => {
      slow = s.at('10:00', () => {
        const t0 = performance.now();
        while (performance.now() - t0 < 20);
      }, { timeout: 5 });
    });
    expect(slow.state).toBe('failed');
    expect((slow.error as Error & { code: string }).code).toBe('TASK_TIMEOUT');
  });

  it('refuses malformed cron and bad arguments with typed errors', () => {
    const s = new Scheduler(new SimulatedClock(0));
    expect(() => s.cron('61 * * * *', () => {})).toThrow(CronError);
    expect(() => s.cron('every day', () => {})).toThrow(/not a cron expression/);
    try {
      s.cron('* * *', () => {});
    } catch (e) {
      expect((e as CronError).code).toBe('INVALID_CRON');
    }
    expect(() => s.at('9h35', () => {})).toThrow(ParamError);
    expect(() => s.every(0, () => {})).toThrow(/> 0/);
    expect(() => s.afterOpen(NaN, () => {})).toThrow(ParamError);
    expect(() => s.at('10:00', 'x' as never)).toThrow(/function/);
    expect(() => s.at('10:00', () => {}, { priority: Infinity })).toThrow(/priority/);
    expect(() => s.at('10:00', () => {}, { timeout: -1 })).toThrow(/timeout/);
  });
});

describe('scheduler on its own', () => {
  it('fires on the clock it is given, with zero drift when the clock steps to each due time', () => {
    const clock = new SimulatedClock(at('2024-01-05T00:00:00'));
    const s = new Scheduler(clock);
    const seen: number[] = [];
    for (const t of ['10:00:00.250', '09:00:00', '23:59:59.999']) s.at(at(`2024-01-05T${t}`), (task) => seen.push(clock.now() - task.due));
    while (Number.isFinite(s.nextDue())) {
      clock.set(s.nextDue());
      s.runDue();
    }
    expect(seen).toEqual([0, 0, 0]);
    expect(s.tasks.every((t) => t.state === 'completed')).toBe(true);
  });

  it('keeps an async task running until it settles, and fails it on rejection or timeout', async () => {
    const clock = new SimulatedClock(0);
    const s = new Scheduler(clock);
    let resolve!: () => void;
    const ok = s.at(10, () => new Promise<void>((r) => (resolve = r)));
    const bad = s.at(10, async () => {
      throw new Error('no');
    });
    const slow = s.at(10, () => new Promise(() => {}), { timeout: 10 });
    clock.set(10);
    s.runDue();
    expect([ok.state, slow.state]).toEqual(['running', 'running']);
    resolve();
    await new Promise((r) => setTimeout(r, 40));
    expect([ok.state, bad.state, slow.state]).toEqual(['completed', 'failed', 'failed']);
    expect((slow.error as Error).name).toBe('Error');
    expect((slow.error as { code: string }).code).toBe('TASK_TIMEOUT');
  });
});
