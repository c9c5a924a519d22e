/**
 * The parts of `@stoqey/ib` the adapter uses, typed loosely here (its own types are large and
 * the package is an optional peer: a backtest installs none of it), and its loader.
 */
import { importWithPeers } from '../../optional-peer.js';

/** An IB contract (the fields the adapter sets or reads). */
export interface IbContract {
  conId?: number;
  symbol?: string;
  secType?: string;
  lastTradeDateOrContractMonth?: string;
  multiplier?: number | string;
  exchange?: string;
  primaryExch?: string;
  currency?: string;
  localSymbol?: string;
  tradingClass?: string;
}

/** An IB order (the fields the adapter sets or reads). */
export interface IbOrder {
  orderId?: number;
  action?: 'BUY' | 'SELL' | string;
  totalQuantity?: number;
  orderType?: string;
  lmtPrice?: number;
  auxPrice?: number;
  tif?: string;
  goodTillDate?: string;
  ocaGroup?: string;
  ocaType?: number;
  account?: string;
  orderRef?: string;
  transmit?: boolean;
  parentId?: number;
  trailStopPrice?: number;
  trailingPercent?: number;
  lmtPriceOffset?: number;
  permId?: number;
  clientId?: number;
}

/** An execution as `execDetails` gives it. */
export interface IbExecution {
  orderId?: number;
  execId?: string;
  time?: string;
  acctNumber?: string;
  side?: string;
  shares?: number;
  price?: number;
  permId?: number;
  clientId?: number;
  cumQty?: number;
  avgPrice?: number;
  orderRef?: string;
}

/** The IBApi client: an EventEmitter with the request methods. */
export interface IbApiClient {
  connect(clientId?: number): unknown;
  disconnect(): unknown;
  readonly isConnected: boolean;
  on(event: string, fn: (...args: any[]) => void): unknown;
  removeAllListeners(event?: string): unknown;
  placeOrder(id: number, contract: IbContract, order: IbOrder): unknown;
  cancelOrder(id: number, manualCancelOrderTime?: string): unknown;
  reqIds(numIds?: number): unknown;
  reqOpenOrders(): unknown;
  reqPositions(): unknown;
  cancelPositions(): unknown;
  reqExecutions(reqId: number, filter: { clientId?: number; acctCode?: string; time?: string; symbol?: string; secType?: string; exchange?: string; side?: string }): unknown;
  reqAccountSummary(reqId: number, group: string, tags: string): unknown;
  cancelAccountSummary(reqId: number): unknown;
  reqContractDetails(reqId: number, contract: IbContract): unknown;
  reqMktData(reqId: number, contract: IbContract, genericTickList: string, snapshot: boolean, regulatorySnapshot: boolean): unknown;
  cancelMktData(reqId: number): unknown;
  reqRealTimeBars(reqId: number, contract: IbContract, barSize: number, whatToShow: string, useRTH: boolean): unknown;
  cancelRealTimeBars(reqId: number): unknown;
  reqHistoricalData(reqId: number, contract: IbContract, endDateTime: string, durationStr: string, barSizeSetting: string, whatToShow: string, useRTH: number, formatDate: number, keepUpToDate: boolean): unknown;
}

/** The module's constructor. */
export interface IbModule {
  IBApi: new (options: { host?: string; port?: number; clientId?: number; maxReqPerSec?: number }) => IbApiClient;
}

let loaded: Promise<IbModule> | undefined;

/** Imports `@stoqey/ib` once; a missing package is a MissingPeerError naming it. */
export function loadIb(): Promise<IbModule> {
  loaded ??= importWithPeers(
    async () => {
      const m = (await import('@stoqey/ib')) as unknown as IbModule & { default?: IbModule };
      return m.IBApi ? m : (m.default as IbModule);
    },
    ['@stoqey/ib'],
    'the Interactive Brokers adapter',
  ).catch((err: unknown) => {
    loaded = undefined;
    throw err;
  });
  return loaded;
}
