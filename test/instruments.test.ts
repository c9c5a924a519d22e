/** Instruments: definitions, files with typed errors, and orders rounded and checked in a backtest. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Cerebro, feeds, fromCcxtMarkets, fromIbContractDetails, Instrument, InstrumentError, InstrumentRegistry, InstrumentRuleError, loadInstruments,
  Strategy, type Order,
} from '../ts/index.js';

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ferrotrade-inst-')), name);
  writeFileSync(path, text);
  return path;
}

describe('Instrument', () => {
  it('rounds prices to the tick and sizes down to lots without floating-point residue', () => {
    const es = new Instrument({ symbol: 'ESH24', root: 'ES', assetClass: 'future', tickSize: 0.25, multiplier: 50, margin: 12000, expiry: '2024-03-15' });
    expect(es.roundPrice(5012.13)).toBe(5012.25);
    expect(es.roundPrice(5012.12)).toBe(5012);
    const fx = new Instrument({ symbol: 'EURUSD', assetClass: 'forex', tickSize: 0.00001, lotSize: 1000 });
    expect(fx.roundPrice(1.234567)).toBe(1.23457);
    expect(fx.roundSize(2500)).toBe(2000);
    expect(fx.onLot(3000)).toBe(true);
    expect(fx.onTick(1.1)).toBe(true);
    const btc = new Instrument({ symbol: 'BTCUSDT', assetClass: 'crypto', currency: 'USDT', tickSize: 0.1, lotSize: 0.001 });
    expect(btc.roundSize(0.0057)).toBe(0.005);
    expect(btc.onLot(0.003)).toBe(true);
    expect(es.daysToExpiry(Date.UTC(2024, 2, 1, 15))).toBe(14);
    expect(es.pointValue(2, 3)).toBe(300);
  });

  it('names the field that is wrong', () => {
    const err = (spec: object) => {
      try {
        new Instrument(spec as never);
      } catch (e) {
        expect(e).toBeInstanceOf(InstrumentError);
        return (e as InstrumentError).field;
      }
      throw new Error('no error');
    };
    expect(err({ symbol: 'X', assetClass: 'bond' })).toBe('assetClass');
    expect(err({ symbol: 'X', assetClass: 'stock', tickSize: 0 })).toBe('tickSize');
    expect(err({ symbol: 'X', assetClass: 'future', root: 'X' })).toBe('expiry');
    expect(err({ symbol: 'XH4', assetClass: 'future', expiry: '2024-03-15' })).toBe('root');
    expect(err({ symbol: 'X', assetClass: 'stock', calendar: 'LSE' })).toBe('calendar');
    expect(err({ symbol: 'X', assetClass: 'stock', timezone: 'Mars/Olympus' })).toBe('timezone');
    expect(err({ symbol: 'X', assetClass: 'stock', expiry: '15/03/2024' })).toBe('expiry');
    expect(new Instrument({ symbol: 'AAPL', assetClass: 'stock', calendar: 'NYSE' }).calendar!.tz).toBe('America/New_York');
  });
});

describe('instruments files', () => {
  it('loads CSV (snake_case headers, empty cells take defaults) and JSON, and groups futures by root', () => {
    const csv = file('i.csv', 'symbol,asset_class,exchange,tick_size,lot_size,multiplier,margin,expiry,root,calendar\n' +
      'AAPL,stock,NASDAQ,0.01,,,,,,NYSE\n' +
      'ESM24,future,CME,0.25,1,50,12000,2024-06-21,ES,\n' +
      'ESH24,future,CME,0.25,1,50,12000,2024-03-15,ES,\n');
    const reg = loadInstruments(csv);
    expect(reg.size).toBe(3);
    expect(reg.get('AAPL').lotSize).toBe(1);
    expect(reg.chain('ES').map((i) => i.symbol)).toEqual(['ESH24', 'ESM24']);
    const json = file('i.json', JSON.stringify({ instruments: reg.toJSON() }, null, 2));
    expect(loadInstruments(json).get('ESM24').multiplier).toBe(50);
  });

  it('reports file, line and field of a bad row', () => {
    const csv = file('bad.csv', 'symbol,assetClass,tickSize\nAAPL,stock,0.01\nMSFT,stock,abc\n');
    expect(() => loadInstruments(csv)).toThrow(expect.objectContaining({ file: csv, line: 3, field: 'tickSize', code: 'INVALID_INSTRUMENT' }));
    const dup = file('dup.csv', 'symbol,assetClass\nAAPL,stock\nAAPL,stock\n');
    expect(() => loadInstruments(dup)).toThrow(expect.objectContaining({ line: 3, field: 'symbol' }));
    const header = file('h.csv', 'symbol,assetClass,tick\nAAPL,stock,1\n');
    expect(() => loadInstruments(header)).toThrow(expect.objectContaining({ line: 1, field: 'tick' }));
    const json = file('bad.json', '[\n  { "symbol": "A", "assetClass": "stock" },\n  { "symbol": "B",\n    "assetClass": "future" }\n]\n');
    expect(() => loadInstruments(json)).toThrow(expect.objectContaining({ file: json, line: 3, field: 'expiry' }));
    expect(() => loadInstruments(file('x.yaml', ''))).toThrow(InstrumentError);
  });
});

function bars(n: number, name: string, price = 100.03) {
  const t0 = Date.UTC(2024, 0, 2);
  return feeds.fromColumns({
    datetime: Array.from({ length: n }, (_, k) => t0 + k * 86_400_000),
    open: new Array(n).fill(price), high: new Array(n).fill(price + 1), low: new Array(n).fill(price - 1), close: new Array(n).fill(price),
  }, { name });
}

function run(registry: InstrumentRegistry, options: Parameters<Cerebro['setInstruments']>[1], act: (s: Strategy) => (Order | null)[]) {
  const placed: (Order | null)[] = [];
  const errors: unknown[] = [];
  class Act extends Strategy {
    override next() {
      if (this.len !== 1) return;
      try {
        placed.push(...act(this));
      } catch (e) {
        errors.push(e);
      }
    }
  }
  const cerebro = new Cerebro();
  cerebro.addData(bars(4, 'ZC'));
  cerebro.broker.setCash(1_000_000);
  cerebro.broker.setCommission({ commission: 0.001 });
  cerebro.setInstruments(registry, options);
  cerebro.addStrategy(Act);
  const [result] = cerebro.run();
  return { placed, errors, result: result! };
}

describe('orders against the instrument', () => {
  const reg = new InstrumentRegistry([{ symbol: 'ZC', root: 'ZC', assetClass: 'future', tickSize: 0.25, lotSize: 5, multiplier: 50, margin: 2000, expiry: '2024-12-13' }]);

  it('rounds a limit price to the tick and places it', () => {
    const { placed } = run(reg, {}, (s) => [s.buy({ size: 5, exectype: 'Limit', price: 100.13 })]);
    expect(placed[0]!.created.price).toBe(100.25);
    expect(placed[0]!.getStatusName()).toBe('Completed');
  });

  it("throws InstrumentRuleError for an off-tick price with prices: 'error' and an odd lot by default", () => {
    const { errors, placed } = run(reg, { prices: 'error' }, (s) => [s.buy({ size: 5, exectype: 'Limit', price: 100.13 })]);
    expect(placed).toEqual([]);
    expect(errors[0]).toBeInstanceOf(InstrumentRuleError);
    expect((errors[0] as InstrumentRuleError).rule).toBe('tick');
    const lot = run(reg, {}, (s) => [s.buy({ size: 7 })]);
    expect((lot.errors[0] as InstrumentRuleError).message).toMatch(/ZC: size 7 is not a whole number of 5-unit lots; use 5/);
  });

  it("leaves an odd lot to the broker with sizes: 'reject', and rounds it down with sizes: 'round'", () => {
    const rej = run(reg, { sizes: 'reject' }, (s) => [s.buy({ size: 7 }), s.buy({ size: 10 })]);
    expect(rej.placed.map((o) => o!.getStatusName())).toEqual(['Rejected', 'Completed']);
    expect(rej.placed[0]!.reason).toMatch(/lot/);
    const round = run(reg, { sizes: 'round' }, (s) => [s.buy({ size: 7 })]);
    expect(round.placed[0]!.size).toBe(5);
    const tiny = run(reg, { sizes: 'round' }, (s) => [s.buy({ size: 3 })]);
    expect(tiny.errors[0]).toBeInstanceOf(InstrumentRuleError);
  });

  it("makes the instrument's multiplier and margin the data's commission scheme, keeping the default rate", () => {
    const { result } = run(reg, {}, (s) => [s.buy({ size: 5 })]);
    const fill = result.orders[0]!;
    expect(fill.executed.size).toBe(5);
    // backtrader's percent commission: |size| × price × rate (the multiplier does not enter).
    const comm = 5 * 100.03 * 0.001;
    expect(fill.executed.comm).toBeCloseTo(comm, 9);
    // Futures-like: the fill bar's cash pays the margin (5 × 2000) and the commission, not the notional.
    expect(result.cash[1]).toBeCloseTo(1_000_000 - 5 * 2000 - comm, 6);
    const plain = run(new InstrumentRegistry(), {}, (s) => [s.buy({ size: 5 })]);
    expect(plain.result.cash[1]).toBeCloseTo(1_000_000 - 5 * 100.03 - comm, 6);
  });

  it('leaves datas without an instrument alone', () => {
    const other = new InstrumentRegistry([{ symbol: 'OTHER', assetClass: 'stock', lotSize: 100 }]);
    const { placed, errors } = run(other, {}, (s) => [s.buy({ size: 7, exectype: 'Limit', price: 100.13 })]);
    expect(errors).toEqual([]);
    expect(placed[0]!.created.price).toBe(100.13);
  });
});

describe('instruments from venues', () => {
  it('maps ccxt markets (tick-size and decimal-places precision, dated futures, inactive ones skipped)', () => {
    const markets = {
      'BTC/USDT': { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', type: 'spot', active: true, precision: { price: 0.01, amount: 0.00001 }, limits: { amount: { min: 0.00001 } } },
      'BTC/USD:BTC-240329': {
        symbol: 'BTC/USD:BTC-240329', base: 'BTC', quote: 'USD', settle: 'BTC', type: 'future', active: true, contractSize: 100,
        expiry: Date.UTC(2024, 2, 29, 8), precision: { price: 0.1, amount: 1 },
      },
      'OLD/USDT': { symbol: 'OLD/USDT', quote: 'USDT', type: 'spot', active: false, precision: { price: 0.01, amount: 1 } },
    };
    const reg = fromCcxtMarkets(markets, { exchange: 'binance' });
    expect(reg.list().map((i) => i.symbol)).toEqual(['BTC/USDT', 'BTC/USD:BTC-240329']);
    const spot = reg.get('BTC/USDT');
    expect([spot.assetClass, spot.currency, spot.tickSize, spot.lotSize, spot.exchange]).toEqual(['crypto', 'USDT', 0.01, 0.00001, 'binance']);
    const fut = reg.get('BTC/USD:BTC-240329');
    expect([fut.assetClass, fut.currency, fut.multiplier, fut.root, fut.spec.expiry]).toEqual(['future', 'BTC', 100, 'BTC', '2024-03-29']);
    const dp = fromCcxtMarkets([{ symbol: 'ETH/BTC', quote: 'BTC', type: 'spot', precision: { price: 6, amount: 3 } }], { precisionMode: 'decimalPlaces' });
    expect([dp.get('ETH/BTC').tickSize, dp.get('ETH/BTC').lotSize]).toEqual([0.000001, 0.001]);
    expect(() => fromCcxtMarkets([{ symbol: 'X/Y', quote: 'Y', precision: { price: -1 } }])).toThrow(InstrumentError);
  });

  it('maps IB contract details (stocks, futures with their root and expiry, forex) and refuses other types', () => {
    const reg = fromIbContractDetails([
      { contract: { symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExch: 'NASDAQ', currency: 'USD' }, minTick: 0.01, timeZoneId: 'US/Eastern' },
      { contract: { symbol: 'ES', localSymbol: 'ESH4', secType: 'FUT', exchange: 'CME', currency: 'USD', lastTradeDateOrContractMonth: '20240315', multiplier: '50' }, minTick: 0.25 },
      { contract: { symbol: 'EUR', localSymbol: 'EUR.USD', secType: 'CASH', exchange: 'IDEALPRO', currency: 'USD' }, minTick: 0.00005, sizeIncrement: 1 },
    ]);
    expect(reg.get('AAPL').exchange).toBe('NASDAQ');
    expect(reg.get('AAPL').timezone).toBe('US/Eastern');
    const es = reg.get('ESH4');
    expect([es.assetClass, es.root, es.multiplier, es.tickSize, es.spec.expiry]).toEqual(['future', 'ES', 50, 0.25, '2024-03-15']);
    expect(reg.get('EUR.USD').assetClass).toBe('forex');
    expect(() => fromIbContractDetails([{ contract: { symbol: 'T 4 1/2', secType: 'BOND' } }])).toThrow(/security type 'BOND'/);
  });
});
