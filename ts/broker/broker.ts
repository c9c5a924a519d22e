import { native } from '../native.js';
import { callNative, OrderError, ParamError } from '../errors.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { ExecType, Order, OrderStatus } from './order.js';
import { Position } from './position.js';
import { RECORD } from './events.js';

/** @internal an order as the broker takes it: NaN = not given. */
export interface OrderSpec {
  exectype: ExecType;
  /** Reference price: requested price, or the creation bar's close. */
  price: number;
  plimit: number;
  trailamount: number;
  trailpercent: number;
  /** Expiry (ms, compared with bar session-end times); NaN = good till canceled. */
  valid: number;
  tradeid: number;
}

/** Commission scheme (backtrader's `setcommission`), stock-like. */
export interface CommissionOptions {
  /** Percentage of traded value (0.001 = 0.1 %) or, with `commtype: 'fixed'`, amount per unit. */
  commission?: number;
  commtype?: 'percent' | 'fixed';
  /** When false, a percent `commission` is given in percent units (0.1 for 0.1 %). Default true. */
  percabs?: boolean;
  /** Profit-and-loss multiplier. Default 1. */
  mult?: number;
  /** Apply to the data of this name only (default: all datas). */
  name?: string;
}

const STATE_HEADER = native.STATE_HEADER_SIZE;

/** Flags of slippage (backtrader's `slip_open`, `slip_match`, `slip_limit`, `slip_out`). */
export interface SlippageOptions {
  /** Also slip fills at the open price (default true). */
  slipOpen?: boolean;
  /** Fill at the bar's high/low when slippage would leave the range, instead of not filling (default true). */
  slipMatch?: boolean;
  /** Slip limit orders too, capped at the limit (default true). */
  slipLimit?: boolean;
  /** Allow fills outside the bar's high-low range (default false). */
  slipOut?: boolean;
}

interface CommissionSetting {
  commission: number;
  commtype: 'percent' | 'fixed';
  percabs: boolean;
  mult: number;
  name?: string;
}

/**
 * The simulated broker (backtrader's `BackBroker`). Configure it before `cerebro.run()`;
 * during a run, strategies read cash, value and positions from it.
 */
export class Broker {
  private startingCash = 10_000;
  private checksubmit = true;
  private shortcash = true;
  private coc = false;
  private slippage: Required<SlippageOptions> & { perc: number; fixed: number } = {
    perc: 0, fixed: 0, slipOpen: false, slipMatch: true, slipLimit: true, slipOut: false,
  };
  private commissions: CommissionSetting[] = [];

  /** @internal */ core: InstanceType<typeof native.NativeBroker> | null = null;
  /** @internal shared state: [cash, open orders, queued notifications, size/price per data]. */
  state = new Float64Array(STATE_HEADER);
  /** @internal */ events = new Float64Array(RECORD * 64);
  /** @internal */ datas: DataFeed[] = [];
  /** @internal */ mults: number[] = [];
  /** @internal */ orders: Order[] = [];
  private positions: Position[] = [];

  /** Sets the starting cash (backtrader `setcash`). Default 10,000. */
  setCash(cash: number): void {
    if (!Number.isFinite(cash) || cash < 0) throw new ParamError(`cash must be a finite number >= 0, got ${cash}`);
    this.startingCash = cash;
    if (this.core) {
      callNative(() => this.core!.setCash(cash));
    }
  }

  /** Cash available now (the starting cash before a run). */
  getCash(): number {
    return this.core ? this.state[0]! : this.startingCash;
  }

  get cash(): number {
    return this.getCash();
  }

  /** Test each new order against cash before accepting it (default true, as backtrader). */
  setChecksubmit(checksubmit: boolean): void {
    this.checksubmit = checksubmit;
  }

  /** Whether a short sale credits cash (default true, as backtrader's `shortcash`). */
  setShortcash(shortcash: boolean): void {
    this.shortcash = shortcash;
  }

  /** Cheat-on-close: Market orders fill at the close of the bar they were created on (backtrader `set_coc`). */
  setCoc(coc: boolean): void {
    this.coc = coc;
  }

  /** Percentage slippage, e.g. 0.001 = 0.1 % (backtrader `set_slippage_perc`). */
  setSlippagePerc(perc: number, options: SlippageOptions = {}): void {
    this.setSlippage(perc, 0, options);
  }

  /** Fixed slippage in price units (backtrader `set_slippage_fixed`). */
  setSlippageFixed(fixed: number, options: SlippageOptions = {}): void {
    this.setSlippage(0, fixed, options);
  }

  private setSlippage(perc: number, fixed: number, o: SlippageOptions): void {
    for (const [name, v] of [['perc', perc], ['fixed', fixed]] as const) {
      if (!Number.isFinite(v) || v < 0) throw new ParamError(`slippage ${name} must be a finite number >= 0, got ${v}`);
    }
    // backtrader's set_slippage_* defaults: slip_open, slip_limit and slip_match on, slip_out off.
    this.slippage = {
      perc,
      fixed,
      slipOpen: o.slipOpen ?? true,
      slipMatch: o.slipMatch ?? true,
      slipLimit: o.slipLimit ?? true,
      slipOut: o.slipOut ?? false,
    };
  }

  /** Sets the commission scheme (backtrader `setcommission`). */
  setCommission(options: CommissionOptions = {}): void {
    const commission = options.commission ?? 0;
    const commtype = options.commtype ?? 'percent';
    const mult = options.mult ?? 1;
    if (!Number.isFinite(commission) || commission < 0) {
      throw new ParamError(`commission must be a finite number >= 0, got ${commission}`);
    }
    if (commtype !== 'percent' && commtype !== 'fixed') {
      throw new ParamError(`commtype must be 'percent' or 'fixed', got '${String(commtype)}'`);
    }
    if (!Number.isFinite(mult) || mult <= 0) throw new ParamError(`mult must be a finite number > 0, got ${mult}`);
    const setting: CommissionSetting = { commission, commtype, percabs: options.percabs ?? true, mult };
    if (options.name !== undefined) setting.name = options.name;
    this.commissions = this.commissions.filter((c) => c.name !== setting.name);
    this.commissions.push(setting);
  }

  /** Position in `data` (data index or feed). */
  getPosition(data: DataFeed | number): Position {
    const index = typeof data === 'number' ? data : this.datas.indexOf(data);
    const pos = this.positions[index];
    if (!pos) throw new ParamError(`no position for that data; is it added to the cerebro?`);
    return pos;
  }

  /**
   * Account value: cash plus the value of every position at the current close (computed as
   * backtrader's `_get_value`).
   */
  getValue(): number {
    const s = this.state;
    let posValue = 0;
    for (let d = 0; d < this.datas.length; d++) {
      const size = s[STATE_HEADER + 2 * d]!;
      const data = this.datas[d]!;
      const close = data.columns.close[data.cursor.i]!;
      let dvalue = size * close;
      if (!this.shortcash) dvalue = Math.abs(dvalue);
      if (dvalue > 0) {
        const unrealized = size * (close - s[STATE_HEADER + 2 * d + 1]!) * this.mults[d]!;
        posValue += dvalue - unrealized;
        posValue += unrealized;
      } else {
        posValue += dvalue;
      }
    }
    return s[0]! + posValue;
  }

  /** Market value of the position in one data at the current close (backtrader `getvalue(datas=[data])`). */
  getDataValue(data: DataFeed | number): number {
    const d = typeof data === 'number' ? data : this.datas.indexOf(data);
    const feed = this.datas[d];
    if (!feed) throw new ParamError('getDataValue: that data is not part of this run');
    const size = this.state[STATE_HEADER + 2 * d]!;
    return size * feed.columns.close[feed.cursor.i]!;
  }

  get value(): number {
    return this.getValue();
  }

  /** Orders submitted so far in the current run. */
  getOrders(): readonly Order[] {
    return this.orders;
  }

  /** @internal prepares a fresh broker for a run over `datas`. */
  start(datas: DataFeed[]): void {
    this.datas = datas;
    const sl = this.slippage;
    const core = callNative(
      () =>
        new native.NativeBroker({
          cash: this.startingCash,
          checksubmit: this.checksubmit,
          shortcash: this.shortcash,
          coc: this.coc,
          slipPerc: sl.perc,
          slipFixed: sl.fixed,
          slipOpen: sl.slipOpen,
          slipMatch: sl.slipMatch,
          slipLimit: sl.slipLimit,
          slipOut: sl.slipOut,
        }),
    );
    this.state = new Float64Array(STATE_HEADER + 2 * datas.length);
    core.bindState(this.state);
    datas.forEach((d, k) => {
      const c = d.columns;
      core.attachData(k, c.datetime, d.sessionEnd, c.open, c.high, c.low, c.close);
    });
    this.mults = datas.map(() => 1);
    for (const c of this.commissions) {
      let index: number | undefined;
      if (c.name !== undefined) {
        index = datas.findIndex((d) => d.name === c.name);
        if (index < 0) {
          throw new ParamError(
            `setCommission: no data named '${c.name}'; data names: ${datas.map((d) => d.name).join(', ')}`,
          );
        }
      }
      callNative(() => core.setCommission(c.commission, c.commtype, c.percabs, c.mult, index));
      if (index === undefined) this.mults = this.mults.map(() => c.mult);
      else this.mults[index] = c.mult;
    }
    this.positions = datas.map((_, k) => new Position(this.state, STATE_HEADER + 2 * k));
    this.orders = [];
    this.core = core;
  }

  /** @internal submits an order for a strategy. */
  submit(owner: number, dataIndex: number, size: number, spec: OrderSpec, info: Record<string, unknown>): Order {
    const core = this.core;
    if (!core) throw new OrderError('orders can only be placed while the cerebro runs');
    const data = this.datas[dataIndex]!;
    const bar = data.cursor.i;
    const { exectype, price: createdPrice, plimit, trailamount, trailpercent, valid, tradeid } = spec;
    const ref = callNative(() =>
      core.submit(owner, dataIndex, size, exectype, bar, createdPrice, plimit, trailamount, trailpercent, valid, tradeid),
    );
    const order = new Order(
      ref,
      owner,
      dataIndex,
      size,
      exectype,
      tradeid,
      { bar, dt: data.columns.datetime[bar]!, price: createdPrice, size, pricelimit: plimit, valid },
      info,
    );
    order.status = this.checksubmit ? OrderStatus.Submitted : OrderStatus.Accepted;
    this.orders.push(order);
    return order;
  }

  /** @internal */
  cancel(order: Order): boolean {
    return this.core ? this.core.cancel(order.ref) : false;
  }
}
