/**
 * {@link SweepCross} from a module that notes each import: a line in the file named by
 * `FERROTRADE_TEST_IMPORT_LOG`, so a test can count the worker threads that loaded it.
 */
import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

export { SweepCross } from './sweep-strategy.js';

const log = process.env.FERROTRADE_TEST_IMPORT_LOG;
if (log) appendFileSync(log, `${threadId}\n`);
