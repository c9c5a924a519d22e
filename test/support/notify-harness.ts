/** A notifier set up for tests: a memory log, the log lines kept, short retry waits. */
import { MemoryNotificationLog, Notifier, type Channel, type NotifierOptions } from '../../ts/index.js';

export interface TestNotifier {
  notifier: Notifier;
  log: MemoryNotificationLog;
  lines: string[];
}

export function testNotifier(channels: Channel[], options: Partial<NotifierOptions> = {}): TestNotifier {
  const log = new MemoryNotificationLog();
  const lines: string[] = [];
  const notifier = new Notifier({
    channels,
    log,
    dedupWindowMs: 0,
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50, timeoutMs: 5000 },
    logger: { info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) },
    ...options,
  });
  return { notifier, log, lines };
}
