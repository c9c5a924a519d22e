/**
 * Optional peer dependencies, loaded on first use. A backtest installs none of them; a feature
 * that needs one says which package to install instead of failing with a bare module error.
 * @internal
 */
import { createRequire } from 'node:module';

import { MissingPeerError } from './errors.js';

const requireFromHere = createRequire(import.meta.url);

/** Whether `err` says that `name` (itself, not something it imports) could not be found. */
function isMissing(err: unknown, name: string): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false;
  // "Cannot find module 'x'" (require) / "Cannot find package 'x' imported from ..." (import)
  return new RegExp(`Cannot find (module|package) '${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`).test(err.message);
}

/** `require(name)`, or a {@link MissingPeerError} naming the package when it is not installed. */
export function requirePeer<T>(name: string, feature: string): T {
  try {
    return requireFromHere(name) as T;
  } catch (err) {
    if (isMissing(err, name)) throw new MissingPeerError(name, feature);
    throw err;
  }
}

/**
 * Runs `load` (a dynamic import of a module that imports the peers); a peer that is not
 * installed becomes a {@link MissingPeerError} naming it.
 */
export async function importWithPeers<T>(load: () => Promise<T>, peers: readonly string[], feature: string): Promise<T> {
  try {
    return await load();
  } catch (err) {
    const missing = peers.find((name) => isMissing(err, name));
    if (missing) throw new MissingPeerError(missing, feature);
    throw err;
  }
}
