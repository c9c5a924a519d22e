/**
 * A loopback A-share securities gateway speaking the contract of
 * ts/venues/ashare/gateway-protocol.ts over HTTP, in front of a simulated market that enforces
 * what the exchange and the broker would: 100-share lots for buys (an odd lot sells only as the
 * whole odd remainder), T+1 (today's buys are not sellable until `nextTradingDay()`), the daily
 * price band (±10% of the previous close, ±20% for 300xxx/301xxx/688xxx), the continuous trading
 * sessions (09:30–11:30, 13:00–15:00 Beijing time, on the simulated clock) and the opening call
 * auction (09:15–09:25: limit orders only, queued, matched at the open by `open()`), available cash.
 * Faults on demand: a dropped connection (before the request, or after it with the answer lost), 429 busy, a malformed body, an expired token, and a
 * down period during which every request is dropped (the market still trades).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { GatewayCode, type GatewayDeal, type GatewayEntrustRequest, type GatewayOrder, type GatewayPosition } from '../../ts/venues/ashare/gateway-protocol.js';

export interface AShareGatewayServerOptions {
  account: string;
  password: string;
  /** Starting cash, CNY (default 1,000,000). */
  cash?: number;
  /** Simulated Beijing wall time of day, 'HH:MM' (default '10:00': in the morning session). */
  time?: string;
}

/** `drop`: the connection is cut before the request is read; `drop-reply`: the request is carried out and the answer lost. */
export type GatewayFault = 'drop' | 'drop-reply' | 'busy' | 'malformed' | 'expire-token';

interface Holding { amount: number; boughtToday: number; cost: number }
interface Stock { last: number; prevClose: number }

const round2 = (x: number) => Math.round(x * 100) / 100;
const bandOf = (code: string) => (/^(300|301|688)/.test(code) ? 0.2 : 0.1);

export class AShareGatewayServer {
  url = '';
  readonly orders: GatewayOrder[] = [];
  readonly deals: GatewayDeal[] = [];
  readonly requests: string[] = [];
  cash: number;
  frozen = 0;
  private readonly holdings = new Map<string, Holding>();
  private readonly stocks = new Map<string, Stock>();
  private readonly tokens = new Set<string>();
  private readonly faults: GatewayFault[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private time: string;
  private down = false;
  private seq = 0;

  constructor(private readonly o: AShareGatewayServerOptions) {
    this.cash = o.cash ?? 1_000_000;
    this.time = o.time ?? '10:00';
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Lists a stock with yesterday's close (the price band's reference) and trades it there. */
  list(code: string, prevClose: number): void {
    this.stocks.set(code, { last: prevClose, prevClose });
  }

  /** Today's limit-down and limit-up prices. */
  band(code: string): { down: number; up: number } {
    const s = this.stock(code);
    const b = bandOf(code);
    return { down: round2(s.prevClose * (1 - b)), up: round2(s.prevClose * (1 + b)) };
  }

  /** Trades `code` at `price` (held inside the band, as the exchange would), filling resting orders it reaches. */
  setPrice(code: string, price: number): void {
    if (!this.stocks.has(code)) this.list(code, price);
    const { down, up } = this.band(code);
    const s = this.stock(code);
    s.last = Math.min(up, Math.max(down, price));
    for (const o of this.orders) {
      if (o.stock_code !== code || (o.status !== 'reported' && o.status !== 'part_dealt')) continue;
      if ((o.bs === 'B' && s.last <= o.price) || (o.bs === 'S' && s.last >= o.price)) this.deal(o, o.price);
    }
  }

  /** Seeds a holding bought on an earlier day (all of it sellable). */
  hold(code: string, amount: number, cost: number): void {
    this.holdings.set(code, { amount, boughtToday: 0, cost });
  }

  /** Closes the day: the last price becomes the band's reference, today's buys become sellable, open orders expire. */
  nextTradingDay(): void {
    for (const s of this.stocks.values()) s.prevClose = s.last;
    for (const h of this.holdings.values()) h.boughtToday = 0;
    for (const o of this.orders) if (o.status === 'reported' || o.status === 'part_dealt') this.finish(o, o.deal_amount > 0 ? 'part_canceled' : 'canceled');
  }

  /** Sets the simulated Beijing time of day, 'HH:MM'. */
  setTime(hhmm: string): void {
    this.time = hhmm;
  }

  /** Queues faults for the next requests, one per request. */
  fault(...kinds: GatewayFault[]): void {
    this.faults.push(...kinds);
  }

  /** While down, every request's connection is dropped (the market still trades). */
  setDown(down: boolean): void {
    this.down = down;
  }

  private stock(code: string): Stock {
    const s = this.stocks.get(code);
    if (!s) throw new Error(`not listed: ${code}`);
    return s;
  }

  private minutes(): number {
    const [h, m] = this.time.split(':').map(Number) as [number, number];
    return h * 60 + m;
  }

  private inSession(): boolean {
    const t = this.minutes();
    return (t >= 570 && t < 690) || (t >= 780 && t < 900);
  }

  private inAuction(): boolean {
    const t = this.minutes();
    return t >= 555 && t < 565;
  }

  /**
   * The opening auction's result: the day opens at `price` (09:30); queued buys limited at or
   * above it and sells at or below it deal at the open price.
   */
  open(code: string, price: number): void {
    this.time = '09:30';
    const s = this.stock(code);
    const { down, up } = this.band(code);
    s.last = Math.min(up, Math.max(down, price));
    for (const o of this.orders) {
      if (o.stock_code !== code || o.status !== 'reported') continue;
      if ((o.bs === 'B' && o.price >= s.last) || (o.bs === 'S' && o.price <= s.last)) this.deal(o, s.last);
    }
  }

  private fees(bs: 'B' | 'S', value: number) {
    return { commission: round2(Math.max(5, value * 0.00025)), stamp_duty: bs === 'S' ? round2(value * 0.0005) : 0, transfer_fee: round2(value * 0.00001) };
  }

  private deal(o: GatewayOrder, price: number): void {
    const amount = o.entrust_amount - o.deal_amount;
    const value = amount * price;
    const fees = this.fees(o.bs, value);
    const time = Date.now();
    this.deals.push({ deal_no: `D${++this.seq}`, entrust_no: o.entrust_no, remark: o.remark, stock_code: o.stock_code, bs: o.bs, deal_price: price, deal_amount: amount, ...fees, deal_time: time });
    const h = this.holdings.get(o.stock_code) ?? { amount: 0, boughtToday: 0, cost: 0 };
    const feeSum = fees.commission + fees.stamp_duty + fees.transfer_fee;
    if (o.bs === 'B') {
      if (o.price_type === 'limit') this.frozen -= amount * o.price;
      this.cash -= value + feeSum;
      h.cost = (h.cost * h.amount + value) / (h.amount + amount);
      h.amount += amount;
      h.boughtToday += amount;
    } else {
      this.cash += value - feeSum;
      h.amount -= amount;
    }
    this.holdings.set(o.stock_code, h);
    o.deal_price = round2((o.deal_price * o.deal_amount + value) / (o.deal_amount + amount));
    o.deal_amount += amount;
    o.status = 'dealt';
    o.update_time = time;
  }

  private finish(o: GatewayOrder, status: GatewayOrder['status']): void {
    if (o.bs === 'B' && o.price_type === 'limit') this.frozen -= (o.entrust_amount - o.deal_amount) * o.price;
    o.status = status;
    o.update_time = Date.now();
  }

  private sellable(code: string): number {
    const h = this.holdings.get(code);
    const pending = this.orders.filter((o) => o.stock_code === code && o.bs === 'S' && (o.status === 'reported' || o.status === 'part_dealt')).reduce((n, o) => n + o.entrust_amount - o.deal_amount, 0);
    return h ? h.amount - h.boughtToday - pending : 0;
  }

  /** The entrust rules, in the order a gateway checks them: the refusal code and text, or undefined. */
  private refuse(r: GatewayEntrustRequest): [number, string] | undefined {
    if (this.inAuction() && r.price_type !== 'limit') return [GatewayCode.CLOSED, '集合竞价阶段只接受限价委托 (the call auction takes limit orders only)'];
    if (!this.inSession() && !this.inAuction()) return [GatewayCode.CLOSED, '非交易时间，不能委托 (not in a trading session)'];
    if (!this.stocks.has(r.stock_code)) return [GatewayCode.UNKNOWN_STOCK, `证券代码不存在: ${r.stock_code}`];
    if (!Number.isInteger(r.amount) || r.amount <= 0) return [GatewayCode.BAD_REQUEST, '委托数量必须为正整数 (amount must be a positive whole number)'];
    if (r.bs === 'B' && r.amount % 100 !== 0) return [GatewayCode.BAD_LOT, '买入数量必须为100股的整数倍 (buys must be whole lots of 100 shares)'];
    if (r.bs === 'S' && r.amount % 100 !== 0 && r.amount !== this.sellable(r.stock_code)) return [GatewayCode.BAD_LOT, '零股须一次性卖出 (an odd lot sells only as the whole remainder)'];
    const { down, up } = this.band(r.stock_code);
    if (r.price_type === 'limit' && (!(r.price! >= down) || !(r.price! <= up))) return [GatewayCode.PRICE_LIMIT, `委托价格超出涨跌停范围 [${down.toFixed(2)}, ${up.toFixed(2)}] (price outside the daily limit)`];
    if (r.bs === 'S' && r.amount > this.sellable(r.stock_code)) return [GatewayCode.NOT_SELLABLE, `可卖数量不足，可卖 ${this.sellable(r.stock_code)} 股 (not enough sellable shares; today's buys sell from the next trading day)`];
    if (r.bs === 'B') {
      const price = r.price_type === 'limit' ? r.price! : up;
      const value = r.amount * price;
      const f = this.fees('B', value);
      if (value + f.commission + f.transfer_fee > this.cash - this.frozen) return [GatewayCode.NO_FUNDS, `可用资金不足 (available cash ${(this.cash - this.frozen).toFixed(2)})`];
    }
    return undefined;
  }

  private entrust(r: GatewayEntrustRequest): [number, string, unknown?] {
    if (typeof r.remark !== 'string' || !r.remark || (r.bs !== 'B' && r.bs !== 'S') || (r.price_type !== 'limit' && r.price_type !== 'best5_cancel') || typeof r.stock_code !== 'string') {
      return [GatewayCode.BAD_REQUEST, '参数错误: stock_code, bs (B/S), price_type (limit/best5_cancel), amount and remark are required'];
    }
    const same = this.orders.find((o) => o.remark === r.remark);
    if (same) return [GatewayCode.OK, 'ok', { entrust_no: same.entrust_no }];
    const why = this.refuse(r);
    if (why) return why;
    const s = this.stock(r.stock_code);
    const o: GatewayOrder = {
      entrust_no: String(100000 + ++this.seq), remark: r.remark, stock_code: r.stock_code, bs: r.bs, price_type: r.price_type,
      price: r.price_type === 'limit' ? r.price! : 0, entrust_amount: r.amount, deal_amount: 0, deal_price: 0, status: 'reported', update_time: Date.now(),
    };
    this.orders.push(o);
    if (r.price_type === 'best5_cancel') this.deal(o, s.last);
    else if (this.inAuction()) {
      if (r.bs === 'B') this.frozen += r.amount * o.price;
    } else {
      if (r.bs === 'B') this.frozen += r.amount * o.price;
      if ((r.bs === 'B' && s.last <= o.price) || (r.bs === 'S' && s.last >= o.price)) this.deal(o, s.last);
    }
    return [GatewayCode.OK, 'ok', { entrust_no: o.entrust_no }];
  }

  private positions(): GatewayPosition[] {
    return [...this.holdings].filter(([, h]) => h.amount > 0).map(([code, h]) => ({ stock_code: code, current_amount: h.amount, enable_amount: this.sellable(code), cost_price: round2(h.cost) }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(`${req.method} ${url.pathname}`);
    if (this.down) return void req.socket.destroy();
    const fault = this.faults.shift();
    if (fault === 'drop') return void req.socket.destroy();
    const send = (status: number, code: number, msg: string, data?: unknown) => {
      if (fault === 'drop-reply') return void req.socket.destroy();
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(fault === 'malformed' ? '{"code":0,"msg":"ok","data":[{"entrust_no":' : JSON.stringify({ code, msg, ...(data === undefined ? {} : { data }) }));
    };
    if (fault === 'busy') return send(429, GatewayCode.BUSY, '系统繁忙，请稍后再试 (busy)');
    let body: Record<string, unknown> = {};
    try {
      if (chunks.length) body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return send(400, GatewayCode.BAD_REQUEST, '请求不是JSON (body is not JSON)');
    }
    if (url.pathname === '/api/login' && req.method === 'POST') {
      if (body.account !== this.o.account || body.password !== this.o.password) return send(200, GatewayCode.LOGIN_FAILED, '账号或密码错误 (wrong account or password)');
      const token = `tok-${++this.seq}`;
      this.tokens.add(token);
      return send(200, GatewayCode.OK, 'ok', { token });
    }
    const token = req.headers['x-session-token'];
    if (fault === 'expire-token') this.tokens.clear();
    if (typeof token !== 'string' || !this.tokens.has(token)) return send(200, GatewayCode.TOKEN_INVALID, '会话已失效，请重新登录 (session expired)');
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'POST /api/entrust': {
        const [code, msg, data] = this.entrust(body as unknown as GatewayEntrustRequest);
        return send(200, code, msg, data);
      }
      case 'POST /api/cancel': {
        const o = this.orders.find((x) => (body.remark !== undefined && x.remark === body.remark) || (body.entrust_no !== undefined && x.entrust_no === body.entrust_no));
        if (!o) return send(200, GatewayCode.NO_ORDER, '委托不存在 (no such order)');
        if (o.status !== 'reported' && o.status !== 'part_dealt') return send(200, GatewayCode.NOT_CANCELABLE, `委托已${o.status}，不能撤单 (the order is final)`);
        this.finish(o, o.deal_amount > 0 ? 'part_canceled' : 'canceled');
        return send(200, GatewayCode.OK, 'ok', { entrust_no: o.entrust_no });
      }
      case 'GET /api/orders': {
        const remark = url.searchParams.get('remark');
        return send(200, GatewayCode.OK, 'ok', this.orders.filter((o) => remark === null || o.remark === remark));
      }
      case 'GET /api/deals': {
        const since = Number(url.searchParams.get('since') ?? 0);
        return send(200, GatewayCode.OK, 'ok', this.deals.filter((d) => d.deal_time >= since));
      }
      case 'GET /api/positions':
        return send(200, GatewayCode.OK, 'ok', this.positions());
      case 'GET /api/funds': {
        const mv = [...this.holdings].reduce((n, [code, h]) => n + h.amount * (this.stocks.get(code)?.last ?? h.cost), 0);
        return send(200, GatewayCode.OK, 'ok', { balance: round2(this.cash), enable_balance: round2(this.cash - this.frozen), market_value: round2(mv), total_asset: round2(this.cash + mv), currency: 'CNY' });
      }
      default:
        return send(404, GatewayCode.BAD_REQUEST, `no route ${route}`);
    }
  }
}

/** Starts a gateway on a free loopback port. */
export function startAShareGatewayServer(o: AShareGatewayServerOptions): Promise<AShareGatewayServer> {
  return new AShareGatewayServer(o).listen();
}
