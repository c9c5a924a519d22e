/**
 * Scheduler bench: 10,000 tasks with random times and priorities over one simulated day.
 * (1) On its own: the simulated clock steps to each due time in turn (a discrete-event run).
 * (2) In a backtest: a strategy schedules them at whole seconds over 86,400 one-second bars,
 * and the engine's clock (the bar time) fires them.
 * Both report whether every task fired once, in order (time, then priority, then creation), and
 * the largest drift between a task's due time and the clock's time when it ran. No peer:
 * backtrader has no task scheduler (its timers are measured by the engine benches).
 */
import { Cerebro, feeds, Scheduler, SimulatedClock, Strategy, type Task } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { measure } from './lib/harness.js';

const TASKS = 10_000;
const DAY0 = Date.UTC(2024, 0, 5);
const DAY = 86_400_000;

function plan(seed: number, wholeSeconds: boolean) {
  let s = seed >>> 0;
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
  return Array.from({ length: TASKS }, () => ({
    due: DAY0 + (wholeSeconds ? (next() % 86_400) * 1000 : next() % DAY),
    priority: next() % 5,
  }));
}

/** What a task was when it ran (its `due` moves on afterwards). */
interface Fired {
  task: Task;
  due: number;
  drift: number;
}
const record = (into: Fired[]) => (task: Task) => void into.push({ task, due: task.due, drift: task.lastDrift });

/** Checks the firing order and measures drift. */
function verdict(fired: Fired[]) {
  let inOrder = true;
  let maxDrift = 0;
  for (let k = 0; k < fired.length; k++) {
    const t = fired[k]!;
    maxDrift = Math.max(maxDrift, Math.abs(t.drift));
    if (k === 0) continue;
    const p = fired[k - 1]!;
    const [pt, tt] = [p.task, t.task];
    const ok = p.due < t.due || (p.due === t.due && (pt.priority > tt.priority || (pt.priority === tt.priority && pt.seq < tt.seq)));
    if (!ok) inOrder = false;
  }
  const once = fired.length === TASKS && new Set(fired.map((f) => f.task)).size === TASKS;
  return { fired: fired.length, all_once: once, in_order: inOrder, max_drift_ms: maxDrift };
}

function standalone(seed: number) {
  const clock = new SimulatedClock(DAY0);
  const scheduler = new Scheduler(clock);
  const fired: Fired[] = [];
  for (const p of plan(seed, false)) scheduler.at(p.due, record(fired), { priority: p.priority });
  while (Number.isFinite(scheduler.nextDue())) {
    clock.set(scheduler.nextDue());
    scheduler.runDue();
  }
  return fired;
}

function inBacktest(seed: number) {
  const n = 86_400;
  const dt = Float64Array.from({ length: n }, (_, i) => DAY0 + i * 1000);
  const px = new Float64Array(n).fill(1);
  const fired: Fired[] = [];
  const tasks = plan(seed, true);
  class Tasks extends Strategy {
    override init() {
      for (const p of tasks) this.at(p.due, record(fired), { priority: p.priority });
    }
  }
  const cerebro = new Cerebro();
  cerebro.addData(feeds.fromColumns({ datetime: dt, open: px, high: px, low: px, close: px }, { timeframe: 'Seconds' }));
  cerebro.addStrategy(Tasks);
  cerebro.run();
  return fired;
}

/** Runs the bench; see the module comment. */
export async function schedulerBench(options: BenchOptions): Promise<object> {
  progress(`scheduler: ${TASKS} tasks on a simulated day, x${options.runs}`);
  let a: Fired[] = [];
  const alone = await measure(() => (a = standalone(options.seed)), { runs: options.runs });
  let b: Fired[] = [];
  const engine = await measure(() => (b = inBacktest(options.seed)), { runs: options.runs });
  return {
    bench: 'scheduler',
    tasks: TASKS,
    standalone: { ...verdict(a), median_ms: alone.medianMs, tasks_per_s: Math.round(TASKS / (alone.medianMs / 1000)) },
    backtest_86400_one_second_bars: { ...verdict(b), median_ms: engine.medianMs },
    machine: machineInfo(),
  };
}
