/**
 * Paper trading: live data into the Rust matching engine the backtests use. Orders fill against
 * each new bar by backtrader's rules with the cerebro broker's cash, commission schemes,
 * slippage, fillers and market rules (the China A-share profile included), so a strategy moved
 * from a backtest to paper sees the same fills on the same bars.
 */
import type { Broker } from '../broker/broker.js';

/** The paper broker of a live session (see {@link paper}). */
export interface PaperBroker {
  readonly kind: 'paper';
  /** Adjusts the cerebro's broker before the session starts (cash, commission, slippage, ...). */
  readonly configure?: (broker: Broker) => void;
}

/**
 * The paper broker: `cerebro.runLive({ sources, broker: paper() })`. With `configure`, it sets
 * the cerebro's broker up first:
 *
 * ```ts
 * broker: paper((b) => { b.setCash(1_000_000); b.setChinaAShare(); })
 * ```
 */
export function paper(configure?: (broker: Broker) => void): PaperBroker {
  return configure ? { kind: 'paper', configure } : { kind: 'paper' };
}
