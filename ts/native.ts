/**
 * Loads the compiled addon through the loader that `napi build` generates. Kept in one place so
 * every other module imports typed bindings from here.
 * @internal
 */
import { createRequire } from 'node:module';
import type * as Binding from '../bindings/index.cjs';
import { nativeBindingError } from './native-platform.js';

const requireNative = createRequire(import.meta.url);

function load(): typeof Binding {
  try {
    return requireNative('../bindings/index.cjs') as typeof Binding;
  } catch (err) {
    // The generated loader's own message blames npm; say instead which package is missing here.
    throw nativeBindingError(err, (pkg) => {
      try {
        requireNative.resolve(`${pkg}/package.json`, { paths: [requireNative.resolve('../bindings/index.cjs')] });
        return true;
      } catch {
        return false;
      }
    });
  }
}

/** The N-API addon. */
export const native: typeof Binding = load();
