/**
 * Database drivers are optional peer dependencies, loaded the first time a URL needs them, so
 * a user installs only the one they use.
 * @internal
 */
import { StoreError } from '../errors.js';

/** Imports `name`, or says which package to install. */
export async function loadDriver<T>(name: string, what: string): Promise<T> {
  try {
    const mod = (await import(name)) as { default?: T } & T;
    return (mod.default ?? mod) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new StoreError('STORE_DRIVER_MISSING', `${what} needs the '${name}' package: npm install ${name}`);
    }
    throw err;
  }
}
