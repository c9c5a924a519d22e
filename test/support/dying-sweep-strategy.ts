/**
 * {@link SweepCross} from a module whose import leaves a timer that throws: every worker thread
 * that loads it reports ready, then dies without a result. Each import is noted in the file named
 * by `FERROTRADE_TEST_IMPORT_LOG`, so a test can count the threads started.
 */
import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

export { SweepCross } from './sweep-strategy.js';

const log = process.env.FERROTRADE_TEST_IMPORT_LOG;
if (log) appendFileSync(log, `${threadId}\n`);
setTimeout(() => {
  throw new Error('a timer of the strategy module failed');
}, 0);
