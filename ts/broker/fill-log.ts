/** log2 of the numbers in a full chunk (512 KB). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
/** The longest record: header, price, dt, size, value, comm, pnl. */
const MAX_RECORD = 7;

/** Bits of a record's header saying which numbers it holds beyond price and dt. */
const HAS_SIZE = 1;
const HAS_VALUE = 2;
const HAS_COMM = 4;
const HAS_PNL = 8;

/**
 * @internal the fills of a run's orders: [header, price, dt, then size, value, comm and pnl
 * where they are not implied]. The header is `(bar * 16 + status) * 16 + which`; a whole fill
 * has the order's size, an opening fill's value is size × price, and commission and P&L are
 * often zero, so a fill takes 3 to 7 numbers (a fill of a million-order run: 24–40 bytes, not
 * 56). A fill is found by its index, `chunk << 16 | offset`; records never straddle chunks, and
 * the first chunk starts small and doubles, so a short run allocates little.
 */
export class FillLog {
  private readonly chunks: Float64Array[] = [new Float64Array(64)];
  /** Next free offset in the last chunk. */
  private top = 0;

  /**
   * Appends the fill of order record `r[from..]` (layout in events.ts), of an order of `orderSize`,
   * whose data's bar times are `times`; returns its index. What equals its implied value
   * (compared with `Object.is`, so a -0 is kept) is left out. Reads the record itself: numbers
   * passed one by one to a function that is not inlined are each boxed, and that garbage was
   * most of what a notification cost the collector.
   */
  push(r: Float64Array, from: number, status: number, orderSize: number, times: Float64Array): number {
    const size = r[from + 6]!;
    const price = r[from + 7]!;
    const value = r[from + 8]!;
    const comm = r[from + 9]!;
    const pnl = r[from + 10]!;
    let c = this.chunks.length - 1;
    let chunk = this.chunks[c]!;
    let at = this.top;
    if (at + MAX_RECORD > chunk.length) {
      if (chunk.length < CHUNK) {
        const bigger = new Float64Array(chunk.length * 2);
        bigger.set(chunk);
        this.chunks[c] = chunk = bigger;
      } else {
        this.chunks.push((chunk = new Float64Array(CHUNK)));
        c++;
        at = 0;
      }
    }
    let which = 0;
    chunk[at + 1] = price;
    chunk[at + 2] = times[r[from + 21]! | 0]!;
    let end = at + 3;
    if (!Object.is(size, orderSize)) {
      which |= HAS_SIZE;
      chunk[end++] = size;
    }
    if (!Object.is(value, size * price)) {
      which |= HAS_VALUE;
      chunk[end++] = value;
    }
    if (!Object.is(comm, 0)) {
      which |= HAS_COMM;
      chunk[end++] = comm;
    }
    if (!Object.is(pnl, 0)) {
      which |= HAS_PNL;
      chunk[end++] = pnl;
    }
    chunk[at] = (r[from + 5]! * 16 + status) * 16 + which;
    this.top = end;
    return (c << CHUNK_BITS) | at;
  }

  /** The chunk of fill `k`. */
  chunk(k: number): Float64Array {
    return this.chunks[k >>> CHUNK_BITS]!;
  }

  /** Where fill `k` starts in its chunk. */
  offset(k: number): number {
    return k & (CHUNK - 1);
  }

  /** The status of the notification that carried fill `k`. */
  status(k: number): number {
    return Math.floor(this.chunk(k)[this.offset(k)]! / 16) % 16;
  }

  /** The bar of fill `k`. */
  bar(k: number): number {
    return Math.floor(this.chunk(k)[this.offset(k)]! / 256);
  }

  price(k: number): number {
    return this.chunk(k)[this.offset(k) + 1]!;
  }

  /** The time the fill carries. */
  dt(k: number): number {
    return this.chunk(k)[this.offset(k) + 2]!;
  }

  /** Fill `k`'s size, value, commission and P&L, into `out[0..3]`. */
  numbers(k: number, orderSize: number, out: Float64Array): void {
    const chunk = this.chunk(k);
    const at = this.offset(k);
    const which = chunk[at]! % 16;
    const price = chunk[at + 1]!;
    let j = at + 3;
    const size = which & HAS_SIZE ? chunk[j++]! : orderSize;
    out[0] = size;
    out[1] = which & HAS_VALUE ? chunk[j++]! : size * price;
    out[2] = which & HAS_COMM ? chunk[j++]! : 0;
    out[3] = which & HAS_PNL ? chunk[j++]! : 0;
  }
}
