/**
 * The names closest to a misspelt one (edit distance, ignoring case), for "did you mean"
 * messages: a few likely names say more than a list of hundreds.
 */
export function closestNames(name: string, candidates: readonly string[], count = 5): string[] {
  const target = name.toLowerCase();
  const scored = [...new Set(candidates)].map((c) => {
    const lower = c.toLowerCase();
    // A name that contains the query (or the other way round) is close whatever its length.
    const contains = lower.includes(target) || target.includes(lower) ? -1 : 0;
    // A misspelt start of a long name ('Bolinger' for 'BollingerBands') is close to its prefix.
    const prefix = distance(target, lower.slice(0, target.length)) + 0.5;
    return { c, d: Math.min(distance(target, lower), prefix) + contains };
  });
  scored.sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return scored.slice(0, count).map((s) => s.c);
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
