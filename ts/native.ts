/**
 * Loads the compiled addon through the loader that `napi build` generates. Kept in one place so
 * every other module imports typed bindings from here.
 * @internal
 */
import { createRequire } from 'node:module';
import type * as Binding from '../bindings/index.cjs';

const requireNative = createRequire(import.meta.url);

/** The N-API addon. */
export const native: typeof Binding = requireNative('../bindings/index.cjs');
