import { Analyzer, type AnalyzerContext } from './analyzer.js';
import { average, standarddev } from './mathsupport.js';
import type { Trade } from '../broker/trade.js';

/** backtrader's `MAXINT` (sys.maxsize), the "no minimum yet" of TradeAnalyzer, as a float. */
export const MAXINT = 9223372036854775807;

type Node = Record<string, any>;

/** Child object `k` of `o`, created on first use (backtrader's AutoOrderedDict). */
function at(o: Node, k: string): Node {
  return (o[k] ??= {});
}

/** Python's `x or d` on a value that may be missing. */
function or(x: unknown, d: number): number {
  return typeof x === 'number' && x !== 0 ? x : d;
}

function num(o: Node, k: string): number {
  return typeof o[k] === 'number' ? o[k] : 0;
}

/**
 * Statistics of the closed trades (backtrader `TradeAnalyzer`), the same nested result:
 * `total {total, open, closed}`, `streak {won, lost} {current, longest}`, `pnl {gross, net}
 * {total, average}`, `won`/`lost {total, pnl {total, average, max}}`, `long`/`short {total,
 * pnl {...}, won, lost}`, `len {total, average, max, min, won, lost, long, short}`.
 * A winning trade has `pnlcomm >= 0`. Minimums not yet seen hold backtrader's MAXINT.
 */
export class TradeAnalyzer extends Analyzer<Node> {
  compute(ctx: AnalyzerContext): void {
    const opened = ctx.trades.length + ctx.openTrades.length;
    const trades: Node = { total: { total: opened } };
    if (opened) trades.total.open = opened;
    for (const t of ctx.trades) this.closed(trades, t);
    this.rets = trades;
  }

  private closed(trades: Node, trade: Trade): void {
    const won = trade.pnlcomm >= 0.0 ? 1 : 0;
    const res: Record<string, number> = { won, lost: 1 - won, tlong: trade.long ? 1 : 0, tshort: trade.long ? 0 : 1 };
    const total = at(trades, 'total');
    total.open = num(total, 'open') - 1;
    total.closed = num(total, 'closed') + 1;
    for (const wlname of ['won', 'lost']) {
      const wl = res[wlname]!;
      const s = at(at(trades, 'streak'), wlname);
      s.current = num(s, 'current') * wl + wl;
      s.longest = Math.max(or(s.longest, 0), s.current);
    }
    const pnl = at(trades, 'pnl');
    const gross = at(pnl, 'gross');
    gross.total = num(gross, 'total') + trade.pnl;
    gross.average = gross.total / total.closed;
    const net = at(pnl, 'net');
    net.total = num(net, 'total') + trade.pnlcomm;
    net.average = net.total / total.closed;
    for (const wlname of ['won', 'lost']) {
      const wl = res[wlname]!;
      const trwl = at(trades, wlname);
      trwl.total = num(trwl, 'total') + wl;
      const p = at(trwl, 'pnl');
      const pnlcomm = trade.pnlcomm * wl;
      p.total = num(p, 'total') + pnlcomm;
      p.average = p.total / (trwl.total || 1.0);
      const wm = or(p.max, 0.0);
      p.max = wlname === 'won' ? Math.max(wm, pnlcomm) : Math.min(wm, pnlcomm);
    }
    for (const tname of ['long', 'short']) {
      const trls = at(trades, tname);
      const ls = res['t' + tname]!;
      trls.total = num(trls, 'total') + ls;
      const p = at(trls, 'pnl');
      p.total = num(p, 'total') + trade.pnlcomm * ls;
      p.average = p.total / (trls.total || 1.0);
      for (const wlname of ['won', 'lost']) {
        const wl = res[wlname]!;
        const pnlcomm = trade.pnlcomm * wl * ls;
        trls[wlname] = num(trls, wlname) + wl * ls;
        const q = at(p, wlname);
        q.total = num(q, 'total') + pnlcomm;
        q.average = q.total / (trls[wlname] || 1.0);
        const wm = or(q.max, 0.0);
        q.max = wlname === 'won' ? Math.max(wm, pnlcomm) : Math.min(wm, pnlcomm);
      }
    }
    const len = at(trades, 'len');
    const barlen = trade.barlen;
    len.total = num(len, 'total') + barlen;
    len.average = len.total / total.closed;
    len.max = Math.max(or(len.max, 0), barlen);
    len.min = Math.min(or(len.min, MAXINT), barlen);
    for (const wlname of ['won', 'lost']) {
      const trwl = at(len, wlname);
      const wl = res[wlname]!;
      trwl.total = num(trwl, 'total') + barlen * wl;
      trwl.average = trwl.total / (trades[wlname].total || 1.0);
      trwl.max = Math.max(or(trwl.max, 0), barlen * wl);
      if (barlen * wl) trwl.min = Math.min(or(trwl.min, MAXINT), barlen * wl);
    }
    for (const lsname of ['long', 'short']) {
      const trls = at(len, lsname);
      const ls = res['t' + lsname]!;
      const bl = barlen * ls;
      trls.total = num(trls, 'total') + bl;
      trls.average = trls.total / (trades[lsname].total || 1.0);
      trls.max = Math.max(or(trls.max, 0), bl);
      const m = or(trls.min, MAXINT);
      trls.min = Math.min(m, bl || m);
      for (const wlname of ['won', 'lost']) {
        const wl = res[wlname]!;
        const bl2 = barlen * ls * wl;
        const x = at(trls, wlname);
        x.total = num(x, 'total') + bl2;
        x.average = x.total / (trades[lsname][wlname] || 1.0);
        x.max = Math.max(or(x.max, 0), bl2);
        const m2 = or(x.min, MAXINT);
        x.min = Math.min(m2, bl2 || m2);
      }
    }
  }
}

/**
 * System Quality Number of the closed trades (backtrader `SQN`): `sqrt(n) * mean(pnlcomm) /
 * stddev(pnlcomm)`. Analysis: `{ sqn, trades }`; `sqn` is 0 with fewer than two trades and
 * `null` when every trade made the same.
 */
export class SQN extends Analyzer<{ sqn: number | null; trades: number }> {
  compute(ctx: AnalyzerContext): void {
    const pnl = ctx.trades.map((t) => t.pnlcomm);
    let sqn: number | null = 0;
    if (pnl.length > 1) {
      const sd = standarddev(pnl);
      sqn = sd === 0 ? null : (Math.sqrt(pnl.length) * average(pnl)) / sd;
    }
    this.rets = { sqn, trades: pnl.length };
  }
}

/**
 * Profit factor of the closed trades: gross profit over gross loss. Analysis: `{ profitfactor,
 * grossprofit, grossloss, trades }`; `profitfactor` is `null` without losing trades (and
 * without trades). Params: `pnlcomm` (net of commission, default true).
 */
export class ProfitFactor extends Analyzer<{ profitfactor: number | null; grossprofit: number; grossloss: number; trades: number }> {
  static override params = { pnlcomm: true };

  compute(ctx: AnalyzerContext): void {
    let gp = 0;
    let gl = 0;
    for (const t of ctx.trades) {
      const pnl = this.p.pnlcomm ? t.pnlcomm : t.pnl;
      if (pnl > 0) gp += pnl;
      else gl -= pnl;
    }
    this.rets = { profitfactor: gl > 0 ? gp / gl : null, grossprofit: gp, grossloss: gl, trades: ctx.trades.length };
  }
}
