/** The per-bar column pool of sweeps: reuse only when on, and only columns of the right length. */
import { afterEach, describe, expect, it } from 'vitest';
import { giveBack, takeColumn, useColumnPool } from '../ts/engine/column-pool.js';

afterEach(() => useColumnPool(false));

describe('column pool', () => {
  it('hands a given-back column to the next run of a sweep', () => {
    useColumnPool(true);
    const a = takeColumn(100);
    giveBack(a);
    expect(takeColumn(50)).not.toBe(a);
    expect(takeColumn(100)).toBe(a);
    expect(takeColumn(100)).not.toBe(a);
  });

  it('keeps nothing outside sweeps, where a run\'s columns belong to its result', () => {
    const a = takeColumn(10);
    giveBack(a);
    expect(takeColumn(10)).not.toBe(a);
  });

  it('does not hold the same column twice', () => {
    useColumnPool(true);
    const a = takeColumn(10);
    giveBack(a, a);
    expect(takeColumn(10)).toBe(a);
    expect(takeColumn(10)).not.toBe(a);
  });
});
