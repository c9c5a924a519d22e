/** Loads a strategy (or algo) class from a user's module: `file.ts`, `file.js#ExportName`. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { Algo } from '../../algo/algo.js';
import { DataError } from '../../errors.js';
import { Strategy } from '../../engine/strategy.js';
import { CliUsageError } from '../exit-codes.js';

/** A loaded class, its module and export name (sweep workers import it the same way). */
export interface LoadedStrategy {
  cls: (new () => Strategy) | (new () => Algo);
  isAlgo: boolean;
  module: string;
  exportName: string;
}

/**
 * Imports `spec` (`path[#Export]`). Without `#Export`: the default export, else the only
 * exported Strategy or Algo subclass.
 */
export async function loadStrategy(spec: string): Promise<LoadedStrategy> {
  const [path, wanted] = spec.split('#') as [string, string | undefined];
  const file = resolve(path);
  if (!existsSync(file)) throw new DataError('DATA', `strategy module ${path} does not exist`);
  const url = pathToFileURL(file).href;
  const mod = (await import(url)) as Record<string, unknown>;
  const isClass = (v: unknown): v is new () => Strategy | Algo =>
    typeof v === 'function' && (v.prototype instanceof Strategy || v.prototype instanceof Algo);
  let exportName: string;
  if (wanted !== undefined) {
    if (!isClass(mod[wanted])) {
      throw new CliUsageError(`${path} has no Strategy or Algo export named '${wanted}'; exports: ${Object.keys(mod).join(', ') || 'none'}`);
    }
    exportName = wanted;
  } else if (isClass(mod.default)) {
    exportName = 'default';
  } else {
    const found = Object.keys(mod).filter((k) => isClass(mod[k]));
    if (found.length !== 1) {
      throw new CliUsageError(
        found.length === 0
          ? `${path} exports no class that extends Strategy or Algo`
          : `${path} exports several strategies (${found.join(', ')}); name one: ${path}#${found[0]}`,
      );
    }
    exportName = found[0]!;
  }
  const cls = mod[exportName] as LoadedStrategy['cls'];
  return { cls, isAlgo: cls.prototype instanceof Algo, module: url, exportName };
}
