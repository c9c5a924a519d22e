import { native } from '../native.js';
import { callNative, DataError } from '../errors.js';
import { DataFeed, type OhlcvColumns } from './datafeed.js';
import { applyZones, clip, type FeedOptions } from './load.js';

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

function toF64(col: NumericColumn | readonly Date[], name: string): Float64Array {
  if (col instanceof Float64Array) return col;
  if (!Array.isArray(col)) throw new DataError('DATA', `column '${name}' must be a Float64Array or an array of numbers`);
  return Float64Array.from(col as readonly (number | Date)[], (v) => (v instanceof Date ? v.getTime() : Number(v)));
}

/**
 * A feed over columns already in memory. Float64Arrays are used as they are (not copied).
 * Lengths must match and time must not go backwards.
 */
export function fromColumns(input: ColumnsInput, options: FeedOptions = {}): DataFeed {
  const n = input.close?.length ?? 0;
  const columns: OhlcvColumns = {
    datetime: toF64(input.datetime, 'datetime'),
    open: toF64(input.open, 'open'),
    high: toF64(input.high, 'high'),
    low: toF64(input.low, 'low'),
    close: toF64(input.close, 'close'),
    volume: input.volume ? toF64(input.volume, 'volume') : new Float64Array(n),
    openinterest: input.openinterest ? toF64(input.openinterest, 'openinterest') : new Float64Array(n),
  };
  const name = options.name ?? 'columns';
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
    ),
  );
  const zoned = applyZones(columns, options);
  return new DataFeed(name, clip(zoned.columns, options), 0, [], zoned.meta);
}
