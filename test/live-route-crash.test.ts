/**
 * kill -9 of a live process between an order's intent and its sending: the restarted process
 * reconciles (the venue never got the order: it is sent once, with the same client order id),
 * takes the order over, and the strategy goes on with the venue's position — no order lost,
 * none doubled.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../ts/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-live-route-'));
const child = join(import.meta.dirname, 'support', 'live-route-child.ts');

function runChild(journal: string, venue: string, mode: 'trade' | 'recover') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, journal, venue, mode], { encoding: 'utf8', timeout: 60_000 });
  return { signal: r.signal, status: r.status, stderr: r.stderr, out: r.stdout ? JSON.parse(r.stdout) : null };
}

describe('runLive at a venue: kill -9 and restart', () => {
  it('an intent journaled but never sent is sent once on restart, and the strategy continues with the venue\'s position', () => {
    const journal = join(dir, 'orders.db');
    const venue = join(dir, 'venue.json');
    const crashed = runChild(journal, venue, 'trade');
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    const j = openJournal(journal);
    expect(j.read({ session: 'live', kind: 'intent' }).map((r) => r.clientOrderId)).toEqual(['live-1']);
    j.close();

    const { out, status, stderr } = runChild(journal, venue, 'recover');
    expect(status, stderr).toBe(0);
    expect(out.report.neverReceived).toEqual(['live-1']);
    expect(out.report.resent).toEqual(['live-1']);
    // The resent order is the strategy's first order now (adopted), filled at the next bar's open;
    // the strategy did not buy again, and later sold at the venue.
    expect(out.orders.map((o: { size: number; status: string }) => [o.size, o.status])).toEqual([[5, 'Completed'], [-5, 'Completed']]);
    expect(out.orders[0].info).toEqual({ adoptedFrom: 'live-1' });
    expect(out.orders[0].fills).toEqual([10.1]);
    expect(out.venueOrders).toEqual([
      { clientOrderId: 'live-1', side: 'buy', size: 5, status: 'filled' },
      { clientOrderId: 'live-2', side: 'sell', size: 5, status: 'filled' },
    ]);
    expect(out.position).toBe(0);
    expect(out.venuePosition).toBe(0);
    expect(out.trades).toEqual([(11.4 - 10.1) * 5]);
  });
});
