import { native } from '../native.js';
import { callNative, DataError, ParamError } from '../errors.js';
import { DataFeed, type OhlcvColumns } from './datafeed.js';
import { applyZones, clip, type FeedOptions } from './load.js';
import { describeValue, ownedColumn, zeroColumn } from './owned-column.js';

type NumericColumn = Float64Array | readonly number[];

/** Columns given in memory. `datetime` may be epoch milliseconds or `Date`s. */
export interface ColumnsInput {
  datetime: NumericColumn | readonly Date[];
  open: NumericColumn;
  high: NumericColumn;
  low: NumericColumn;
  close: NumericColumn;
  volume?: NumericColumn;
  openinterest?: NumericColumn;
}

/** Options of {@link fromColumns}: the common feed options and `skipMalformed`. */
export interface ColumnsOptions extends FeedOptions {
  /**
   * Skip rows with a NaN timestamp or a bar that fails the bar checks, and count them in
   * `data.skipped` / `data.skippedExamples` (whose `line` is the 0-based row), instead of
   * failing on the first.
   */
  skipMalformed?: boolean;
}

/**
 * A feed over columns already in memory. The columns are copied (a million bars take a few
 * milliseconds): the feed owns its bars, so nothing the caller does to its arrays afterwards
 * reaches a run (columns on a fixed-size `SharedArrayBuffer` are shared, not copied: they can be
 * neither detached nor shrunk). Lengths must match, time must not go backwards, and bars are validated as the
 * file readers do (see docs/data-feeds.md).
 *
 * @throws DataError (`DATA_BUFFER`) for a column over a resizable or detached buffer; DataError
 *   for input that is not columns.
 */
export function fromColumns(input: ColumnsInput, options: ColumnsOptions = {}): DataFeed {
  if (input === null || typeof input !== 'object') {
    throw new DataError('DATA', `fromColumns takes an object of columns { datetime, open, high, low, close, volume?, openinterest? }, got ${describeValue(input)}`);
  }
  const n = input.close?.length ?? 0;
  const columns: OhlcvColumns = {
    datetime: ownedColumn(input.datetime, 'datetime'),
    open: ownedColumn(input.open, 'open'),
    high: ownedColumn(input.high, 'high'),
    low: ownedColumn(input.low, 'low'),
    close: ownedColumn(input.close, 'close'),
    volume: input.volume ? ownedColumn(input.volume, 'volume') : zeroColumn(n),
    openinterest: input.openinterest ? ownedColumn(input.openinterest, 'openinterest') : zeroColumn(n),
  };
  const name = options.name ?? 'columns';
  if (options.skipMalformed !== undefined && typeof options.skipMalformed !== 'boolean') throw new ParamError('skipMalformed must be true or false');
  if (options.skipMalformed === true) {
    const c = columns;
    const { skipped, skippedExamples, zoned: _zoned, datetimeColumn: _dt, ...kept } = callNative(() =>
      native.checkColumnsSkipping(name, c.datetime, c.open, c.high, c.low, c.close, c.volume, c.openinterest, options.checkBars !== false),
    );
    const zonedKept = applyZones(kept, options);
    return new DataFeed(name, clip(zonedKept.columns, options), skipped, skippedExamples, zonedKept.meta);
  }
  callNative(() =>
    native.validateColumns(
      name,
      columns.datetime,
      columns.open,
      columns.high,
      columns.low,
      columns.close,
      columns.volume,
      columns.openinterest,
      options.checkBars !== false,
    ),
  );
  const zoned = applyZones(columns, options);
  return new DataFeed(name, clip(zoned.columns, options), 0, [], zoned.meta);
}
