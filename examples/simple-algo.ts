/**
 * The simple API in qtpylib's style: one class, `onBar(instrument)` and `onFill(instrument,
 * order)`, the instrument knowing its bars, position and orders. A mean-reversion algo: buy a
 * close below the lower Bollinger band while RSI is oversold, with a protective stop and a
 * target at the middle band; flat again after ten bars at most.
 *
 *   npx tsx examples/simple-algo.ts
 */
import { join } from 'node:path';
import { Algo, Cerebro, feeds, paper, replaySource, type AlgoInstrument, type Order } from '../ts/index.js';

export class MeanReversion extends Algo<{ period: number; rsi: number; oversold: number; qty: number; maxBars: number }> {
  static override params = { period: 20, rsi: 14, oversold: 35, qty: 100, maxBars: 10 };
  fills: string[] = [];
  private entered = -1;

  override onBar(instrument: AlgoInstrument) {
    const { bars, position } = instrument;
    if (position.size !== 0) {
      // Out after maxBars whatever happened: cancels the bracket's exits and sells at market.
      if (bars.length - this.entered >= this.p.maxBars) instrument.exit();
      return;
    }
    if (instrument.orders.length > 0) return; // an entry is waiting
    const band = bars.bbands(this.p.period, 2);
    const close = bars.close.get(0);
    if (close < band.bot && bars.rsi(this.p.rsi) < this.p.oversold) {
      instrument.buy(this.p.qty, { stop: close * 0.95, target: band.mid });
    }
  }

  override onFill(instrument: AlgoInstrument, order: Order) {
    if (order.isBuy()) this.entered = instrument.bars.length;
    this.fills.push(`${new Date(order.executed.dt).toISOString().slice(0, 10)} ${order.isBuy() ? 'BUY ' : 'SELL'} ${Math.abs(order.executed.size)} ${instrument.symbol} @ ${order.executed.price.toFixed(2)}`);
  }
}

const SAMPLE = join(import.meta.dirname, 'data', 'sample-daily.csv');

function setup(file: string): Cerebro {
  const cerebro = new Cerebro();
  cerebro.addData(feeds.backtraderCsv(file), 'SAMPLE');
  cerebro.broker.setCash(100_000);
  cerebro.broker.setCommission({ commission: 0.0005 });
  cerebro.addAlgo(MeanReversion);
  return cerebro;
}

/** Backtests the algo on the shipped sample data; returns the run. */
export function runSimpleAlgo(file = SAMPLE) {
  const [result] = setup(file).run();
  return { result: result!, algo: (result!.strategy as unknown as { algo: MeanReversion }).algo };
}

/**
 * The same algo in paper mode: the sample's bars replayed as a live source (as fast as
 * possible), orders filled by the paper broker. Nothing in the algo changes.
 */
export async function runSimpleAlgoPaper(file = SAMPLE) {
  const cerebro = setup(file);
  const [result] = await cerebro.runLive({
    sources: [replaySource(cerebro.datas[0]!, { speed: 'max' })], broker: paper(), logger: false, handleSignals: false,
  });
  return { result: result!, algo: (result!.strategy as unknown as { algo: MeanReversion }).algo };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { result, algo } = runSimpleAlgo();
  for (const line of algo.fills) console.log(line);
  console.log(`backtest: closed trades ${result.trades.length}, final value ${result.finalValue.toFixed(2)}`);
  const live = await runSimpleAlgoPaper();
  console.log(`paper:    closed trades ${live.result.trades.length}, final value ${live.result.finalValue.toFixed(2)}`);
}
