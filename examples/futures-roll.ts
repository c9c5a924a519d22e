/**
 * A trend follower on a continuous futures contract: signals on the back-adjusted series, orders
 * on the contract that is active, and the position rolled to the next contract on each roll
 * (close the old, then open the new once the close has filled).
 *
 *   npx tsx examples/futures-roll.ts
 */
import { join } from 'node:path';
import {
  Cerebro, feeds, futures, ind, loadInstruments, Strategy, type ContinuousFeed, type DataFeed, type Indicator, type RollEvent,
} from '../ts/index.js';

const DATA = join(import.meta.dirname, 'data', 'futures');

class TrendWithRolls extends Strategy<{ fast: number; slow: number }> {
  static override params = { fast: 10, slow: 30 };
  cross!: Indicator;
  rolls: RollEvent[] = [];

  override init() {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: this.p.fast }), ind.SMA(this.data.close, { period: this.p.slow }));
  }

  /** The contract to trade today. */
  private get front(): DataFeed {
    return this.getDataByName(futures.activeContract(this.data as ContinuousFeed));
  }

  override notifyRoll(roll: RollEvent) {
    this.rolls.push(roll);
    if (roll.fromData && roll.toData) futures.rollPosition(this, roll.fromData, roll.toData);
  }

  // Later contracts list months after the series starts: trade before every data has a bar too.
  override prenext() {
    this.next();
  }

  override next() {
    if (this.broker.getOrdersOpen().length > 0) return; // a roll or an entry is on its way
    const front = this.front;
    const held = this.getPosition(front).size;
    if (held === 0 && this.cross.get(0) > 0) this.buy({ data: front, size: 1 });
    else if (held > 0 && this.cross.get(0) < 0) this.close({ data: front });
  }
}

/** Runs the example; returns the continuous series, the run and the strategy. */
export function runFuturesExample() {
  const registry = loadInstruments(join(DATA, 'instruments.json'));
  const contracts = registry.chain('FDX').map((instrument) => ({
    instrument,
    data: feeds.backtraderCsv(join(DATA, `${instrument.symbol}.csv`), { name: instrument.symbol }),
  }));
  const fdx = futures.continuous(contracts, { roll: { by: 'volume' }, adjust: 'difference', name: 'FDX' });
  const cerebro = new Cerebro();
  cerebro.addData(fdx);
  for (const c of contracts) cerebro.addData(c.data);
  cerebro.setInstruments(registry); // tick 0.5, multiplier 25, margin 15,000 per contract
  cerebro.broker.setCash(200_000);
  cerebro.addStrategy(TrendWithRolls);
  const [result] = cerebro.run();
  return { fdx, result: result!, strategy: result!.strategy as TrendWithRolls };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { fdx, result, strategy } = runFuturesExample();
  for (const r of fdx.continuous.rolls) {
    console.log(`roll ${new Date(r.time).toISOString().slice(0, 10)} ${r.from} -> ${r.to} (${r.reason}, gap ${r.gap})`);
  }
  console.log(`orders ${result.orders.length}, closed trades ${result.trades.length}, rolls seen ${strategy.rolls.length}, final value ${result.finalValue.toFixed(2)}`);
}
