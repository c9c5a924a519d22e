/**
 * Contract resolution through `reqContractDetails`: a ferrotrade symbol → the one IB contract it
 * names (with its conId), cached; the details → instruments registry entries (tick size,
 * multiplier, expiry, lot, timezone); and IB contracts back to the names the strategy used.
 */
import { ParamError, VenueError } from '../../errors.js';
import { fromIbContractDetails, type IbContractDetails } from '../../instruments/adapters.js';
import type { InstrumentRegistry } from '../../instruments/registry.js';
import type { IbContract } from './api.js';
import type { IbConnection } from './client.js';
import { contractKey, contractName, ibContract, type ContractDefaults } from './contracts.js';

/** IB's contract details (the fields the adapter reads). */
export interface IbDetails extends IbContractDetails {
  contract: IbContract & IbContractDetails['contract'];
  longName?: string;
}

export class IbContracts {
  private readonly resolved = new Map<string, Promise<IbDetails>>();
  private readonly names = new Map<string, string>();

  constructor(private readonly connection: IbConnection, private readonly explicit: Record<string, IbContract>, private readonly defaults: ContractDefaults) {}

  /** Every contract details TWS has for `symbol` (a future's root without month lists its months). */
  async details(symbol: string): Promise<IbDetails[]> {
    const contract = ibContract(symbol, this.explicit, this.defaults);
    try {
      return await this.connection.collect({
        what: `reqContractDetails ${symbol}`, item: 'contractDetails', end: 'contractDetailsEnd',
        send: (id) => this.connection.client.reqContractDetails(id, contract),
        take: (a) => a[1] as IbDetails,
      });
    } catch (err) {
      if (err instanceof VenueError && /IB 200\b/.test(err.message)) {
        throw new ParamError(`ib: TWS knows no contract for '${symbol}' (${JSON.stringify(contract)}); check the symbol, or map it with contracts: { '${symbol}': { symbol, secType, exchange, currency } }`);
      }
      throw err;
    }
  }

  /** The single contract `symbol` names, with its conId. */
  resolve(symbol: string): Promise<IbContract> {
    let p = this.resolved.get(symbol);
    if (!p) {
      p = this.details(symbol).then((list) => {
        if (list.length !== 1) {
          const names = list.slice(0, 5).map((d) => d.contract.localSymbol || d.contract.symbol).join(', ');
          throw new ParamError(`ib: '${symbol}' names ${list.length} contracts (${names}, ...); name one: FUT:ROOT:YYYYMM, or map it with the contracts option`);
        }
        return list[0]!;
      });
      p.catch(() => this.resolved.delete(symbol));
      this.resolved.set(symbol, p);
    }
    return p.then((d) => {
      const c: IbContract = { ...d.contract, exchange: ibContract(symbol, this.explicit, this.defaults).exchange ?? d.contract.exchange };
      this.names.set(contractKey(c), symbol);
      this.names.set(contractKey({ ...c, conId: 0 }), symbol);
      return c;
    });
  }

  /** The name a strategy used for this contract, else a default name. */
  nameOf(c: IbContract): string {
    return this.names.get(contractKey(c)) ?? this.names.get(contractKey({ ...c, conId: 0 })) ?? contractName(c);
  }
}

/**
 * Instruments registry entries from TWS's contract details of `symbols` (each may name several
 * contracts: every month of a future's root).
 */
export async function loadIbInstruments(contracts: IbContracts, symbols: readonly string[]): Promise<InstrumentRegistry> {
  const details: IbDetails[] = [];
  for (const s of symbols) details.push(...(await contracts.details(s)));
  return fromIbContractDetails(details.map((d) => ({ ...d, contract: { ...d.contract, multiplier: d.contract.multiplier ?? '' } })));
}
