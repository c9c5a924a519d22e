/**
 * Instruments in the store (`ts/store`): the store's `instruments` table keeps symbol, exchange,
 * currency, tick size and multiplier in columns and the rest of the definition in `meta`, so a
 * registry saved there loads back whole.
 */
import { InstrumentError } from '../errors.js';
import type { InstrumentRow } from '../store/types.js';
import type { InstrumentSpec } from './instrument.js';
import { InstrumentRegistry } from './registry.js';

/** What these functions need of a store (every `Store` has it). */
export interface InstrumentStore {
  upsertInstruments(rows: InstrumentRow[]): Promise<number>;
  instruments(): Promise<InstrumentRow[]>;
}

/** Writes every instrument of `registry` to the store (replacing rows with the same symbol). */
export function saveInstruments(store: InstrumentStore, registry: InstrumentRegistry): Promise<number> {
  return store.upsertInstruments(
    registry.list().map((i) => {
      const { symbol, exchange, currency, tickSize, multiplier, ...rest } = i.spec;
      return { symbol, exchange: exchange ?? null, currency: currency ?? null, tickSize: tickSize ?? null, multiplier: multiplier ?? null, meta: rest };
    }),
  );
}

/**
 * Loads the store's instruments. A row written without a definition in `meta` (by another tool)
 * needs at least `meta.assetClass`; it is an `InstrumentError` naming the symbol otherwise.
 */
export async function loadInstrumentsFromStore(store: InstrumentStore): Promise<InstrumentRegistry> {
  const registry = new InstrumentRegistry();
  for (const row of await store.instruments()) {
    const meta = (row.meta && typeof row.meta === 'object' ? row.meta : {}) as Partial<InstrumentSpec>;
    if (meta.assetClass === undefined) {
      throw new InstrumentError(`store: instrument ${row.symbol} has no assetClass in its meta; save it with saveInstruments`, 'store', 0, 'assetClass');
    }
    const spec: InstrumentSpec = { ...meta, symbol: row.symbol, assetClass: meta.assetClass };
    if (row.exchange != null) spec.exchange = row.exchange;
    if (row.currency != null) spec.currency = row.currency;
    if (row.tickSize != null) spec.tickSize = row.tickSize;
    if (row.multiplier != null) spec.multiplier = row.multiplier;
    registry.add(spec, { file: 'store', line: 0 });
  }
  return registry;
}
