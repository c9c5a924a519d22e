import { DataError } from '../../errors.js';
import { DataFeed } from '../datafeed.js';
import type { DataFilter } from './filter.js';

/**
 * `data` with `filters` applied in order — the same as `data.addFilter(...filters)`, as a
 * function. Returns a new feed; `data` is unchanged.
 */
export function applyFilters(data: DataFeed, ...filters: DataFilter[]): DataFeed {
  if (!(data instanceof DataFeed)) throw new DataError('DATA', 'applyFilters takes a DataFeed as its first argument');
  return data.addFilter(...filters);
}
