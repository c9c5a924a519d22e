import type { Cursor } from '../lines/clock.js';
import { Line } from '../lines/line.js';
import { inferFrame, isMultiple, type BarFrame } from './timeframe.js';
import { checkTimezone, utcToWall, wallToUtc } from '../time/timezone.js';
import type { TradingCalendar } from '../time/calendar.js';
import { DataError } from '../errors.js';
import { checkFilter, checkFiltered, type DataFilter } from './filters/filter.js';

/** Columns of bars; `volume` and `openinterest` may be left out (read as 0). */
export interface OhlcvColumns {
  /** Milliseconds since 1970-01-01 in the data's own time (a daily bar is midnight of its day). */
  datetime: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  openinterest: Float64Array;
}

/** A row that a reader left out, and why (nothing is dropped without being counted). */
export interface SkippedRow {
  line: number;
  reason: string;
}

/** What a feed knows about its time beyond the timestamps. */
export interface FeedMeta {
  /** Time frame and compression of the bars (inferred when absent). */
  frame?: BarFrame;
  /** IANA timezone whose wall clock the timestamps hold. */
  tz?: string;
  /** Trading calendar of the data (sessions for resampling, timers and the scheduler). */
  calendar?: TradingCalendar;
}

/** The datetime line, with helpers to read it as a date. */
export class DateTimeLine extends Line {
  /** @internal the feed's timezone. */
  tz: string | undefined;

  /** The bar's instant (ms since 1970-01-01 UTC), from the data's zone (UTC when it has none). */
  utc(ago = 0): number {
    const t = this.get(ago);
    return this.tz ? wallToUtc(t, this.tz) : t;
  }

  /**
   * The bar's time on the wall clock of `tz`, as `YYYY-MM-DDTHH:MM:SS`, for reports in another
   * zone than the data's. @throws TimezoneError for an unknown zone.
   */
  isoIn(tz: string, ago = 0): string {
    return new Date(utcToWall(this.utc(ago), checkTimezone(tz))).toISOString().slice(0, 19);
  }

  /** The bar's time as a `Date` (UTC fields hold the data's own wall-clock time). */
  date(ago = 0): Date {
    return new Date(this.get(ago));
  }

  /** `YYYY-MM-DD` of the bar (or `YYYY-MM-DDTHH:MM:SS` with `withTime`). */
  iso(ago = 0, withTime = false): string {
    const text = new Date(this.get(ago)).toISOString();
    return withTime ? text.slice(0, 19) : text.slice(0, 10);
  }
}

/**
 * A data feed: bars in columns, read through lines (`data.close.get(0)`, `data.close.get(-1)`).
 * Create one with the functions in `feeds` (`feeds.backtraderCsv`, `feeds.fromColumns`, ...).
 */
export class DataFeed {
  /** Name used in reports and `getDataByName`. */
  readonly name: string;
  readonly columns: OhlcvColumns;
  /** Rows the reader skipped (opt-in for malformed rows; Yahoo's `null` rows always). */
  readonly skipped: number;
  readonly skippedExamples: readonly SkippedRow[];
  /**
   * IANA timezone of the data (feed option `tz`): timestamps are wall-clock time there.
   * `undefined` means naive time, treated as UTC where zones meet.
   */
  readonly tz: string | undefined;
  /** Trading calendar of the data (feed option `calendar`), or `undefined`. */
  readonly calendar: TradingCalendar | undefined;
  /** @internal the bar index every line of this data reads at. */
  readonly cursor: Cursor = { i: -1 };

  readonly datetime: DateTimeLine;
  readonly open: Line;
  readonly high: Line;
  readonly low: Line;
  readonly close: Line;
  readonly volume: Line;
  readonly openinterest: Line;

  constructor(
    name: string,
    columns: OhlcvColumns,
    skipped = 0,
    skippedExamples: readonly SkippedRow[] = [],
    meta: FeedMeta = {},
  ) {
    this.name = name;
    this.declaredFrame = meta.frame;
    this.tz = meta.tz;
    this.calendar = meta.calendar;
    this.columns = columns;
    this.skipped = skipped;
    this.skippedExamples = skippedExamples;
    this.datetime = new DateTimeLine(columns.datetime, this.cursor, 1, 'datetime');
    this.datetime.tz = meta.tz;
    this.open = new Line(columns.open, this.cursor, 1, 'open');
    this.high = new Line(columns.high, this.cursor, 1, 'high');
    this.low = new Line(columns.low, this.cursor, 1, 'low');
    this.close = new Line(columns.close, this.cursor, 1, 'close');
    this.volume = new Line(columns.volume, this.cursor, 1, 'volume');
    this.openinterest = new Line(columns.openinterest, this.cursor, 1, 'openinterest');
  }

  /**
   * Milliseconds from a bar's timestamp to the end of its session. Daily bars (every timestamp
   * at midnight) end at 23:59:59.999 of their day, as backtrader stamps them; other bars end at
   * their timestamp. Order expiry and Close orders compare these session-end times.
   */
  get sessionEnd(): number {
    if (this.sessionEndMs === undefined) {
      const dt = this.columns.datetime;
      let daily = dt.length > 0;
      for (let i = 0; i < dt.length && daily; i++) daily = isMultiple(dt[i]!, 86_400_000);
      this.sessionEndMs = daily ? 86_400_000 - 1 : 0;
    }
    return this.sessionEndMs;
  }
  private sessionEndMs: number | undefined;

  /**
   * Time frame and compression of the bars: as declared (feed option `timeframe`, or set by
   * resampling), else inferred from the timestamps (see `inferFrame`).
   */
  get frame(): BarFrame {
    return (this.declaredFrame ??= inferFrame(this.columns.datetime));
  }
  private declaredFrame: BarFrame | undefined;

  /** Total number of bars in the feed. */
  get size(): number {
    return this.columns.close.length;
  }

  /** Bars seen so far in a run (backtrader's `len(data)`). */
  get length(): number {
    return this.cursor.i + 1;
  }

  /**
   * A feed over the same columns (shared, not copied) with its own cursor (backtrader's
   * `data.clone()`): the way to use one data twice in a run — added twice, or added and also
   * given to something that must read it separately — since `cerebro.addData` refuses the
   * same feed twice. The clone keeps the time frame, zone and calendar; `name` defaults to
   * this feed's (give another to tell them apart in `getDataByName` and reports).
   *
   * ```ts
   * cerebro.addData(data);
   * cerebro.addData(data.clone({ name: 'hedge' }));   // own positions, orders and cursor
   * ```
   */
  clone(options: { name?: string } = {}): DataFeed {
    this.checkBars('clone');
    return new DataFeed(options.name ?? this.name, this.columns, this.skipped, this.skippedExamples, this.feedMeta());
  }

  /**
   * This data with filters applied in order (backtrader's `data.addfilter`), as a **new feed**:
   * feeds are immutable, so use what it returns. It keeps the name, time frame, zone and
   * calendar.
   *
   * ```ts
   * const bricks = cerebro.addData(data.addFilter(filters.renko({ size: 10 })));
   * const regular = m1.addFilter(filters.sessionFilter({ sessionStart: '09:30', sessionEnd: '16:00' }), filters.heikinAshi());
   * ```
   * @throws ParamError for something that is not a filter; DataError for a filter's output
   * that is not valid columns.
   */
  addFilter(...filters: DataFilter[]): DataFeed {
    this.checkBars('addFilter');
    if (filters.length === 0) return this.clone();
    let out: DataFeed = this;
    for (const f of filters.map(checkFilter)) {
      out = new DataFeed(this.name, checkFiltered(f, this.name, f.filter(out)), this.skipped, this.skippedExamples, this.feedMeta());
    }
    return out;
  }

  /** @internal What a feed derived from this one keeps: frame, zone, calendar. */
  feedMeta(): FeedMeta {
    return { frame: this.frame, tz: this.tz, calendar: this.calendar };
  }

  /** Clones and filters make plain bar feeds; a subclass (Level2) would lose what it adds. */
  private checkBars(what: string): void {
    if (this.constructor !== DataFeed) {
      throw new DataError('DATA', `${what} works on bar feeds; '${this.name}' is a ${this.constructor.name}: ${this.derivedHint(what)}`);
    }
  }

  /** @internal What to do instead of `clone`/`addFilter` on a feed that is more than bars. */
  protected derivedHint(_what: string): string {
    return 'it works on feeds of bars (feeds.backtraderCsv, feeds.fromColumns, ...)';
  }

  /** @internal the columns the broker fills orders against (a replayed data's source rows). */
  get brokerColumns(): OhlcvColumns {
    return this.columns;
  }

  /** @internal the row of `brokerColumns` the run is on. */
  brokerBar(): number {
    return this.cursor.i;
  }

  /** @internal `sessionEnd` of `brokerColumns`. */
  get brokerSessionEnd(): number {
    return this.sessionEnd;
  }
}
