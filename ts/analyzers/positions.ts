import { Analyzer, dataValue, type AnalyzerContext } from './analyzer.js';
import { inferTimeFrame, isoDate, isoDateTime, tfRank } from './timeframe.js';
import { timeReturns } from './returns.js';

/**
 * Value of the position in every data per bar (backtrader `PositionsValue`). Analysis:
 * `{ [date]: [value per data (, cash)] }`, keyed by date for daily or longer data, by date and
 * time otherwise. Params: `headers` (first entry `Datetime` lists the data names), `cash`
 * (append the cash).
 */
export class PositionsValue extends Analyzer<Record<string, (number | string)[]>> {
  static override params = { headers: false, cash: false };

  compute(ctx: AnalyzerContext): void {
    const rets: Record<string, (number | string)[]> = {};
    if (this.p.headers) rets.Datetime = [...ctx.datas.map((d, i) => d.name || `Data${i}`), ...(this.p.cash ? ['cash'] : [])];
    const usedate = tfRank(inferTimeFrame(ctx.dt).timeframe) >= tfRank('Days');
    for (let i = 0; i < ctx.dt.length; i++) {
      const row: number[] = ctx.datas.map((_, d) => dataValue(ctx, d, i));
      if (this.p.cash) row.push(ctx.cash[i]!);
      rets[usedate ? isoDate(ctx.dt[i]!) : isoDateTime(ctx.dt[i]!)] = row;
    }
    this.rets = rets;
  }
}

/**
 * Gross leverage per bar: `(value - cash) / value` (backtrader `GrossLeverage`). Analysis:
 * `{ [barDateTime]: leverage }`. Params: `fund`.
 */
export class GrossLeverage extends Analyzer<Record<string, number>> {
  static override params = { fund: null };

  compute(ctx: AnalyzerContext): void {
    const { v } = this.valueSeries(ctx);
    const rets: Record<string, number> = {};
    for (let i = 0; i < v.length; i++) rets[isoDateTime(ctx.dt[i]!)] = (v[i]! - ctx.cash[i]!) / v[i]!;
    this.rets = rets;
  }
}

/** One transaction row: `[amount, price, sid (data index), symbol (data name), value]`. */
export type TransactionRow = [number, number, number, string, number];

/**
 * The fills of each bar, netted per data (backtrader `Transactions`). Analysis:
 * `{ [barDateTime]: [[amount, price, sid, symbol, value], ...] }` with `value = -amount *
 * price`; bars without a net change are left out. Params: `headers` (first entry `date` names
 * the columns).
 */
export class Transactions extends Analyzer<Record<string, (TransactionRow | string[])[]>> {
  static override params = { headers: false };

  compute(ctx: AnalyzerContext): void {
    const rets: Record<string, (TransactionRow | string[])[]> = {};
    if (this.p.headers) rets.date = [['amount', 'price', 'sid', 'symbol', 'value']];
    // Fills by the bar they were notified on, in order placement order.
    const byBar = new Map<number, { data: number; size: number; price: number }[]>();
    for (const o of ctx.orders) {
      for (const h of o.history) {
        if (!h.fill || !h.fill.size) continue;
        let list = byBar.get(h.bar);
        if (!list) byBar.set(h.bar, (list = []));
        list.push({ data: o.dataIndex, size: h.fill.size, price: h.fill.price });
      }
    }
    for (const bar of [...byBar.keys()].sort((a, b) => a - b)) {
      const pos = new Map<number, { size: number; price: number }>();
      for (const f of byBar.get(bar)!) {
        const p = pos.get(f.data) ?? { size: 0, price: 0 };
        positionUpdate(p, f.size, f.price);
        pos.set(f.data, p);
      }
      const entries: TransactionRow[] = [];
      ctx.datas.forEach((d, i) => {
        const p = pos.get(i);
        if (p && p.size) entries.push([p.size, p.price, i, d.name, -p.size * p.price]);
      });
      if (entries.length) rets[isoDateTime(ctx.dt[bar]!)] = entries;
    }
    this.rets = rets;
  }
}

/** backtrader's `Position.update` (size and average price). */
function positionUpdate(p: { size: number; price: number }, size: number, price: number): void {
  const old = p.size;
  p.size += size;
  if (!p.size) p.price = 0;
  else if (!old) p.price = price;
  else if ((old > 0 && size > 0) || (old < 0 && size < 0)) p.price = (p.price * old + size * price) / p.size;
  else if ((old > 0 && p.size < 0) || (old < 0 && p.size > 0)) p.price = price;
}

/** PyFolio's analysis as columns, ready for a data-frame library. */
export interface PyFolioItems {
  returns: { index: string[]; return: number[] };
  positions: { index: string[]; columns: Record<string, number[]> };
  transactions: { index: string[]; amount: number[]; price: number[]; sid: number[]; symbol: string[]; value: number[] };
  grossLev: { index: string[]; gross_lev: number[] };
}

/**
 * What pyfolio needs (backtrader `PyFolio`): returns per period, positions value per data plus
 * cash, transactions and gross leverage. `getAnalysis()` gives backtrader's dicts (`returns`,
 * `positions`, `transactions`, `gross_lev`); `getPfItems()` gives the same as columns.
 * Params: `timeframe` (default Days), `compression` (default 1).
 */
export class PyFolio extends Analyzer<{
  returns: Record<string, number>;
  positions: Record<string, (number | string)[]>;
  transactions: Record<string, (TransactionRow | string[])[]>;
  gross_lev: Record<string, number>;
}> {
  static override params = { timeframe: 'Days', compression: 1 };

  compute(ctx: AnalyzerContext): void {
    const positions = new PositionsValue({ headers: true, cash: true });
    const transactions = new Transactions({ headers: true });
    const lev = new GrossLeverage();
    for (const a of [positions, transactions, lev]) a.compute(ctx);
    const { rets } = timeReturns(ctx, {
      timeframe: this.p.timeframe, compression: this.p.compression, data: null, firstopen: true, fund: ctx.fundmode,
    });
    this.rets = {
      returns: Object.fromEntries(rets),
      positions: positions.getAnalysis(),
      transactions: transactions.getAnalysis(),
      gross_lev: lev.getAnalysis(),
    };
  }

  /** The analysis as columns (backtrader's `get_pf_items`, without pandas). */
  getPfItems(): PyFolioItems {
    const r = this.rets;
    const [head, ...rows] = Object.entries(r.positions);
    const names = (head?.[1] ?? []) as string[];
    const columns: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, [] as number[]]));
    for (const [, row] of rows) names.forEach((n, k) => columns[n]!.push(row[k] as number));
    const tx: PyFolioItems['transactions'] = { index: [], amount: [], price: [], sid: [], symbol: [], value: [] };
    for (const [k, list] of Object.entries(r.transactions)) {
      if (k === 'date') continue;
      for (const [amount, price, sid, symbol, value] of list as TransactionRow[]) {
        tx.index.push(k);
        tx.amount.push(amount);
        tx.price.push(price);
        tx.sid.push(sid);
        tx.symbol.push(symbol);
        tx.value.push(value);
      }
    }
    return {
      returns: { index: Object.keys(r.returns), return: Object.values(r.returns) },
      positions: { index: rows.map(([k]) => k), columns },
      transactions: tx,
      grossLev: { index: Object.keys(r.gross_lev), gross_lev: Object.values(r.gross_lev) },
    };
  }
}

/**
 * Time in the market: the share of bars that end with an open position. Analysis: `{ bars,
 * exposed, exposure, perData: { [name]: exposure } }`; `exposure` counts a bar when any data
 * has a position.
 */
export class Exposure extends Analyzer<{ bars: number; exposed: number; exposure: number; perData: Record<string, number> }> {
  compute(ctx: AnalyzerContext): void {
    const n = ctx.dt.length;
    let exposed = 0;
    const per = ctx.datas.map(() => 0);
    for (let i = 0; i < n; i++) {
      let any = false;
      ctx.positions.forEach((p, d) => {
        if (p.size[i] !== 0) {
          per[d]!++;
          any = true;
        }
      });
      if (any) exposed++;
    }
    this.rets = {
      bars: n, exposed, exposure: n ? exposed / n : 0,
      perData: Object.fromEntries(ctx.datas.map((d, k) => [d.name, n ? per[k]! / n : 0])),
    };
  }
}
