/** Instruments saved to the store and loaded back, on the embedded SQLite and real PostgreSQL and MariaDB servers. */
import { describe, expect, it } from 'vitest';
import { InstrumentError, InstrumentRegistry, loadInstrumentsFromStore, openStore, saveInstruments } from '../ts/index.js';
import { mysqlBackend, postgresBackend, sqliteBackend } from './support/store-backends.js';

describe.each([sqliteBackend, postgresBackend, mysqlBackend])('instruments in the store ($name)', (backend) => {
  it('loads back what was saved, every field, and replaces a symbol saved again', async () => {
    const db = await backend.create();
    const store = await openStore(db.url);
    try {
      const registry = new InstrumentRegistry([
        { symbol: 'AAPL', assetClass: 'stock', exchange: 'NASDAQ', calendar: 'NYSE', timezone: 'America/New_York' },
        { symbol: 'ESM24', root: 'ES', assetClass: 'future', exchange: 'CME', tickSize: 0.25, multiplier: 50, margin: 12_000, expiry: '2024-06-21' },
        { symbol: 'BTC/USDT', assetClass: 'crypto', currency: 'USDT', tickSize: 0.01, lotSize: 0.00001 },
      ]);
      expect(await saveInstruments(store, registry)).toBe(3);
      const back = await loadInstrumentsFromStore(store);
      for (const inst of registry.list()) expect(back.get(inst.symbol).spec).toEqual(inst.spec);
      expect(back.get('ESM24').expiry).toBe(Date.UTC(2024, 5, 21));
      await saveInstruments(store, new InstrumentRegistry([{ symbol: 'AAPL', assetClass: 'stock', tickSize: 0.05 }]));
      expect((await loadInstrumentsFromStore(store)).get('AAPL').tickSize).toBe(0.05);
      // A row written by another tool without a definition is named.
      await store.upsertInstruments([{ symbol: 'RAW', exchange: 'X', currency: 'USD', tickSize: 1, multiplier: 1, meta: null }]);
      await expect(loadInstrumentsFromStore(store)).rejects.toThrow(InstrumentError);
      await expect(loadInstrumentsFromStore(store)).rejects.toThrow(/RAW has no assetClass/);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
