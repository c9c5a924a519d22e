/** Progress of a sweep, as given to a progress callback. */
export interface SweepProgress {
  done: number;
  total: number;
  /** Combinations per second so far. */
  perSecond: number;
  /** Estimated seconds left. */
  etaSeconds: number;
}

/**
 * Reports progress: a bar with ETA and combinations per second on a terminal, the callback
 * otherwise (or both when a callback is given on a terminal).
 * @internal
 */
export class ProgressReporter {
  private readonly start = performance.now();
  private lastDraw = 0;
  private readonly tty: boolean;
  /** Whether a bar is drawn and its line not ended. */
  private open = false;

  constructor(
    private readonly total: number,
    private readonly callback?: (p: SweepProgress) => void,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = Boolean(stream.isTTY) && process.env.CI === undefined;
  }

  update(done: number): void {
    const seconds = (performance.now() - this.start) / 1000;
    const perSecond = seconds > 0 ? done / seconds : 0;
    const p: SweepProgress = { done, total: this.total, perSecond, etaSeconds: perSecond > 0 ? (this.total - done) / perSecond : Infinity };
    this.callback?.(p);
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.lastDraw < 100 && done < this.total) return;
    this.lastDraw = now;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    const bar = '='.repeat(filled) + (filled < width ? '>' : '') + ' '.repeat(Math.max(0, width - filled - 1));
    const eta = Number.isFinite(p.etaSeconds) ? `${p.etaSeconds.toFixed(0)}s` : '?';
    this.stream.write(`\r[${bar}] ${done}/${this.total} ${perSecond.toFixed(1)}/s ETA ${eta}   `);
    this.open = done < this.total;
    if (!this.open) this.stream.write('\n');
  }

  /** Ends a bar left short (a sweep that failed or was stopped) with a line break. */
  abandon(): void {
    if (this.open) this.stream.write('\n');
    this.open = false;
  }
}
