/**
 * The IB adapter's edges that need no market: symbols → IB contracts, bad options refused with
 * what to change, connecting where no TWS listens, and a client id TWS already has.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ib, ibContract, ibSource } from '../ts/venues/ib/index.js';
import { ScriptedTws } from './venues/ib-tws-server.js';

describe('ib symbols and contracts', () => {
  it('maps stocks, forex pairs, futures and explicit contracts', () => {
    expect(ibContract('AAPL')).toEqual({ symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD' });
    expect(ibContract('STK:SAP:IBIS:EUR')).toEqual({ symbol: 'SAP', secType: 'STK', exchange: 'IBIS', currency: 'EUR' });
    expect(ibContract('EUR.USD')).toEqual({ symbol: 'EUR', secType: 'CASH', exchange: 'IDEALPRO', currency: 'USD', localSymbol: 'EUR.USD' });
    expect(ibContract('FUT:ES:202612')).toEqual({ symbol: 'ES', secType: 'FUT', lastTradeDateOrContractMonth: '202612', exchange: 'CME', currency: 'USD' });
    expect(ibContract('FUT:FDAX:202612:EUREX:EUR')).toMatchObject({ exchange: 'EUREX', currency: 'EUR' });
    expect(ibContract('BRK B', { 'BRK B': { symbol: 'BRK B', secType: 'STK', exchange: 'NYSE', currency: 'USD' } })).toMatchObject({ exchange: 'NYSE' });
    expect(() => ibContract('FUT:ES')).toThrow(/FUT:ES:202612/);
    expect(() => ibContract('BTC/USDT')).toThrow(/contracts option/);
  });

  it('refuses bad options with what to change', () => {
    expect(() => ib({ port: 99999 })).toThrow(/TWS paper 7497/);
    expect(() => ib({ clientId: -1 })).toThrow(/clientId must be a non-negative integer/);
    expect(() => ibSource({ symbol: '' })).toThrow(/give the symbol/);
    expect(() => ibSource({ symbol: 'AAPL', data: 'depth' as never })).toThrow(/'bars', 'trades' or 'quotes'/);
  });
});

describe('ib connection failures', () => {
  it('says where it tried when no TWS listens', async () => {
    const free = net.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise<void>((r) => free.close(() => r()));
    const broker = ib({ port, logger: false, timeoutMs: 2000 });
    await expect(broker.connect()).rejects.toMatchObject({ code: 'VENUE_DISCONNECTED', message: expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port}`)) });
    await broker.disconnect();
  });

  it('refuses a client id TWS already has, naming it', async () => {
    const tws = await ScriptedTws.start();
    const first = ib({ port: tws.port, clientId: 9, logger: false });
    const second = ib({ port: tws.port, clientId: 9, logger: false, timeoutMs: 2000 });
    try {
      await first.connect();
      await expect(second.connect()).rejects.toMatchObject({ message: expect.stringMatching(/client id 9 is in use/) });
    } finally {
      await second.disconnect();
      await first.disconnect();
      await tws.close();
    }
  });

  it('refuses an account the login does not manage', async () => {
    const tws = await ScriptedTws.start({ account: 'DU0000001' });
    const broker = ib({ port: tws.port, clientId: 4, account: 'U7777777', logger: false });
    try {
      await expect(broker.connect()).rejects.toMatchObject({ code: 'INVALID_PARAM', message: expect.stringMatching(/U7777777.*DU0000001/) });
    } finally {
      await broker.disconnect();
      await tws.close();
    }
  });
});
