import { native } from '../native.js';
import { attachPrices } from './shared-prices.js';
import { callNative, OrderError, ParamError } from '../errors.js';
import type { DependencySpec } from './order-spec.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { Order, OrderStatus } from './order.js';
import { addDependency, submitOrder, submitRefused } from './order-entry.js';
import { Position } from './position.js';
import { RECORD } from './events.js';
import { OrderTable } from './order-table.js';
import { SubmissionQueue } from './submission-queue.js';
import { Level2Feed } from '../feeds/level2.js';
import type { BacktestRisk } from '../risk/backtest.js';
import type { InstrumentOrderRules } from '../instruments/order-rules.js';
import { instrumentSettings } from '../instruments/broker-settings.js';
import {
  fillerArgs,
  type BrokerSettings,
  type ChinaAShareOptions,
  type CommissionOptions,
  type CommissionSetting,
  type FillerOptions,
  type MarketRulesOptions,
  type OrderSpec,
  type SlippageOptions,
  type SlippageSettings,
  slippageSettings,
  type Valuation,
} from './options.js';

export type {
  BrokerSettings, ChinaAShareOptions, CommissionOptions, FillerOptions, MarketRulesOptions, OrderSpec, SlippageOptions,
} from './options.js';

const STATE_HEADER = native.STATE_HEADER_SIZE;

/**
 * The simulated broker (backtrader's `BackBroker`). Configure it before `cerebro.run()`;
 * during a run, strategies read cash, value and positions from it.
 */
export class Broker {
  private startingCash = 10_000;
  private checksubmit = true;
  private shortcash = true;
  private coc = false;
  private coo = false;
  private int2pnl = true;
  private fundmode = false;
  private fundstartval = 100;
  private filler: FillerOptions | null = null;
  private marketRules: { args: Parameters<InstanceType<typeof native.NativeBroker>['setMarketRules']>[0]; name?: string }[] = [];
  private slippage: SlippageSettings = {
    perc: 0, fixed: 0, slipOpen: false, slipMatch: true, slipLimit: true, slipOut: false,
  };
  private commissions: CommissionSetting[] = [];

  /** @internal */ core: InstanceType<typeof native.NativeBroker> | null = null;
  /** @internal shared state: [cash, open orders, queued notifications, size/price per data]. */
  state = new Float64Array(STATE_HEADER);
  /** @internal */ events = new Float64Array(RECORD * 64);
  /** @internal */ datas: DataFeed[] = [];
  /** @internal per-data valuation rules, from the addon at start. */ valuations: Valuation[] = [];
  /** @internal every order of the current run (see {@link OrderTable}). */
  table = new OrderTable();
  /** Live views of the orders, made when first asked for. */
  private views: Order[] = [];
  /** @internal plain orders on their way to the broker without a call. */
  submissions: SubmissionQueue | null = null;
  /** @internal this broker's handle for `brokerStep`. */
  handle = 0;
  /** @internal the run's risk checks (`cerebro.setRisk`), or null. */
  risk: BacktestRisk | null = null;
  private positions: Position[] = [];
  /** @internal the instruments' tick and lot rules (`cerebro.setInstruments`), or null. */
  instrumentRules: InstrumentOrderRules | null = null;

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

  /** @internal whether new orders are tested against cash (they start Submitted, else Accepted). */
  get checksubmitEnabled(): boolean {
    return this.checksubmit;
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
    this.slippage = slippageSettings(perc, fixed, o, 'slippage ');
  }

  /** Sets the commission scheme (backtrader `setcommission`); checked now. */
  setCommission(options: CommissionOptions = {}): void {
    const num = (name: string, v: number | undefined, def: number, min: number, strict = false) => {
      const x = v ?? def;
      if (typeof x !== 'number' || !Number.isFinite(x) || x < min || (strict && x === min)) {
        throw new ParamError(`setCommission: ${name} must be a finite number ${strict ? '>' : '>='} ${min}, got ${String(v)}`);
      }
      return x;
    };
    if (options.commtype !== undefined && options.commtype !== 'percent' && options.commtype !== 'fixed') {
      throw new ParamError(`commtype must be 'percent' or 'fixed', got '${String(options.commtype)}'`);
    }
    const margin = options.margin === undefined ? NaN : num('margin', options.margin, 0, 0);
    const args: CommissionSetting['args'] = {
      commission: num('commission', options.commission, 0, 0),
      margin,
      mult: num('mult', options.mult, 1, 0, true),
      commtype: options.commtype ?? 'auto',
      stocklike: options.stocklike ?? Number.isNaN(margin),
      percabs: options.percabs ?? true,
      interest: num('interest', options.interest, 0, 0),
      interestLong: options.interestLong ?? false,
      leverage: num('leverage', options.leverage, 1, 0, true),
      automargin: num('automargin', options.automargin, 0, -Infinity),
      minCommission: num('minCommission', options.minCommission, 0, 0),
      stampDuty: num('stampDuty', options.stampDuty, 0, 0),
      transferFee: num('transferFee', options.transferFee, 0, 0),
    };
    const setting: CommissionSetting = { args };
    if (options.name !== undefined) setting.name = options.name;
    this.commissions = this.commissions.filter((c) => c.name !== setting.name);
    this.commissions.push(setting);
  }

  /** Sets exchange rules (lots, T+1, no short selling, daily price limits); checked now. */
  setMarketRules(options: MarketRulesOptions): void {
    const args = {
      lotSize: options.lotSize ?? 0,
      tPlusOne: options.tPlusOne ?? false,
      noShort: options.noShort ?? false,
      priceLimit: options.priceLimit ?? 0,
      tick: options.tick ?? 0.01,
    };
    if (!Number.isFinite(args.lotSize) || args.lotSize < 0) throw new ParamError(`lotSize must be a finite number >= 0, got ${args.lotSize}`);
    if (!Number.isFinite(args.priceLimit) || args.priceLimit < 0 || args.priceLimit >= 1) {
      throw new ParamError(`priceLimit must be a fraction in [0, 1), got ${args.priceLimit}`);
    }
    if (!Number.isFinite(args.tick) || args.tick <= 0) throw new ParamError(`tick must be a finite number > 0, got ${args.tick}`);
    this.marketRules = this.marketRules.filter((r) => r.name !== options.name);
    this.marketRules.push(options.name === undefined ? { args } : { args, name: options.name });
  }

  /**
   * The China A-share profile: commission with a minimum per fill, stamp duty on sells, transfer
   * fee, 100-share lots, T+1, no short selling and the board's daily price limit.
   */
  setChinaAShare(options: ChinaAShareOptions = {}): void {
    const limits = { main: 0.1, growth: 0.2, st: 0.05 } as const;
    const board = options.board ?? 'main';
    if (!(board in limits)) throw new ParamError(`board must be 'main', 'growth' or 'st', got '${String(board)}'`);
    const common = options.name === undefined ? {} : { name: options.name };
    this.setCommission({
      commission: options.commission ?? 0.00025,
      minCommission: options.minCommission ?? 5,
      stampDuty: options.stampDuty ?? 0.0005,
      transferFee: options.transferFee ?? 0.00001,
      ...common,
    });
    this.setMarketRules({ lotSize: 100, tPlusOne: true, noShort: true, priceLimit: limits[board], tick: 0.01, ...common });
  }

  /** @internal the configuration as plain data (for running the same setup in worker threads). */
  exportSettings(): BrokerSettings {
    const { startingCash, checksubmit, shortcash, coc, coo, int2pnl, fundmode, fundstartval, filler, marketRules, slippage, commissions } = this;
    return structuredClone({ startingCash, checksubmit, shortcash, coc, coo, int2pnl, fundmode, fundstartval, filler, marketRules, slippage, commissions });
  }

  /** @internal applies settings from {@link exportSettings}. */
  importSettings(settings: BrokerSettings): void {
    Object.assign(this, structuredClone(settings));
  }

  /** Cheat-on-open (set by `new Cerebro({ cheatOnOpen: true })`). @internal */
  setCoo(coo: boolean): void {
    this.coo = coo;
  }

  /** Charge accrued credit interest to the fill that reduces a position (default true). */
  setInt2pnl(int2pnl: boolean): void {
    this.int2pnl = int2pnl;
  }

  /** Fund mode: value tracked as shares starting at `fundstartval` (default 100). */
  setFundmode(fundmode: boolean, fundstartval?: number): void {
    if (fundstartval !== undefined && (!Number.isFinite(fundstartval) || fundstartval <= 0)) {
      throw new ParamError(`fundstartval must be a finite number > 0, got ${fundstartval}`);
    }
    this.fundmode = fundmode;
    if (fundstartval !== undefined) this.fundstartval = fundstartval;
  }

  /** Caps fills per bar (partial fills), or `null` to fill orders whole (default). */
  setFiller(filler: FillerOptions | null): void {
    if (filler !== null && !['fixed', 'barperc', 'barpoint'].includes(filler.kind)) {
      throw new ParamError(`filler kind must be 'fixed', 'barperc' or 'barpoint', got '${String((filler as { kind: unknown }).kind)}'`);
    }
    this.filler = filler;
  }

  /**
   * Adds (negative: withdraws) cash; applied at the next bar, buying fund shares at that
   * moment's fund value (backtrader `add_cash`).
   */
  addCash(amount: number): void {
    if (!Number.isFinite(amount)) throw new ParamError(`addCash takes a finite amount, got ${amount}`);
    if (!this.core) throw new ParamError('addCash works while the cerebro runs; use setCash before');
    callNative(() => this.core!.addCash(amount));
  }

  /** Whether fund mode is on (backtrader `get_fundmode`). */
  getFundmode(): boolean {
    return this.fundmode;
  }

  /** @internal whether a short sale credits cash (read by analyzers valuing positions). */
  get shortcashEnabled(): boolean {
    return this.shortcash;
  }

  /** Fund value (value per share) and shares, for fund mode. */
  get fundValue(): number {
    return this.core ? this.state[5]! : this.fundstartval;
  }

  get fundShares(): number {
    return this.core ? this.state[4]! : this.startingCash / this.fundstartval;
  }

  /** Position in `data` (data index or feed). */
  getPosition(data: DataFeed | number): Position {
    const index = typeof data === 'number' ? data : this.datas.indexOf(data);
    const pos = this.positions[index];
    if (!pos) throw new ParamError(`no position for that data; is it added to the cerebro?`);
    return pos;
  }

  /**
   * Account value: cash plus the value of every position at the current close, summed as
   * backtrader's `_get_value` (long positions unlevered, futures at their margin).
   */
  getValue(): number {
    const s = this.state;
    let posValue = 0;
    for (let d = 0; d < this.datas.length; d++) {
      const size = s[STATE_HEADER + 2 * d]!;
      if (size === 0) continue;
      const price = s[STATE_HEADER + 2 * d + 1]!;
      const data = this.datas[d]!;
      const close = data.columns.close[data.cursor.i]!;
      const v = this.valuations[d]!;
      const margin = v.automargin === 0 ? v.margin : v.automargin < 0 ? close * v.mult : close * v.automargin;
      let dvalue: number;
      if (!v.stocklike) dvalue = Math.abs(size) * margin;
      else if (this.shortcash) dvalue = size * close;
      else dvalue = Math.abs(size >= 0 ? size * close : price * size + (price - close) * size);
      const unrealized = size * (close - price) * v.mult;
      if (dvalue > 0) {
        dvalue -= unrealized;
        posValue += dvalue / v.leverage;
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

  /** Orders that can still fill (backtrader `get_orders_open`), oldest first. */
  getOrdersOpen(): Order[] {
    // Orders before `firstOpen` are all final; most orders end soon after they start, so the
    // scan starts near the end of the table.
    const t = this.table;
    while (this.firstOpen < t.count && t.status(this.firstOpen + 1) > OrderStatus.Partial) this.firstOpen++;
    const open: Order[] = [];
    for (let ref = this.firstOpen + 1; ref <= t.count; ref++) {
      if (t.status(ref) <= OrderStatus.Partial) open.push(this.order(ref));
    }
    return open;
  }

  /** Index of the oldest order that may still be open. */
  private firstOpen = 0;

  /** Orders submitted so far in the current run, oldest first (live views). */
  getOrders(): readonly Order[] {
    return this.orders;
  }

  /** @internal every order of the run, as live views (made when first read, then kept). */
  get orders(): Order[] {
    for (let ref = this.views.length + 1; ref <= this.table.count; ref++) this.views.push(new Order(this.table, ref));
    return this.views;
  }

  /** @internal the live view of order `ref`. */
  order(ref: number): Order {
    return this.views[ref - 1] ?? new Order(this.table, ref);
  }

  /** @internal whether `order` is an order of this run. */
  owns(order: unknown): order is Order {
    return order instanceof Order && order._table === this.table && order.ref >= 1 && order.ref <= this.table.count;
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
          slippage: sl,
          coo: this.coo,
          int2Pnl: this.int2pnl,
          fundmode: this.fundmode,
          fundstartval: this.fundstartval,
          ...fillerArgs(this.filler),
        }),
    );
    this.state = new Float64Array(STATE_HEADER + 2 * datas.length);
    core.bindState(this.state);
    datas.forEach((d, k) => {
      const c = d.brokerColumns;
      attachPrices(core, k, c, d.brokerSessionEnd);
      if (d instanceof Level2Feed) {
        const b = d.book;
        callNative(() => core.attachBook(k, b.bidPrice, b.bidVolume, b.askPrice, b.askVolume, b.last, b.lastVolume, b.side, d.latencyMs));
      }
    });
    this.instrumentRules?.bind(datas);
    const fromInstruments = instrumentSettings(this.instrumentRules, datas, this.commissions, this.marketRules);
    for (const c of [...this.commissions, ...fromInstruments.commissions]) {
      let index: number | undefined;
      if (c.name !== undefined) {
        index = datas.findIndex((d) => d.name === c.name);
        if (index < 0) {
          throw new ParamError(
            `setCommission: no data named '${c.name}'; data names: ${datas.map((d) => d.name).join(', ')}`,
          );
        }
      }
      callNative(() => core.setCommission(c.args, index));
    }
    for (const r of [...this.marketRules, ...fromInstruments.marketRules]) {
      const index = r.name === undefined ? undefined : datas.findIndex((d) => d.name === r.name);
      if (index !== undefined && index < 0) {
        throw new ParamError(`setMarketRules: no data named '${r.name}'; data names: ${datas.map((d) => d.name).join(', ')}`);
      }
      callNative(() => core.setMarketRules(r.args, index));
    }
    this.valuations = datas.map((_, k) => core.commissionOf(k));
    this.positions = datas.map((_, k) => new Position(this.state, STATE_HEADER + 2 * k));
    this.table = new OrderTable();
    this.views = [];
    this.firstOpen = 0;
    this.submissions = new SubmissionQueue(core);
    this.handle = core.bindFastPath(this.submissions.buffer, this.events);
    this.core = core;
  }

  /** @internal makes held order `child` wait on `dep`. */
  addDependency(child: Order, dep: DependencySpec): void {
    addDependency(this, child, dep);
  }

  /** @internal submits an order for a strategy. */
  submit(owner: number, dataIndex: number, size: number, spec: OrderSpec, info: Record<string, unknown> | undefined, after: readonly DependencySpec[] = []): Order {
    return submitOrder(this, owner, dataIndex, size, spec, info, after);
  }

  /**
   * @internal records an order refused before it reached the broker (by the risk checks): it
   * takes the next ref, is Rejected with `reason` from now on, and is notified to `notifyOrder`
   * at the next bar like any rejection. It joins no bracket, OCO group or dependency; a refused
   * bracket child takes down the members of its bracket still waiting to be sent with it.
   */
  submitRefused(owner: number, dataIndex: number, size: number, spec: OrderSpec, info: Record<string, unknown> | undefined, reason: string): Order {
    return submitRefused(this, owner, dataIndex, size, spec, info, reason);
  }

  /**
   * @internal ends a run: the addon drops its orders and trades (the run's results keep their
   * own copies), so a run's memory does not wait for the garbage collector.
   */
  finishRun(): void {
    if (this.core) callNative(() => this.core!.finish());
  }

  /** @internal */
  cancel(order: Order): boolean {
    return this.core ? callNative(() => this.core!.cancel(order.ref)) : false;
  }
}
