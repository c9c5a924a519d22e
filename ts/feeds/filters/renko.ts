import { ParamError } from '../../errors.js';
import type { DataFeed, OhlcvColumns } from '../datafeed.js';
import { BarBuilder, checkKnown, flag, positive, type DataFilter } from './filter.js';

/** Options of {@link renko} (backtrader's `bt.filters.Renko` parameters). */
export interface RenkoOptions {
  /** Brick size in price units. Default: computed from `autosize`. */
  size?: number;
  /** Without `size`, the brick size is `floor(first open / autosize)` (default 20). */
  autosize?: number;
  /** With `autosize`, recompute the size from the close at every new brick (default false). */
  dynamic?: boolean;
  /** Align brick boundaries to multiples of this (default 1): 3563.25 with align 10 → 3560. */
  align?: number;
  /** Use high and low rather than the close to decide on a new brick (default false). */
  hilo?: boolean;
  /** Truncate the starting price to an integer (default true); false suits penny stocks. */
  roundstart?: boolean;
}

const KNOWN = ['size', 'autosize', 'dynamic', 'align', 'hilo', 'roundstart'] as const;

/** Python's `round(x, 0)` on a float: to nearest, ties to even (x − floor(x) is exact). */
export function pyRound(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Python's float `a // b` (CPython's `float_floor_div`), which differs from `Math.floor(a / b)`
 * when the division rounds up to a whole number.
 */
export function pyFloorDiv(a: number, b: number): number {
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0) {
    if (b < 0 !== mod < 0) {
      mod += b;
      div -= 1;
    }
  }
  if (div !== 0) {
    let floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
    return floordiv;
  }
  return 0 * Math.sign(a / b);
}

function tooSmall(size: number, price: number, autosize: number, at: number): ParamError {
  return new ParamError(
    `renko: autosize ${autosize} gives bricks of size ${size} at price ${price} (${new Date(at).toISOString().slice(0, 19)}); ` +
      'give a fixed size or an autosize smaller than the price',
  );
}

/**
 * Renko bricks in place of the bars (backtrader's `bt.filters.Renko`). The first bar's open,
 * aligned, starts the grid with a brick boundary `size` above and below it. A source bar whose
 * close (or high/low with `hilo`) reaches the upper boundary becomes an up brick (open = low =
 * the old top, high = close = top + size), one that reaches the lower boundary a down brick;
 * other bars are dropped. One source bar gives at most one brick, stamped with its time, with
 * volume and open interest 0.
 *
 * ```ts
 * const bricks = data.addFilter(filters.renko({ size: 10 }));
 * ```
 * Deviation: a down brick has high = its open and low = its close; backtrader writes them the
 * other way round (high below low).
 * @throws ParamError for a size, autosize or align ≤ 0, `dynamic` with a fixed `size`, unknown
 * options, or an autosize that gives bricks of size 0.
 */
export function renko(options: RenkoOptions = {}): DataFilter {
  checkKnown('renko', options, KNOWN);
  const fixed = options.size === undefined ? undefined : positive('renko: size', options.size, 0);
  const autosize = positive('renko: autosize', options.autosize, 20);
  const align = positive('renko: align', options.align, 1);
  const dynamic = flag('renko: dynamic', options.dynamic, false);
  const hilo = flag('renko: hilo', options.hilo, false);
  const roundstart = flag('renko: roundstart', options.roundstart, true);
  if (dynamic && fixed !== undefined) {
    throw new ParamError('renko: dynamic recomputes autosize bricks and does nothing with a fixed size; drop size or dynamic');
  }
  return {
    name: 'Renko',
    filter(data: DataFeed): OhlcvColumns {
      const { datetime: dt, open: O, high: H, low: L, close: C } = data.columns;
      const n = dt.length;
      const out = new BarBuilder(n);
      if (n === 0) return out.finish();
      // backtrader's nextstart: the grid starts from the first open, aligned.
      let start = pyRound(O[0]! / align) * align;
      let size = fixed ?? pyFloorDiv(start, autosize);
      if (!(size > 0)) throw tooSmall(size, start, autosize, dt[0]!);
      if (roundstart) start = Math.trunc(start);
      let top = start + size;
      let bot = start - size;
      for (let i = 0; i < n; i++) {
        const c = C[i]!;
        const hi = hilo ? H[i]! : c;
        const lo = hilo ? L[i]! : c;
        if (hi >= top) {
          bot = top;
          if (dynamic) {
            size = pyFloorDiv(c, autosize);
            if (!(size > 0)) throw tooSmall(size, c, autosize, dt[i]!);
            top = pyRound((bot + size) / align) * align;
          } else top = bot + size;
          out.push(dt[i]!, bot, top, bot, top, 0, 0);
        } else if (lo <= bot) {
          top = bot;
          if (dynamic) {
            size = pyFloorDiv(c, autosize);
            if (!(size > 0)) throw tooSmall(size, c, autosize, dt[i]!);
            bot = pyRound((top - size) / align) * align;
          } else bot = top - size;
          out.push(dt[i]!, top, top, bot, bot, 0, 0);
        }
      }
      return out.finish();
    },
  };
}
