/**
 * ccxt is an optional peer dependency: loaded on first use, with an error that names the package
 * when it is not installed.
 */
import { VenueError } from '../../errors.js';

/** The parts of the ccxt module this adapter uses (kept loose: ccxt's own types are large). */
export type CcxtModule = Record<string, unknown> & { exchanges: string[] };

let loaded: Promise<CcxtModule> | undefined;

/** Imports `ccxt` once. */
export function loadCcxt(): Promise<CcxtModule> {
  loaded ??= import('ccxt').then(
    (m) => ((m as { default?: CcxtModule }).default ?? (m as unknown as CcxtModule)),
    (err: unknown) => {
      loaded = undefined;
      throw new VenueError('VENUE_DRIVER_MISSING', `the ccxt adapter needs the 'ccxt' package: npm install ccxt (${(err as Error).message})`);
    },
  );
  return loaded;
}
