/**
 * Writes the shipped sample futures chain (examples/data/futures/): four quarterly contracts of a
 * generated index future in backtrader CSV, and their instruments file. Deterministic:
 * `npx tsx scripts/make-futures-sample.ts` rewrites the same files.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { futures } from '../ts/index.js';

const dir = join(import.meta.dirname, '..', 'examples', 'data', 'futures');
const expiries = ['2024-03-15', '2024-06-21', '2024-09-20', '2024-12-20'];
const chain = futures.syntheticChain({ root: 'FDX', expiries, listedDays: 150, volumeRollDays: 8, seed: 7, start: 4800, carry: 25, step: 40, tick: 0.5 });
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
for (const c of chain) {
  const k = c.columns;
  const rows = Array.from(k.datetime, (t, i) => [day(t), k.open[i], k.high[i], k.low[i], k.close[i], k.volume[i], k.openinterest[i]].join(','));
  writeFileSync(join(dir, `${c.symbol}.csv`), `Date,Open,High,Low,Close,Volume,OpenInterest\n${rows.join('\n')}\n`);
}
const instruments = chain.map((c) => ({
  symbol: c.symbol, root: 'FDX', assetClass: 'future', exchange: 'DEMO', currency: 'EUR', tickSize: 0.5, lotSize: 1,
  multiplier: 25, margin: 15000, expiry: c.expiry, timezone: 'Europe/Berlin',
}));
writeFileSync(join(dir, 'instruments.json'), `${JSON.stringify({ instruments }, null, 2)}\n`);
console.log(`wrote ${chain.map((c) => c.symbol).join(', ')} and instruments.json to ${dir}`);
