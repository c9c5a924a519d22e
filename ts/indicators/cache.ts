/**
 * An optional cache of indicator outputs, shared by the runs of a sweep: SMA(20) over the same
 * close column is computed once per worker, not once per parameter combination. Off outside
 * sweeps. Outputs are shared, so they must not be changed; a replayed run rewrites the current
 * bar while it is built and leaves every bar at its completed value.
 *
 * The cache holds at most a budget of bytes, least recently used out first. Most outputs of a
 * grid are used by one combination only (a CrossOver of SMA(fast) and SMA(slow)): kept forever
 * they held hundreds of megabytes per worker, and each new one was fresh memory whose page
 * faults the worker threads take one at a time. An entry dropped once no run reads it any more
 * gives its columns to the next output of the same length, so a sweep runs in the same memory
 * throughout.
 * @internal
 */
const ids = new WeakMap<Float64Array, number>();
let nextId = 1;

interface Entry {
  outputs: Float64Array[];
  bytes: number;
  /** The run that last read it (see {@link endIndicatorRun}). */
  run: number;
}

/** Least recently used first (a Map iterates in insertion order; a read moves an entry last). */
let cache: Map<string, Entry> | null = null;
let held = 0;
let budget = 0;
let run = 0;
/** Columns of dropped entries, for the next outputs. */
let spare: Float64Array[] = [];
/** Spare columns kept at most: more is memory held for nothing. */
const MAX_SPARE = 16;

/** Bytes of outputs a sweep worker keeps by default. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/** Turns the cache on (a fresh one, holding at most `budgetBytes`) or off. */
export function useIndicatorCache(on: boolean, budgetBytes = DEFAULT_CACHE_BYTES): void {
  cache = on ? new Map() : null;
  held = 0;
  budget = budgetBytes;
  spare = [];
}

/**
 * Marks the end of a run: outputs it read are read again only through the cache, so an entry
 * not read since may be dropped and its columns reused.
 */
export function endIndicatorRun(): void {
  run++;
}

function idOf(a: Float64Array): number {
  let id = ids.get(a);
  if (id === undefined) {
    id = nextId++;
    ids.set(a, id);
  }
  return id;
}

/** A column of `n` values for an output that will write every one of them. */
function column(n: number): Float64Array {
  const k = spare.findIndex((c) => c.length === n);
  return k >= 0 ? spare.splice(k, 1)[0]! : new Float64Array(n);
}

function fresh(n: number): Float64Array {
  return new Float64Array(n);
}

/** Drops least recently used entries of earlier runs until the cache is within its budget. */
function shrink(): void {
  for (const [key, entry] of cache!) {
    if (held <= budget || entry.run === run) return; // the rest were read by this run
    cache!.delete(key);
    held -= entry.bytes;
    for (const c of entry.outputs) {
      // A reused column is another output: it must not keep the identity that keys of
      // indicators over its old values were made with.
      ids.delete(c);
      if (spare.length < MAX_SPARE) spare.push(c);
    }
  }
}

/**
 * The cached outputs of `name(params)` over `inputs`, computing them with `compute` once.
 * `compute` gets its output columns from `alloc`, and must write every value of them (a
 * column may be one a dropped entry held).
 */
export function cachedOutputs(
  name: string,
  params: unknown,
  inputs: readonly Float64Array[],
  compute: (alloc: (n: number) => Float64Array) => Float64Array[],
): Float64Array[] {
  if (!cache) return compute(fresh);
  const key = `${name}|${JSON.stringify(params ?? {})}|${inputs.map(idOf).join(',')}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    hit.run = run;
    return hit.outputs;
  }
  const outputs = compute(column);
  const bytes = outputs.reduce((s, c) => s + c.byteLength, 0);
  cache.set(key, { outputs, bytes, run });
  held += bytes;
  if (held > budget) shrink();
  return outputs;
}
