/**
 * `ferrotrade live --broker ib --ib-port N --symbol S [--paper-prices]`: Interactive Brokers
 * through TWS / IB Gateway. The data is IB's 5-second real-time bars for the symbol (warm-up
 * through reqHistoricalData with `--history N` bars); with `--paper-prices` the orders fill on
 * the paper broker at those prices, else they go to the IB account through the IB adapter.
 */
import { ParamError } from '../errors.js';
import type { BrokerAdapter } from '../live/broker-adapter.js';
import type { LiveSource } from '../live/source.js';
import { ib } from '../venues/ib/adapter.js';
import { ibSource } from '../venues/ib/source.js';

/** The options this file adds to `ferrotrade live` (parseArgs form). */
export const IB_CLI_OPTIONS = {
  'ib-host': { type: 'string' }, 'ib-port': { type: 'string' }, 'ib-client-id': { type: 'string' }, 'ib-account': { type: 'string' },
} as const;

/** Its lines of `ferrotrade live --help`. */
export const IB_USAGE = `  --broker ib             Interactive Brokers through TWS / IB Gateway (@stoqey/ib must be
                          installed): IB's 5-second bars of --symbol; orders to the IB
                          account (journal them with --store), or with --paper-prices
                          paper fills at IB's prices
  --ib-port N             TWS / Gateway API port (TWS paper 7497, live 7496; Gateway 4002/4001)
  --ib-host H             its host (default 127.0.0.1)
  --ib-client-id N        API client id (default 1; the data uses the next id)
  --ib-account A          the IB account (default: the first the login manages)
`;

interface IbCliValues {
  symbol?: string | undefined;
  history?: string | undefined;
  count?: string | undefined;
  'paper-prices'?: boolean | undefined;
  'ib-host'?: string | undefined;
  'ib-port'?: string | undefined;
  'ib-client-id'?: string | undefined;
  'ib-account'?: string | undefined;
}

const int = (v: string | undefined, flag: string, min: number) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new ParamError(`${flag} takes a whole number ≥ ${min}, got '${v}'`);
  return n;
};

/** The source and (without --paper-prices) the broker adapter of `--broker ib`. */
export function ibFromArgs(values: IbCliValues): { source: LiveSource; broker?: BrokerAdapter } {
  if (!values.symbol) throw new ParamError('--broker ib needs --symbol: AAPL, EUR.USD or FUT:ES:202612');
  const port = int(values['ib-port'], '--ib-port', 1) ?? 7497;
  const clientId = int(values['ib-client-id'], '--ib-client-id', 0) ?? 1;
  const history = int(values.history, '--history', 0);
  const count = int(values.count, '--count', 1);
  const host = values['ib-host'] ?? '127.0.0.1';
  const source = ibSource({
    host, port, clientId: clientId + 1, symbol: values.symbol, data: 'bars',
    ...(history ? { history: { duration: `${history * 5} S`, barSize: '5 secs' } } : {}),
    ...(count === undefined ? {} : { maxBars: count }),
  });
  if (values['paper-prices']) return { source };
  return { source, broker: ib({ host, port, clientId, ...(values['ib-account'] ? { account: values['ib-account'] } : {}) }) };
}
