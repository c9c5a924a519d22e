/**
 * Runs an oracle SMA-cross scenario through ferrotrade, as backtrader ran it. A scenario's mode
 * and SMA periods come from its file name (`config.strategy.params` holds the generator's
 * defaults for every file).
 */
import { Cerebro, feeds, type CerebroOptions, type RunResult } from '../../ts/index.js';
import { oraclePath, readOracle } from './oracle.js';
import { OracleSmaCross } from './sma-cross-oracle.js';

export function setupScenario(name: string, options: CerebroOptions = {}): { sc: any; cerebro: Cerebro } {
  const sc = readOracle('scenarios', '2006-day-001', `${name}.json`);
  const cerebro = new Cerebro(options);
  // backtrader's generator named the data after the file, without the extension.
  cerebro.addData(feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt')), '2006-day-001');
  cerebro.broker.setCash(sc.config.broker.cash);
  cerebro.broker.setCommission({ commission: sc.config.setcommission_kwargs.commission });
  const p = sc.config.strategy.params;
  const mode = /^sma_cross_(market|limit|stop|bracket)/.exec(name)![1] as 'market' | 'limit' | 'stop' | 'bracket';
  const variant = /_f(\d+)s(\d+)$/.exec(name);
  cerebro.addStrategy(OracleSmaCross, {
    fast: variant ? Number(variant[1]) : p.fast,
    slow: variant ? Number(variant[2]) : p.slow,
    stake: p.stake, mode, limit_factor: p.limit_factor, stop_factor: p.stop_factor, valid_days: p.valid_days, sl_factor: p.sl_factor,
    bracket_stop: p.bracket_stop, bracket_limit: p.bracket_limit,
  });
  return { sc, cerebro };
}

export function runScenario(name: string): { sc: any; result: RunResult } {
  const { sc, cerebro } = setupScenario(name);
  const [result] = cerebro.run();
  return { sc, result: result! };
}
