/**
 * mulberry32: a small, well-known deterministic 32-bit generator, uniform in [0, 1). Everything
 * seeded in ferrotrade (synthetic markets, sampled sweeps, generated order books, the fuzz tests)
 * draws from it, so a seed gives the same numbers everywhere.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
