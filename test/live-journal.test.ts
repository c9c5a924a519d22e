/**
 * The order journal and reconciliation: intents durable before they are sent, venue events
 * journaled as they arrive, and on start the journal reconciled with the venue. Crash tests kill
 * a trading process with SIGKILL between writing an intent and sending it, and between the
 * venue's fill and its journal entry: after a restart no order is lost or doubled and the
 * journal's position equals the venue's.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openJournal } from '../ts/store/journal.js';
import { OrderRouter, SimulatedVenue } from '../ts/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-live-journal-'));
const child = join(import.meta.dirname, 'support', 'live-crash-child.ts');

function runChild(journal: string, venue: string, mode: 'trade' | 'recover', crashAt?: string) {
  // node itself runs the child (tsx as a loader), so the signal that kills it is its own exit status.
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, journal, venue, mode, ...(crashAt ? [crashAt] : [])], { encoding: 'utf8', timeout: 60_000 });
  return { signal: r.signal, status: r.status, stderr: r.stderr, out: r.stdout ? JSON.parse(r.stdout || 'null') : null };
}

describe('kill -9 and reconciliation', () => {
  it('between writing an intent and sending it: the restart sends it once, and positions agree', () => {
    const journal = join(dir, 'a.db');
    const venue = join(dir, 'a.json');
    const crashed = runChild(journal, venue, 'trade', 'after-intent');
    expect(crashed.signal).toBe('SIGKILL');
    const j = openJournal(journal);
    expect(j.read({ kind: 'intent' }).map((r) => r.clientOrderId)).toEqual(['crash-1', 'crash-2']);
    j.close();

    const { out, status, stderr } = runChild(journal, venue, 'recover');
    expect(status, stderr).toBe(0);
    expect(out.report.neverReceived).toEqual(['crash-2']);
    expect(out.report.resent).toEqual(['crash-2']);
    expect(out.report.state).toEqual({ entries: 1 });
    // No order lost, none doubled: one venue order per intent.
    expect(out.venueOrders.map((o: { clientOrderId: string }) => o.clientOrderId).sort()).toEqual(['crash-1', 'crash-2']);
    expect(out.report.positions).toEqual([{ symbol: 'X', size: 5, avgPrice: 100 }]);
    expect(out.journalPositions).toEqual({ X: 5 });

    // A second restart finds nothing left to do.
    const again = runChild(journal, venue, 'recover').out;
    expect(again.report.neverReceived).toEqual([]);
    expect(again.report.missedFills).toEqual([]);
    expect(again.venueOrders).toHaveLength(2);
  });

  it("between the venue's fill and its journal entry: the restart journals the fill once, and positions agree", () => {
    const journal = join(dir, 'b.db');
    const venue = join(dir, 'b.json');
    const crashed = runChild(journal, venue, 'trade', 'before-fill-journaled');
    expect(crashed.signal).toBe('SIGKILL');
    const j = openJournal(journal);
    expect(j.read({ kind: 'venue' }).filter((r) => (r.payload as { type: string }).type === 'fill')).toEqual([]);
    j.close();

    const { out, status, stderr } = runChild(journal, venue, 'recover');
    expect(status, stderr).toBe(0);
    expect(out.report.missedFills.map((f: { clientOrderId: string; size: number }) => [f.clientOrderId, f.size])).toEqual([['crash-2', 5]]);
    expect(out.venueOrders.map((o: { clientOrderId: string }) => o.clientOrderId).sort()).toEqual(['crash-1', 'crash-2']);
    expect(out.venueFills).toHaveLength(1);
    expect(out.report.positions).toEqual([{ symbol: 'X', size: 5, avgPrice: 100 }]);
    expect(out.journalPositions).toEqual({ X: 5 });
    expect(runChild(journal, venue, 'recover').out.report.missedFills).toEqual([]);
  }, 120_000);
});

describe('reconciliation in process', () => {
  it('a submit that times out is unknown until reconciliation resolves it', async () => {
    const venue = new SimulatedVenue({ timeoutMs: 5 });
    const journal = openJournal(':memory:');
    const router = new OrderRouter(venue.adapter(), journal, { session: 's' });
    await router.start();
    venue.setPrice('X', 10);
    venue.timeoutNextSubmit({ silent: true }); // the acknowledgement and the order's events are lost
    const ack = await router.submit({ clientOrderId: 's-1', symbol: 'X', side: 'buy', size: 1, type: 'Limit', price: 5 });
    expect(ack).toBeUndefined();
    expect(router.stateOf('s-1')).toBe('unknown');
    const fresh = new OrderRouter(venue.adapter(), journal, { session: 's' });
    const report = await fresh.start();
    expect(report.resolved).toEqual([{ clientOrderId: 's-1', status: 'accepted' }]);
    expect(fresh.stateOf('s-1')).toBe('accepted');
    expect(fresh.nextClientOrderId()).toBe('s-2');
  });

  it('reports and adopts (or cancels) open orders the journal does not know', async () => {
    const venue = new SimulatedVenue();
    const other = venue.adapter('other');
    await other.connect();
    venue.setPrice('X', 10);
    await other.submit({ clientOrderId: 'manual-1', symbol: 'X', side: 'sell', size: 1, type: 'Limit', price: 20 });
    const adopt = await new OrderRouter(venue.adapter(), openJournal(':memory:'), { session: 's' }).start();
    expect(adopt.foreign.map((o) => o.clientOrderId)).toEqual(['manual-1']);
    const cancel = await new OrderRouter(venue.adapter(), openJournal(':memory:'), { session: 's', foreign: 'cancel' }).start();
    expect(cancel.foreign.map((o) => o.clientOrderId)).toEqual(['manual-1']);
    expect((await other.order('manual-1'))?.status).toBe('canceled');
  });

  it('cancels intents the venue never received when asked to', async () => {
    const venue = new SimulatedVenue({ timeoutMs: 5 });
    const journal = openJournal(':memory:');
    const router = new OrderRouter(venue.adapter(), journal, { session: 's' });
    await router.start();
    venue.setPrice('X', 10);
    venue.dropNextSubmit();
    expect(await router.submit({ clientOrderId: 's-1', symbol: 'X', side: 'buy', size: 1, type: 'Market' })).toBeUndefined();
    const report = await new OrderRouter(venue.adapter(), journal, { session: 's', unsent: 'cancel' }).start();
    expect(report.neverReceived).toEqual(['s-1']);
    expect(report.canceledUnsent).toEqual(['s-1']);
    expect(await venue.adapter().order('s-1')).toBeUndefined();
  });
});
