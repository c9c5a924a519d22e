/**
 * Quiet hours: a daily span (e.g. 22:00–07:00 in the trader's zone) during which notifications
 * below a level are held, then sent when it ends.
 */
import type { EventLevel } from '../events/index.js';
import { EVENT_LEVELS } from '../events/index.js';
import { NotifyConfigError } from '../errors.js';

/** A daily quiet span. */
export interface QuietHoursOptions {
  /** Start, `HH:MM` on the zone's wall clock. */
  start: string;
  /** End, `HH:MM`; before `start` means it ends the next day. */
  end: string;
  /** IANA zone of `start` and `end` (default UTC). */
  timeZone?: string;
  /** Lowest level still sent during quiet hours (default CRITICAL). */
  minLevel?: EventLevel;
}

function minutesOf(hhmm: string, what: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(String(hhmm));
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) throw new NotifyConfigError(`quietHours.${what} must be HH:MM (00:00–23:59), got '${hhmm}'`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export class QuietHours {
  readonly minLevel: EventLevel;
  private readonly start: number;
  private readonly end: number;
  private readonly format: Intl.DateTimeFormat;

  constructor(options: QuietHoursOptions) {
    this.start = minutesOf(options.start, 'start');
    this.end = minutesOf(options.end, 'end');
    if (this.start === this.end) throw new NotifyConfigError(`quietHours: start and end are both ${options.start}; leave quietHours out for none`);
    this.minLevel = options.minLevel ?? 'CRITICAL';
    if (!EVENT_LEVELS.includes(this.minLevel)) throw new NotifyConfigError(`quietHours.minLevel must be one of ${EVENT_LEVELS.join(', ')}`);
    try {
      this.format = new Intl.DateTimeFormat('en-GB', { timeZone: options.timeZone ?? 'UTC', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    } catch {
      throw new NotifyConfigError(`quietHours.timeZone: unknown time zone '${options.timeZone}'`);
    }
  }

  /** Seconds since midnight on the zone's wall clock. */
  private secondOfDay(now: number): number {
    const parts = this.format.formatToParts(new Date(now));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
    return get('hour') * 3600 + get('minute') * 60 + get('second');
  }

  /** Whether `now` falls in the quiet span. */
  isQuiet(now: number): boolean {
    const m = Math.floor(this.secondOfDay(now) / 60);
    return this.start < this.end ? m >= this.start && m < this.end : m >= this.start || m < this.end;
  }

  /** Milliseconds from `now` until the quiet span ends (0 when not quiet). */
  remainingMs(now: number): number {
    if (!this.isQuiet(now)) return 0;
    const s = this.secondOfDay(now);
    return (((this.end * 60 - s) % 86_400) + 86_400) % 86_400 * 1000 || 1000;
  }
}
