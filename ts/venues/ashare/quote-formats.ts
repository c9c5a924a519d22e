/**
 * The two real-time A-share quote formats most Chinese quant tools read, parsed into one shape:
 *
 * - Sina (`hq.sinajs.cn/list=sh600000`, GBK text): `var hq_str_sh600000="name,open,prevClose,
 *   price,high,low,bid,ask,volume(shares),amount(yuan),b1Vol,b1Price,...,b5Vol,b5Price,a1Vol,
 *   a1Price,...,a5Vol,a5Price,date,time,status";` — an empty string for an unknown code.
 * - Tencent (`qt.gtimg.cn/q=sh600000`, GBK text): `v_sh600000="1~name~code~price~prevClose~open~
 *   volume(lots)~outer~inner~b1Price~b1Vol(lots)~...~b5Vol~a1Price~a1Vol~...~a5Vol~trades~
 *   yyyymmddHHMMSS~change~change%~high~low~...";` — volumes in lots of 100 shares.
 *
 * Volumes come out in shares. Times are the exchange's wall time (Asia/Shanghai) as ms of that
 * naive time, the convention of ferrotrade's data. A suspended stock (price 0, or Sina status
 * other than 00) is `halted`. A line that cannot be read is returned as a problem, with its text.
 */

/** One quote snapshot with 5 levels a side (level 1 is the best). */
export interface AShareQuote {
  /** `sh600000`, `sz000001`, ... */
  code: string;
  name: string;
  time: number;
  last: number;
  open: number;
  prevClose: number;
  high: number;
  low: number;
  /** Shares traded today. */
  volume: number;
  /** Yuan traded today. */
  amount: number;
  bidPrice: number[];
  bidVolume: number[];
  askPrice: number[];
  askVolume: number[];
  halted: boolean;
}

/** What a response held: the quotes, and the lines that could not be read. */
export interface ParsedQuotes {
  quotes: AShareQuote[];
  problems: { line: string; reason: string }[];
}

const num = (s: string | undefined) => (s === undefined || s.trim() === '' ? NaN : Number(s));

function checked(q: AShareQuote): string | undefined {
  if (!Number.isFinite(q.time)) return 'no valid date and time';
  const fields: [string, number][] = [['price', q.last], ['prevClose', q.prevClose], ['volume', q.volume]];
  for (const [k, v] of fields) if (!Number.isFinite(v) || v < 0) return `${k} is not a number >= 0`;
  for (const arr of [q.bidPrice, q.bidVolume, q.askPrice, q.askVolume]) if (arr.length !== 5 || arr.some((v) => !Number.isFinite(v) || v < 0)) return 'the 5 book levels are incomplete';
  return undefined;
}

/** Parses a Sina response (already decoded from GBK). */
export function parseSina(text: string): ParsedQuotes {
  const out: ParsedQuotes = { quotes: [], problems: [] };
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = /^var hq_str_([a-z]{2}\d{6})="(.*)";?\s*$/.exec(line.trim());
    if (!m) {
      out.problems.push({ line, reason: 'not a var hq_str_<code>="..." line' });
      continue;
    }
    const [, code, body] = m as unknown as [string, string, string];
    if (body === '') {
      out.problems.push({ line, reason: `no quote for ${code} (unknown code)` });
      continue;
    }
    const f = body.split(',');
    if (f.length < 32) {
      out.problems.push({ line, reason: `${f.length} fields, expected at least 32` });
      continue;
    }
    const [y, mo, d] = (f[30] ?? '').split('-').map(Number) as [number, number, number];
    const [hh, mm, ss] = (f[31] ?? '').split(':').map(Number) as [number, number, number];
    const level = (start: number, priceFirst: boolean) => {
      const price: number[] = [];
      const vol: number[] = [];
      for (let i = 0; i < 5; i++) {
        const a = num(f[start + 2 * i]);
        const b = num(f[start + 2 * i + 1]);
        price.push(priceFirst ? a : b);
        vol.push(priceFirst ? b : a);
      }
      return { price, vol };
    };
    const bids = level(10, false);
    const asks = level(20, false);
    const status = f[32]?.trim() ?? '00';
    const q: AShareQuote = {
      code, name: f[0]!, time: Date.UTC(y, mo - 1, d, hh, mm, ss), last: num(f[3]), open: num(f[1]), prevClose: num(f[2]), high: num(f[4]), low: num(f[5]),
      volume: num(f[8]), amount: num(f[9]), bidPrice: bids.price, bidVolume: bids.vol, askPrice: asks.price, askVolume: asks.vol,
      halted: num(f[3]) === 0 || (status !== '' && status !== '00'),
    };
    const bad = checked(q);
    if (bad) out.problems.push({ line, reason: bad });
    else out.quotes.push(q);
  }
  return out;
}

/** Parses a Tencent response (already decoded from GBK). */
export function parseTencent(text: string): ParsedQuotes {
  const out: ParsedQuotes = { quotes: [], problems: [] };
  for (const line of text.split(/\r?\n|;(?=\s*v_)/)) {
    if (line.trim() === '') continue;
    const m = /^v_([a-z]{2}\d{6})="(.*)";?\s*$/.exec(line.trim());
    if (!m) {
      out.problems.push({ line, reason: 'not a v_<code>="..." line' });
      continue;
    }
    const [, code, body] = m as unknown as [string, string, string];
    const f = body.split('~');
    if (f.length < 38) {
      out.problems.push({ line, reason: `${f.length} fields, expected at least 38` });
      continue;
    }
    const t = f[30] ?? '';
    const time = /^\d{14}$/.test(t) ? Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(8, 10), +t.slice(10, 12), +t.slice(12, 14)) : NaN;
    const side = (start: number) => ({
      price: [0, 1, 2, 3, 4].map((i) => num(f[start + 2 * i])),
      vol: [0, 1, 2, 3, 4].map((i) => num(f[start + 2 * i + 1]) * 100),
    });
    const bids = side(9);
    const asks = side(19);
    const q: AShareQuote = {
      code, name: f[1]!, time, last: num(f[3]), open: num(f[5]), prevClose: num(f[4]), high: num(f[33]), low: num(f[34]),
      volume: num(f[6]) * 100, amount: num(f[37]) * 10_000, bidPrice: bids.price, bidVolume: bids.vol, askPrice: asks.price, askVolume: asks.vol,
      halted: num(f[3]) === 0,
    };
    const bad = checked(q);
    if (bad) out.problems.push({ line, reason: bad });
    else out.quotes.push(q);
  }
  return out;
}
