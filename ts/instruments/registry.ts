/** A set of instruments by symbol, with the futures grouped by root. */
import { InstrumentError } from '../errors.js';
import { Instrument, type InstrumentSpec, type SpecSource } from './instrument.js';

/**
 * Instruments by symbol. Add definitions in code or load files ({@link loadInstruments}); a data
 * added to the cerebro under an instrument's symbol trades that instrument once the registry is
 * given to `cerebro.setInstruments(registry)`.
 *
 * ```ts
 * const registry = new InstrumentRegistry();
 * registry.add({ symbol: 'AAPL', assetClass: 'stock', exchange: 'NASDAQ', calendar: 'NYSE' });
 * registry.get('AAPL').tickSize; // 0.01
 * registry.chain('ES');          // the ES futures, nearest expiry first
 * ```
 */
export class InstrumentRegistry {
  private readonly bySymbol = new Map<string, Instrument>();

  constructor(instruments: Iterable<Instrument | InstrumentSpec> = []) {
    for (const i of instruments) this.add(i);
  }

  /**
   * Adds an instrument (or a definition, checked now).
   * @throws InstrumentError when the symbol is registered already.
   */
  add(instrument: Instrument | InstrumentSpec, source?: SpecSource): Instrument {
    const inst = instrument instanceof Instrument ? instrument : new Instrument(instrument, source);
    if (this.bySymbol.has(inst.symbol)) {
      const at = source?.file ? `${source.file}:${source.line}: ` : '';
      throw new InstrumentError(`${at}instrument ${inst.symbol} is defined twice; symbols are unique in a registry`, source?.file ?? '', source?.line ?? 0, 'symbol');
    }
    this.bySymbol.set(inst.symbol, inst);
    return inst;
  }

  /** Adds every instrument of `other` (an error on the first symbol both define). */
  merge(other: InstrumentRegistry): this {
    for (const i of other.list()) this.add(i);
    return this;
  }

  has(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  /** The instrument `symbol`, or `undefined`. */
  find(symbol: string): Instrument | undefined {
    return this.bySymbol.get(symbol);
  }

  /** @throws InstrumentError naming the known symbols when `symbol` is not registered. */
  get(symbol: string): Instrument {
    const inst = this.bySymbol.get(symbol);
    if (!inst) {
      const known = [...this.bySymbol.keys()];
      const list = known.length > 20 ? `${known.slice(0, 20).join(', ')}, ...` : known.join(', ') || 'none';
      throw new InstrumentError(`no instrument '${symbol}'; registered: ${list}`, '', 0, 'symbol');
    }
    return inst;
  }

  /** Every instrument, in the order added. */
  list(): Instrument[] {
    return [...this.bySymbol.values()];
  }

  get size(): number {
    return this.bySymbol.size;
  }

  /** The futures of one root, nearest expiry first. */
  chain(root: string): Instrument[] {
    return this.list()
      .filter((i) => i.assetClass === 'future' && i.root === root)
      .sort((a, b) => a.expiry - b.expiry);
  }

  /** The definitions, as a JSON instruments file holds them. */
  toJSON(): InstrumentSpec[] {
    return this.list().map((i) => i.spec);
  }
}
