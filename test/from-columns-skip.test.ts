/** `feeds.fromColumns` with `skipMalformed`: invalid rows skipped and counted, as the file readers do. */
import { describe, expect, it } from 'vitest';

import { DataError, ParamError, feeds } from '../ts/index.js';

const DAY = 86_400_000;

describe('fromColumns skipMalformed', () => {
  const input = {
    datetime: [0, DAY, NaN, 3 * DAY, 4 * DAY, 5 * DAY],
    open: [10, 10, 10, 10, 500, 10],
    high: [11, 11, 11, 11, 11, 11],
    low: [9, 9, 9, 9, 9, 9],
    close: [10, NaN, 10, 10, 10, 10.5],
    volume: [1, 1, 1, -5, 1, 1],
  };

  it('refuses the first invalid row without it', () => {
    expect(() => feeds.fromColumns(input)).toThrow(DataError);
  });

  it('skips and counts rows with a NaN timestamp or a bar that fails the checks', () => {
    const data = feeds.fromColumns(input, { skipMalformed: true, name: 'mine' });
    expect(data.name).toBe('mine');
    expect(data.size).toBe(2);
    expect(Array.from(data.columns.datetime)).toEqual([0, 5 * DAY]);
    expect(Array.from(data.columns.close)).toEqual([10, 10.5]);
    expect(data.skipped).toBe(4);
    expect(data.skippedExamples.map((s) => s.line)).toEqual([1, 2, 3, 4]);
    expect(data.skippedExamples[0]!.reason).toMatch(/close is NaN/);
    expect(data.skippedExamples[1]!.reason).toMatch(/NaN, and every bar needs a timestamp/);
    expect(data.skippedExamples[2]!.reason).toMatch(/volume is -5/);
    expect(data.skippedExamples[3]!.reason).toMatch(/open 500 is above high 11/);
  });

  it('with checkBars: false skips only what no run can use (a NaN timestamp)', () => {
    const data = feeds.fromColumns(input, { skipMalformed: true, checkBars: false });
    expect([data.size, data.skipped]).toEqual([5, 1]);
  });

  it('still refuses time going backwards and columns of unequal length', () => {
    expect(() => feeds.fromColumns({ ...input, datetime: [0, DAY, 3 * DAY, 3 * DAY, 4 * DAY, 2 * DAY] }, { skipMalformed: true })).toThrow(/row 5: timestamp .* goes backwards/);
    expect(() => feeds.fromColumns({ ...input, close: [10] }, { skipMalformed: true })).toThrow(DataError);
    expect(() => feeds.fromColumns(input, { skipMalformed: 'yes' as never })).toThrow(ParamError);
  });
});
