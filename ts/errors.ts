/**
 * Typed errors. Every error ferrotrade throws is a {@link FerroError} with a stable `code`, and a
 * message that says what to change.
 */

/** Base class of every ferrotrade error. */
export class FerroError extends Error {
  /** Stable machine-readable code, e.g. `DATA_PARSE`, `INVALID_PARAM`. */
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Data that cannot be used as given (missing columns, unreadable file, wrong shape). */
export class DataError extends FerroError {}

/** A CSV field that could not be read. */
export class DataParseError extends DataError {
  constructor(
    message: string,
    /** The file (or the name given to in-memory text). */
    readonly file: string,
    /** 1-based line number, as an editor shows it. */
    readonly line: number,
    /** 1-based column number. */
    readonly column: number,
    /** Header name of the column, or `field N` without a header. */
    readonly columnName: string,
  ) {
    super('DATA_PARSE', message);
  }
}

/** A timestamp earlier than the one before it. */
export class TimeBackwardsError extends DataError {
  constructor(
    message: string,
    readonly file: string,
    /** `line N` for files, `row N` for in-memory columns. */
    readonly location: string,
  ) {
    super('DATA_TIME_BACKWARDS', message);
  }
}

/** An invalid parameter: unknown name, out of range, wrong type. */
export class ParamError extends FerroError {
  constructor(message: string, code = 'INVALID_PARAM') {
    super(code, message);
  }
}

/** A timezone name that Intl does not know. */
export class TimezoneError extends ParamError {
  constructor(message: string) {
    super(message, 'UNKNOWN_TIMEZONE');
  }
}

/** A trading calendar that cannot be built as given (overlapping sessions, bad times). */
export class CalendarError extends ParamError {
  constructor(message: string) {
    super(message, 'INVALID_CALENDAR');
  }
}

/**
 * A risk configuration that cannot be used as given: `key` is the setting's path
 * (`maxOrderSize`, `instruments.AAPL.priceBandPct`, `submitRate.burst`, ...).
 */
export class RiskError extends ParamError {
  constructor(
    message: string,
    /** Path of the offending setting. */
    readonly key: string,
  ) {
    super(message, 'INVALID_RISK_CONFIG');
  }
}

/** A cron expression that croner cannot read. */
export class CronError extends ParamError {
  constructor(message: string) {
    super(message, 'INVALID_CRON');
  }
}

/** An indicator name the registry does not know. */
export class UnknownIndicatorError extends FerroError {
  constructor(message: string) {
    super('UNKNOWN_INDICATOR', message);
  }
}

/** An order that cannot be placed as given. */
export class OrderError extends FerroError {
  constructor(message: string) {
    super('INVALID_ORDER', message);
  }
}

/** A dependency between orders that cannot be added (unknown order, cycle, already sent ...). */
export class DependencyError extends FerroError {
  constructor(message: string) {
    super('DEPENDENCY', message);
  }
}

/**
 * An order book delta or snapshot refused by the integrity checks: `seq` is the sequence number
 * that carried it, `kind` one of `gap`, `out_of_order`, `bad_price`, `bad_size`, `crossed`.
 */
export class BookError extends FerroError {
  constructor(message: string, readonly seq: number, readonly kind: string) {
    super('BOOK_INTEGRITY', message);
  }
}

/**
 * A feature whose optional peer dependency is not installed (`bullmq` and `ioredis` for
 * distributed sweeps, `pg` and `mysql2` for the database stores). A backtest
 * installs none of them; the message names the package and the command that installs it.
 */
export class MissingPeerError extends FerroError {
  constructor(
    /** The npm package to install. */
    readonly packageName: string,
    /** What needed it, e.g. `distributed sweeps`. */
    readonly feature: string,
  ) {
    super(
      'MISSING_PEER_DEPENDENCY',
      `${feature} need the package '${packageName}', which is not installed. Install it beside ferrotrade: npm install ${packageName}`,
    );
  }
}

/**
 * The compiled addon could not be loaded: no prebuilt binary for this platform is installed
 * (the platform package was left out, or the platform has none) and none was built from source.
 */
export class NativeBindingError extends FerroError {
  constructor(
    message: string,
    /** `process.platform-process.arch`, with `-gnu`/`-musl` on Linux. */
    readonly platform: string,
    /** The platform package looked for, e.g. `@ferrotrade/binding-linux-x64-gnu`. */
    readonly packageName: string | undefined,
  ) {
    super('NATIVE_BINDING', message);
  }
}

/**
 * A store that cannot do what was asked: `STORE_OPEN` (bad or unreachable URL / file),
 * `STORE_SCHEMA_NEWER` (written by a newer ferrotrade), `STORE_SQL` (a statement failed),
 * `STORE_BUFFER_FULL` (writes buffered while the server was down exceeded the bound),
 * `STORE_CLOSED`, `STORE_DRIVER_MISSING` (install the named package), `STORE_UNSUPPORTED`.
 * Messages never carry a password: URLs in them are redacted.
 */
export class StoreError extends FerroError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/**
 * A sweep's worker threads could not do what was asked (not the strategy's own error, which
 * becomes its combination's row): `SWEEP_WORKER_EXIT` (the thread died during the combination),
 * `SWEEP_TIME_LIMIT` (the combination ran past `timeLimitMs`), `SWEEP_WORKER_START` (no thread
 * could be started, or none is left), `SWEEP_POOL_CLOSED` (the pool was closed).
 */
export class SweepWorkerError extends FerroError {
  constructor(code: 'SWEEP_WORKER_EXIT' | 'SWEEP_TIME_LIMIT' | 'SWEEP_WORKER_START' | 'SWEEP_POOL_CLOSED', message: string) {
    super(code, message);
  }
}

/**
 * A call the engine cannot take in its current state: `run()` again from inside a run (from
 * `next()`, a timer or an analyzer), or changing the cerebro's datas, strategies or analyzers
 * while it runs. Code `RUN_IN_PROGRESS`.
 */
export class RunStateError extends FerroError {
  constructor(message: string, code = 'RUN_IN_PROGRESS') {
    super(code, message);
  }
}

/**
 * A server the call needs does not answer: Redis refused the connection, or did not answer
 * within the connect timeout. The message names the address. Code `CONNECTION`.
 */
export class ConnectionError extends FerroError {
  constructor(message: string, readonly address: string) {
    super('CONNECTION', message);
  }
}

/** A call stopped by its `AbortSignal`. Code `ABORTED`. */
export class AbortedError extends FerroError {
  constructor(message: string) {
    super('ABORTED', message);
  }
}

interface NativeErrorBody {
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  columnName?: string;
  location?: string;
  seq?: number;
  kind?: string;
}

/** Turns an error thrown by the addon (a JSON body) into the matching typed error. */
export function fromNative(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  let body: NativeErrorBody;
  try {
    body = JSON.parse(err.message) as NativeErrorBody;
  } catch {
    // napi-rs's own argument conversion ("Failed to convert JavaScript value ...") reached the
    // addon with a wrong type: a parameter error, as the TypeScript checks would have said.
    if (/^Failed to convert|Expected|expected/.test(err.message)) {
      return new ParamError(`an argument has the wrong type (${err.message}); check the types the documentation gives`, 'INVALID_ARGUMENT');
    }
    return err;
  }
  if (typeof body?.code !== 'string') return err;
  switch (body.code) {
    case 'DATA_PARSE':
      return new DataParseError(body.message, body.file ?? '', body.line ?? 0, body.column ?? 0, body.columnName ?? '');
    case 'DATA_TIME_BACKWARDS':
      return new TimeBackwardsError(body.message, body.file ?? '', body.location ?? '');
    case 'DATA':
      return new DataError('DATA', body.message);
    case 'INVALID_PARAM':
      return new ParamError(body.message);
    case 'UNKNOWN_INDICATOR':
      return new UnknownIndicatorError(body.message);
    case 'INVALID_ORDER':
      return new OrderError(body.message);
    case 'DEPENDENCY':
      return new DependencyError(body.message);
    case 'BOOK_INTEGRITY':
      return new BookError(body.message, body.seq ?? -1, body.kind ?? '');
    default:
      if (body.code.startsWith('STORE_')) return new StoreError(body.code, body.message);
      return new FerroError(body.code, body.message);
  }
}

/** Calls into the addon and rethrows its errors as typed errors. */
export function callNative<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw fromNative(err);
  }
}

/** A live or paper run cannot go on as asked (a second run at once, a halted session, a failed source). */
export class LiveError extends FerroError {
  constructor(message: string, code = 'LIVE') {
    super(code, message);
  }
}

/**
 * A venue refused or failed a request (not connected, unknown order, timeout), or cannot be used
 * (`VENUE_DRIVER_MISSING`: install the named package; `VENUE_RATE_LIMITED`: the venue kept
 * answering "too many requests" after the retries; `VENUE_BAD_RESPONSE`: an answer of the wrong shape).
 */
export class VenueError extends FerroError {
  constructor(
    code: 'VENUE_DISCONNECTED' | 'VENUE_UNKNOWN_ORDER' | 'VENUE_TIMEOUT' | 'VENUE_REJECTED' | 'VENUE_UNSUPPORTED' | 'VENUE_DRIVER_MISSING' | 'VENUE_RATE_LIMITED' | 'VENUE_BAD_RESPONSE',
    message: string,
  ) {
    super(code, message);
  }
}

/** An optional peer dependency that is not installed: the message names the package to install. */
export class MissingDependencyError extends FerroError {
  constructor(readonly packageName: string, feature: string) {
    super('MISSING_DEPENDENCY', `${feature} needs the '${packageName}' package: npm install ${packageName}`);
  }
}

/** A notifier or channel configured wrongly (missing token, bad level, unknown event type, ...). */
export class NotifyConfigError extends ParamError {
  constructor(message: string) {
    super(message, 'NOTIFY_CONFIG');
  }
}

/**
 * A notification a channel could not deliver. `transient` failures (timeouts, refused
 * connections, HTTP 5xx and 429) are retried with backoff; permanent ones (HTTP 400/401/403, a
 * provider's refusal) are not. The message never contains a secret (tokens, passwords, webhook
 * keys are replaced by `***`).
 */
export class NotifySendError extends FerroError {
  constructor(
    message: string,
    /** The channel's name. */
    readonly channel: string,
    /** Worth another attempt. */
    readonly transient: boolean,
    /** HTTP status or SMTP response code, when there was one. */
    readonly status?: number,
    /** How long the provider asked to wait before the next attempt (429 `Retry-After`). */
    readonly retryAfterMs?: number,
  ) {
    super('NOTIFY_SEND', message);
  }
}

/**
 * An instrument definition that cannot be used: a missing or bad field, in code or in an
 * instruments file. `file` and `line` say where (`line` 0 for definitions made in code).
 */
export class InstrumentError extends ParamError {
  constructor(
    message: string,
    /** The file, or `''` for a definition made in code. */
    readonly file: string,
    /** 1-based line of the row (CSV) or of the entry (JSON); 0 when unknown. */
    readonly line: number,
    /** The field at fault, e.g. `tickSize`. */
    readonly field: string,
  ) {
    super(message, 'INVALID_INSTRUMENT');
  }
}

/** An order that breaks its instrument's tick or lot size (raised when rules say 'error'). */
export class InstrumentRuleError extends FerroError {
  constructor(message: string, readonly symbol: string, readonly rule: 'tick' | 'lot') {
    super('INSTRUMENT_RULE', message);
  }
}

/** A configuration file (`ferrotrade run <config.json>`) that is not valid: names the file and the key to change. */
export class ConfigError extends ParamError {
  constructor(
    message: string,
    /** The file. */
    readonly file: string,
    /** Dotted path of the bad key, e.g. `live.source` (empty for the whole file). */
    readonly key: string,
  ) {
    super(message, 'CONFIG_INVALID');
  }
}
