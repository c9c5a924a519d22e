/**
 * Optional peer dependencies (nodemailer, database drivers, ...) are loaded on first use, so a
 * user installs only what they use; a missing one is an error naming the package to install.
 */
import { MissingDependencyError } from './errors.js';

/** Imports `packageName` (its default export when it has one). @throws MissingDependencyError when it is not installed. */
export async function loadPeer<T>(packageName: string, feature: string): Promise<T> {
  let mod: { default?: T } & T;
  try {
    mod = (await import(packageName)) as { default?: T } & T;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new MissingDependencyError(packageName, feature);
    throw error;
  }
  return (mod.default ?? mod) as T;
}
