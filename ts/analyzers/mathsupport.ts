/**
 * backtrader's `mathsupport`: averages with `math.fsum` (exactly rounded summation) and the
 * population or sample standard deviation, so results match backtrader to the last bits.
 * @internal
 */

/** Exactly rounded sum of `xs` (Python's `math.fsum`, Shewchuk's algorithm). */
export function fsum(xs: ArrayLike<number>): number {
  const partials: number[] = [];
  let special = 0;
  for (let k = 0; k < xs.length; k++) {
    let x = xs[k]!;
    if (!Number.isFinite(x)) {
      special += x;
      continue;
    }
    let i = 0;
    for (let j = 0; j < partials.length; j++) {
      let y = partials[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  if (special !== 0 || Number.isNaN(special)) return special;
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    lo = y - (hi - x);
    if (lo) break;
  }
  // Round half-even across the remaining partials, as CPython does.
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/** Mean with `fsum`; `bessel` divides by n - 1. */
export function average(xs: ArrayLike<number>, bessel = false): number {
  return fsum(xs) / (xs.length - (bessel ? 1 : 0));
}

/** Standard deviation around `avg` (default the mean); `bessel` for the sample version. */
export function standarddev(xs: ArrayLike<number>, avg?: number, bessel = false): number {
  const m = avg ?? average(xs);
  const sq = Array.from(xs, (y) => Math.pow(y - m, 2));
  return Math.sqrt(average(sq, bessel));
}
