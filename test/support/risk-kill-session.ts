/**
 * A stand-in for a live session's process, for the kill-switch tests: a risk engine with the
 * kill switch installed on the pid file given as the first argument. It prints one JSON line
 * per kill-switch call (what the session would cancel and flatten), with the engine's state
 * and the `risk` event it saw, and exits on SIGTERM.
 */
import { EventBus, RiskEngine, installKillSwitch } from '../../ts/index.js';

const pidFile = process.argv[2]!;
const bus = new EventBus();
const seen: unknown[] = [];
bus.on('risk', (e) => seen.push(e));
const engine = new RiskEngine({ maxOrderSize: 100 }, {
  bus,
  onKillSwitch: ({ flatten, reason }) => {
    process.stdout.write(`${JSON.stringify({ flatten, reason, state: engine.state, events: seen.length, last: seen.at(-1) })}\n`);
  },
});
const listener = installKillSwitch(engine, { pidFile });
process.on('SIGTERM', () => {
  listener.close();
  process.exit(0);
});
setInterval(() => {}, 1 << 30);
process.stdout.write('ready\n');
