/**
 * @internal per-bar columns (cash, value) handed from one run of a sweep to the next. Each run
 * of a sweep would otherwise allocate fresh megabyte arrays, and the page faults and unmaps of
 * that churn serialise worker threads on the process's memory map. Off outside sweeps: there
 * a run's columns belong to its result.
 */
let pool: Float64Array[] | null = null;
/** More than a few spare columns is memory held for nothing. */
const MAX_SPARE = 8;

/** Turns the pool on (empty) or off. */
export function useColumnPool(on: boolean): void {
  pool = on ? [] : null;
}

/** A column of `n` values whose every element the caller will write (contents are stale). */
export function takeColumn(n: number): Float64Array {
  if (pool !== null) {
    const k = pool.findIndex((c) => c.length === n);
    if (k >= 0) return pool.splice(k, 1)[0]!;
  }
  return new Float64Array(n);
}

/** Gives back columns of a run whose result is no longer read. */
export function giveBack(...columns: Float64Array[]): void {
  if (pool === null) return;
  for (const c of columns) if (pool.length < MAX_SPARE && !pool.includes(c)) pool.push(c);
}
