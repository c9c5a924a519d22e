/**
 * The simple API: an Algo runs as a Strategy on the same engine. The same logic written both
 * ways gives the same trades; the Algo also matches backtrader's oracle runs; bars' indicator
 * shortcuts equal the batch indicators; orders, brackets, OCO, groups and Level2 callbacks.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  Algo, Cerebro, feeds, ind, InstrumentRegistry, OrderStatus, paper, replaySource, Strategy, ta, type AlgoInstrument, type Indicator, type Order,
} from '../ts/index.js';
import type { Level2Feed } from '../ts/feeds/level2.js';
import { expectNum, oraclePath, readOracle } from './support/oracle.js';

const SAMPLE = join(import.meta.dirname, '..', 'examples', 'data', 'sample-daily.csv');

/** backtrader's CrossOver on two streams: +1 / -1 on the bar the difference changes sign. */
class Cross {
  private nzd = NaN;
  update(a: number, b: number): number {
    const d = a - b;
    if (Number.isNaN(d)) return 0;
    const prev = this.nzd;
    if (d !== 0) this.nzd = d;
    if (Number.isNaN(prev)) return 0;
    return prev < 0 && d > 0 ? 1 : prev > 0 && d < 0 ? -1 : 0;
  }
}

type Mode = 'market' | 'bracket';

class CrossAlgo extends Algo<{ fast: number; slow: number; stake: number; mode: Mode }> {
  static override params = { fast: 15, slow: 30, stake: 10, mode: 'market' as Mode };
  private cross = new Cross();
  override onBar(instrument: AlgoInstrument) {
    const { bars } = instrument;
    const c = this.cross.update(bars.sma(this.p.fast), bars.sma(this.p.slow));
    const close = bars.close.get(0);
    const flat = instrument.position.size === 0;
    if (this.p.mode === 'bracket') {
      if (flat && instrument.orders.length === 0 && c > 0) {
        instrument.buy(this.p.stake, { limit: close, expiry: { days: 3 }, stop: close * 0.97, target: close * 1.05 });
      }
      return;
    }
    if (instrument.orders.length > 0) return;
    if (flat && c > 0) instrument.buy(this.p.stake);
    else if (!flat && c < 0) instrument.exit();
  }
}

class CrossStrategy extends Strategy<{ fast: number; slow: number; stake: number; mode: Mode }> {
  static override params = { fast: 15, slow: 30, stake: 10, mode: 'market' as Mode };
  cross!: Indicator;
  override init() {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: this.p.fast }), ind.SMA(this.data.close, { period: this.p.slow }));
  }
  override next() {
    const c = this.cross.get(0);
    const close = this.data.close.get(0);
    const open = this.broker.getOrdersOpen().length > 0;
    if (this.p.mode === 'bracket') {
      if (this.position.size === 0 && !open && c > 0) {
        this.buyBracket({ size: this.p.stake, exectype: 'Limit', price: close, oargs: { valid: { days: 3 } }, stopprice: close * 0.97, limitprice: close * 1.05 });
      }
      return;
    }
    if (open) return;
    if (this.position.size === 0 && c > 0) this.buy({ size: this.p.stake });
    else if (this.position.size > 0 && c < 0) this.close();
  }
}

function run(add: (c: Cerebro) => void, file = SAMPLE, cash = 100_000) {
  const cerebro = new Cerebro();
  cerebro.addData(feeds.backtraderCsv(file));
  cerebro.broker.setCash(cash);
  cerebro.broker.setCommission({ commission: 0.001 });
  add(cerebro);
  return cerebro.run()[0]!;
}

const fills = (orders: readonly Order[]) =>
  orders.map((o) => [o.isBuy() ? 'buy' : 'sell', o.getOrdertypeName(), o.size, o.created.bar, o.getStatusName(), o.executed.bar, o.executed.price]);

describe('an Algo and a Strategy with the same logic', () => {
  for (const mode of ['market', 'bracket'] as const) {
    it(`make the same orders and trades (${mode}, SMA 10/30 on the sample data)`, () => {
      const a = run((c) => c.addAlgo(CrossAlgo, { fast: 10, slow: 30, mode }));
      const s = run((c) => c.addStrategy(CrossStrategy, { fast: 10, slow: 30, mode }));
      expect(a.orders.length).toBeGreaterThan(6);
      expect(fills(a.orders)).toEqual(fills(s.orders));
      expect(a.trades.map((t) => t.pnlcomm)).toEqual(s.trades.map((t) => t.pnlcomm));
      expect(a.finalValue).toBe(s.finalValue);
      expect(Array.from(a.value)).toEqual(Array.from(s.value));
    });
  }
});

describe('an Algo against the backtrader oracle', () => {
  for (const [scenario, mode] of [['sma_cross_market', 'market'], ['sma_cross_bracket', 'bracket']] as const) {
    it(`matches ${scenario} order for order`, () => {
      const sc = readOracle('scenarios', '2006-day-001', `${scenario}.json`);
      const result = run((c) => c.addAlgo(CrossAlgo, { mode }), oraclePath('data', '2006-day-001.txt'), sc.config.broker.cash);
      expect(result.orders.length).toBe(sc.orders.length);
      sc.orders.forEach((exp: any, k: number) => {
        const o = result.orders[k]!;
        expect([o.isBuy() ? 'buy' : 'sell', o.getOrdertypeName(), o.size, o.created.bar, o.getStatusName()]).toEqual(
          [exp.side, exp.exectype, exp.size, exp.created_bar, exp.final_status],
        );
        if (exp.exec_price !== undefined) {
          expectNum(o.executed.price, exp.exec_price, `order ${k + 1} price`);
          expect(o.executed.bar).toBe(exp.exec_bar);
        }
      });
      expectNum(result.finalValue, sc.final.value, 'final value');
    });
  }
});

describe('instrument.bars', () => {
  it('gives the batch indicators\' values bar by bar, also when first asked late', () => {
    const closes: number[][] = [[], [], [], [], []];
    const late: number[] = [];
    class Probe extends Algo {
      override onBar(i: AlgoInstrument) {
        closes[0]!.push(i.bars.sma(20));
        closes[1]!.push(i.bars.rsi(14));
        closes[2]!.push(i.bars.atr(14));
        closes[3]!.push(i.bars.bbands(20, 2).top);
        closes[4]!.push(i.bars.macd().signal);
        if (i.bars.length >= 500) late.push(i.bars.ema(30)); // first asked on bar 500
        if (i.bars.length === 3) expect(Array.from(i.bars.window('close', 5))).toEqual(Array.from(i.bars.data.columns.close.subarray(0, 3)));
      }
    }
    const r = run((c) => c.addAlgo(Probe));
    const c = r.datas[0]!.columns;
    const cols = { open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
    const same = (got: number[], want: ArrayLike<number>) => got.forEach((v, k) => (Number.isNaN(want[k]!) ? expect(v).toBeNaN() : expect(v).toBeCloseTo(want[k]!, 9)));
    same(closes[0]!, ta.sma(c.close, { period: 20 }));
    same(closes[1]!, ta.run('RSI', c.close, { period: 14 }).rsi!);
    same(closes[2]!, ta.run('ATR', cols, { period: 14 }).atr!);
    same(closes[3]!, ta.run('BollingerBands', c.close, { period: 20, devfactor: 2 }).top!);
    same(closes[4]!, ta.run('MACD', c.close, {}).signal!);
    same(late, ta.run('EMA', c.close, { period: 30 }).ema!.subarray(499));
  });
});

describe('orders from an Algo', () => {
  function bars(rows: [number, number, number, number][], name = 'X') {
    const t0 = Date.UTC(2024, 0, 1);
    return feeds.fromColumns({
      datetime: rows.map((_, k) => t0 + k * 86_400_000),
      open: rows.map((r) => r[0]), high: rows.map((r) => r[1]), low: rows.map((r) => r[2]), close: rows.map((r) => r[3]),
    }, { name });
  }
  const flat = (n: number): [number, number, number, number][] => Array.from({ length: n }, () => [100, 101, 99, 100]);

  it('fills a bracket: entry, then the target cancels the stop; onFill sees each fill once', () => {
    const rows = flat(6);
    rows[3] = [100, 106, 99, 105]; // the target at 105 is reached on bar 4
    const seen: string[] = [];
    let placed: ReturnType<AlgoInstrument['buy']> | null = null;
    class Bracket extends Algo {
      override onBar(i: AlgoInstrument) {
        if (i.bars.length === 1) placed = i.buy(2, { stop: 95, target: 105 });
      }
      override onFill(i: AlgoInstrument, order: Order) {
        seen.push(`${i.symbol} ${order.isBuy() ? 'buy' : 'sell'} ${order.executed.size}@${order.executed.price}`);
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(bars(rows));
    cerebro.addAlgo(Bracket);
    cerebro.run();
    expect(seen).toEqual(['X buy 2@100', 'X sell -2@105']);
    expect(placed!.stop!.status).toBe(OrderStatus.Canceled);
    expect(placed!.target!.status).toBe(OrderStatus.Completed);
  });

  it('places a trailing stop exit, an OCO pair, a group it cancels, and exits', () => {
    const rows = flat(8);
    rows[2] = [100, 104, 99, 103];
    const log: Record<string, unknown> = {};
    class Many extends Algo {
      override onBar(i: AlgoInstrument) {
        const n = i.bars.length;
        if (n === 1) {
          const [up, down] = i.oco([{ side: 'buy', qty: 1, stop: 103 }, { side: 'sell', qty: 1, stop: 90 }]);
          log.oco = [up, down];
          this.group('far').add(i.buy(1, { limit: 50 }).entry, i.sell(1, { limit: 200 }).entry);
        }
        if (n === 4) {
          log.canceled = this.group('far').cancel();
          log.trail = i.buy(1, { trailing: { amount: 2 } });
        }
        if (n === 7) {
          log.open = i.orders.length;
          log.exit = i.exit();
        }
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(bars(rows));
    cerebro.broker.setCash(10_000);
    cerebro.addAlgo(Many);
    const [r] = cerebro.run();
    const [up, down] = log.oco as Order[];
    expect([up!.getStatusName(), down!.getStatusName()]).toEqual(['Completed', 'Canceled']);
    expect(log.canceled).toBe(2);
    const trail = log.trail as ReturnType<AlgoInstrument['buy']>;
    expect(trail.entry.getStatusName()).toBe('Completed');
    expect(trail.stop!.getOrdertypeName()).toBe('StopTrail');
    expect(log.open).toBe(1); // the trailing stop, still waiting
    expect((log.exit as Order).getStatusName()).toBe('Completed');
    expect(trail.stop!.getStatusName()).toBe('Canceled');
    expect(r!.strategy.getPosition(r!.datas[0]!).size).toBe(0);
  });

  it('knows the instrument registered for its data, and refuses what is not an Algo', () => {
    let tick = NaN;
    class Spec extends Algo {
      override onStart() {
        tick = this.instrument('X').spec!.tickSize;
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(bars(flat(2)));
    cerebro.setInstruments(new InstrumentRegistry([{ symbol: 'X', assetClass: 'stock', tickSize: 0.05 }]));
    cerebro.addAlgo(Spec);
    cerebro.run();
    expect(tick).toBe(0.05);
    expect(() => cerebro.addAlgo(CrossStrategy as never)).toThrow(/extends Algo/);
    expect(() => cerebro.addAlgo(CrossAlgo, { fats: 3 } as never)).toThrow(/no parameter 'fats'/);
  });
});

describe('Level2: onTick, onQuote, onOrderBook and onBar from the book', () => {
  it('calls the algo as often as the tick loop calls a strategy', () => {
    const file = join(import.meta.dirname, '..', 'examples', 'data', 'sample-level2.csv');
    const counts = { algo: { tick: 0, quote: 0, book: 0, bar: 0 }, strategy: { tick: 0, quote: 0, book: 0, bar: 0 } };
    let quote: unknown;
    let lastTrade: unknown;
    class L2Algo extends Algo {
      override onTick(i: AlgoInstrument) {
        counts.algo.tick++;
        lastTrade = i.ticks(1)[0];
      }
      override onQuote(i: AlgoInstrument) {
        counts.algo.quote++;
        quote = i.quote;
      }
      override onOrderBook() {
        counts.algo.book++;
      }
      override onBar(i: AlgoInstrument) {
        counts.algo.bar++;
        expect(i.bars.close.get(0)).toBe(i.bars.data.columns.close[i.bars.data.cursor.i]);
      }
    }
    class L2Strategy extends Strategy {
      override onTick(_d: Level2Feed) { counts.strategy.tick++; }
      override onQuote(_d: Level2Feed) { counts.strategy.quote++; }
      override onOrderBook(_d: Level2Feed) { counts.strategy.book++; }
      override onBar(_d: Level2Feed) { counts.strategy.bar++; }
    }
    for (const add of [(c: Cerebro) => c.addAlgo(L2Algo), (c: Cerebro) => c.addStrategy(L2Strategy)]) {
      const cerebro = new Cerebro();
      cerebro.addL2Data(feeds.level2Csv(file, { barMs: 1000 }));
      add(cerebro);
      cerebro.runTicks();
    }
    expect(counts.algo.tick).toBeGreaterThan(10);
    expect(counts.algo).toEqual(counts.strategy);
    expect(quote).toMatchObject({ bid: expect.any(Number), ask: expect.any(Number) });
    expect((quote as { ask: number; bid: number }).ask).toBeGreaterThan((quote as { bid: number }).bid);
    expect(lastTrade).toMatchObject({ price: expect.any(Number), size: expect.any(Number) });
  });
});

describe('an Algo in paper mode', () => {
  for (const mode of ['market', 'bracket'] as const) {
    it(`replayed through runLive with the paper broker places the backtest's orders and closes its trades (${mode})`, async () => {
      const setup = () => {
        const c = new Cerebro();
        c.addData(feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt')));
        c.broker.setCash(100_000);
        c.broker.setCommission({ commission: 0.001 });
        c.addAlgo(CrossAlgo, { mode });
        return c;
      };
      const [bt] = setup().run();
      const live = setup();
      const [lv] = await live.runLive({
        sources: [replaySource(live.datas[0]!, { speed: 'max', chunk: 97 })], broker: paper(), logger: false, handleSignals: false,
        capacity: 64, // smaller than the file: the columns grow while the algo streams its indicators
      });
      expect(lv!.reason).toBe('ended');
      expect(lv!.errors).toEqual([]);
      expect(lv!.orders.length).toBeGreaterThan(3);
      expect(fills(lv!.orders)).toEqual(fills(bt!.orders));
      expect(lv!.trades.map((t) => t.pnlcomm)).toEqual(bt!.trades.map((t) => t.pnlcomm));
      expect(lv!.finalValue).toBe(bt!.finalValue);
    });
  }
});
