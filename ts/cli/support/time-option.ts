/** Times on the command line: `2024-01-31`, `2024-01-31T14:30`, `2024-01-31T14:30:00Z` (UTC unless a zone is given). */
import { InvalidArgumentError } from 'commander';

/** Parses a date or date-time option to UTC milliseconds, or a usage error naming the flag. */
export function timeOption(flag: string) {
  return (value: string): number => {
    const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`;
    const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(text) : NaN;
    if (Number.isNaN(ms)) throw new InvalidArgumentError(`${flag} takes a date (2024-01-31) or a UTC time (2024-01-31T14:30), got '${value}'.`);
    return ms;
  };
}

/** A UTC time for a table: the date alone at midnight, else date and time. */
export function isoTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}
