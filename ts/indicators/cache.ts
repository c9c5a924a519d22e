/**
 * An optional cache of indicator outputs, shared by the runs of a sweep: SMA(20) over the same
 * close column is computed once per worker, not once per parameter combination. Off outside
 * sweeps. Outputs are shared, so they must not be changed; a replayed run rewrites the current
 * bar while it is built and leaves every bar at its completed value.
 * @internal
 */
const ids = new WeakMap<Float64Array, number>();
let nextId = 1;
let cache: Map<string, Float64Array[]> | null = null;

/** Turns the cache on (a fresh one) or off. */
export function useIndicatorCache(on: boolean): void {
  cache = on ? new Map() : null;
}

function idOf(a: Float64Array): number {
  let id = ids.get(a);
  if (id === undefined) {
    id = nextId++;
    ids.set(a, id);
  }
  return id;
}

/** The cached outputs of `name(params)` over `inputs`, computing them with `compute` once. */
export function cachedOutputs(
  name: string,
  params: unknown,
  inputs: readonly Float64Array[],
  compute: () => Float64Array[],
): Float64Array[] {
  if (!cache) return compute();
  const key = `${name}|${JSON.stringify(params ?? {})}|${inputs.map(idOf).join(',')}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = compute();
    cache.set(key, hit);
  }
  return hit;
}
