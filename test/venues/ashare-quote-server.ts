/**
 * A local server on loopback that answers as Sina's and Tencent's real-time A-share quote
 * services do: `GET /list=sh600000,sz000001` gives `var hq_str_<code>="...";` lines (Sina) and
 * `GET /q=sh600000` gives `v_<code>="...~...";` lines (Tencent), GBK-encoded, one per code asked;
 * an unknown code gets Sina's empty string. The test sets each code's snapshot, halts a stock
 * (price 0 and Sina status 03), or makes the next answer malformed; `setOffline` drops connections.
 *
 * ```ts
 * const server = await startAShareQuoteServer();
 * server.setSnapshot('sh600000', { ... });
 * aShareQuoteSource({ code: 'sh600000', provider: 'sina', baseUrl: server.url });
 * ```
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One code's state (volumes in shares; times as the exchange's wall time). */
export interface QuoteSnapshot {
  name: string;
  date: string; // YYYY-MM-DD
  time: string; // HH:MM:SS
  open: number;
  prevClose: number;
  last: number;
  high: number;
  low: number;
  volume: number;
  amount: number;
  /** Five levels a side, best first: [price, shares]. */
  bids: [number, number][];
  asks: [number, number][];
  halted?: boolean;
}

let gbkTable: Map<string, number[]> | undefined;

/** Encodes text as GBK (the inverse of Node's GBK TextDecoder over the double-byte range). */
export function encodeGbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const dec = new TextDecoder('gbk');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = dec.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) bytes.push(code);
    else bytes.push(...(gbkTable.get(ch) ?? [0x3f]));
  }
  return Buffer.from(bytes);
}

const f2 = (n: number) => n.toFixed(2);
const f3 = (n: number) => n.toFixed(3);

export function sinaLine(code: string, s: QuoteSnapshot | undefined): string {
  if (!s) return `var hq_str_${code}="";`;
  const last = s.halted ? 0 : s.last;
  const bidSide = s.bids.flatMap(([p, v]) => [String(s.halted ? 0 : v), f3(s.halted ? 0 : p)]);
  const askSide = s.asks.flatMap(([p, v]) => [String(s.halted ? 0 : v), f3(s.halted ? 0 : p)]);
  const fields = [
    s.name, f3(s.halted ? 0 : s.open), f3(s.prevClose), f3(last), f3(s.halted ? 0 : s.high), f3(s.halted ? 0 : s.low),
    f3(s.halted ? 0 : s.bids[0]![0]), f3(s.halted ? 0 : s.asks[0]![0]), String(s.volume), f3(s.amount), ...bidSide, ...askSide,
    s.date, s.time, s.halted ? '03' : '00',
  ];
  return `var hq_str_${code}="${fields.join(',')}";`;
}

export function tencentLine(code: string, s: QuoteSnapshot): string {
  const market = code.startsWith('sh') ? '1' : '51';
  const lots = (v: number) => String(Math.round(v / 100));
  const last = s.halted ? 0 : s.last;
  const fields = [
    market, s.name, code.slice(2), f2(last), f2(s.prevClose), f2(s.halted ? 0 : s.open), lots(s.volume), lots(s.volume / 2), lots(s.volume / 2),
    ...s.bids.flatMap(([p, v]) => [f2(s.halted ? 0 : p), lots(s.halted ? 0 : v)]),
    ...s.asks.flatMap(([p, v]) => [f2(s.halted ? 0 : p), lots(s.halted ? 0 : v)]),
    '', `${s.date.replace(/-/g, '')}${s.time.replace(/:/g, '')}`, f2(last - s.prevClose), f2(((last - s.prevClose) / s.prevClose) * 100),
    f2(s.halted ? 0 : s.high), f2(s.halted ? 0 : s.low), `${f2(last)}/${lots(s.volume)}/${Math.round(s.amount)}`, lots(s.volume), (s.amount / 10_000).toFixed(0),
    '0.10', '5.00', '',
  ];
  return `v_${code}="${fields.join('~')}";`;
}

/** The server (see the module comment). */
export class AShareQuoteServer {
  readonly url: string;
  private readonly snapshots = new Map<string, QuoteSnapshot>();
  private malformed: string | undefined;
  private readonly scripts = new Map<string, QuoteSnapshot[]>();
  private offline = false;
  /** Request paths, for assertions. */
  readonly requests: string[] = [];

  private constructor(private readonly server: Server) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<AShareQuoteServer> {
    let self: AShareQuoteServer | undefined;
    const server = createServer((req, res) => {
      const s = self!;
      const path = decodeURIComponent(req.url ?? '/');
      s.requests.push(path);
      if (s.offline) return void req.socket.destroy();
      const sina = /^\/list=([\w,]+)$/.exec(path);
      const tencent = /^\/q=([\w,]+)$/.exec(path);
      if (!sina && !tencent) {
        res.writeHead(404).end();
        return;
      }
      const codes = (sina ?? tencent)![1]!.split(',');
      if (s.malformed === undefined) for (const c of codes) {
        const script = s.scripts.get(c);
        if (script && script.length > 0) s.setSnapshot(c, script.length > 1 ? script.shift()! : script[0]!);
      }
      let text: string;
      if (s.malformed !== undefined) {
        text = s.malformed;
        s.malformed = undefined;
      } else {
        text = codes.map((c) => (sina ? sinaLine(c, s.snapshots.get(c)) : s.snapshots.has(c) ? tencentLine(c, s.snapshots.get(c)!) : `v_pv_none_match="1";`)).join('\n') + '\n';
      }
      res.writeHead(200, { 'Content-Type': sina ? 'application/javascript; charset=GBK' : 'text/html; charset=GBK' });
      res.end(encodeGbk(text));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self = new AShareQuoteServer(server);
    return self;
  }

  /** Each request for `code` is answered with the next of `snapshots` (the last one repeats). */
  play(code: string, snapshots: QuoteSnapshot[]): void {
    this.scripts.set(code, snapshots.slice());
  }

  setSnapshot(code: string, s: QuoteSnapshot): void {
    this.snapshots.set(code, { ...s, bids: s.bids.map((l) => [...l] as [number, number]), asks: s.asks.map((l) => [...l] as [number, number]) });
  }

  /** The next answer is this text instead (a truncated line, garbage, ...). */
  answerNextWith(text: string): void {
    this.malformed = text;
  }

  setOffline(offline: boolean): void {
    this.offline = offline;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export const startAShareQuoteServer = () => AShareQuoteServer.start();
