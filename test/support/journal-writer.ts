/**
 * Appends to the journal named by argv[2] forever and prints each returned seq on stdout the moment
 * `append` (argv[3] 'sync') or `appendAsync` (argv[3] 'async') gives it back. The test kills this
 * process with SIGKILL after some lines and reads every printed seq back.
 */
import { writeSync } from 'node:fs';
import { openJournal } from '../../ts/index.js';

const journal = openJournal(process.argv[2]!);
const mode = process.argv[3];
let i = 0;
const entry = () => ({ time: 1_700_000_000_000 + i, kind: 'intent', clientOrderId: `c-${i}`, payload: { i: i++, note: 'x'.repeat(64) } });

if (mode === 'sync') {
  for (;;) writeSync(1, `${journal.append(entry())}\n`);
} else {
  const loop = async () => {
    for (;;) {
      const seqs = await Promise.all([journal.appendAsync(entry()), journal.appendAsync(entry()), journal.appendAsync(entry())]);
      writeSync(1, `${seqs.join('\n')}\n`);
    }
  };
  void loop();
}
