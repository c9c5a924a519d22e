import type { Indicator } from './indicator.js';

/**
 * While a strategy's `init()` runs, the indicators it creates are registered with it, so the
 * strategy's minimum period covers them (as backtrader does for indicators made in `__init__`).
 * @internal
 */
let current: Indicator[] | null = null;

/** @internal Runs `fn` collecting the indicators it creates. */
export function collectIndicators(fn: () => void): Indicator[] {
  const previous = current;
  const created: Indicator[] = [];
  current = created;
  try {
    fn();
  } finally {
    current = previous;
  }
  return created;
}

/** @internal */
export function registerIndicator(ind: Indicator): void {
  current?.push(ind);
}
