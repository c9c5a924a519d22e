/** A strategy module for sweep tests: worker threads import it by URL. */
import { ind, ParamError, Strategy, type Indicator, type Order } from '../../ts/index.js';

export class SweepCross extends Strategy<{ fast: number; slow: number; failAt: number }> {
  static override params = { fast: 10, slow: 30, failAt: -1 };
  cross!: Indicator;
  pending: Order | null = null;

  override init(): void {
    if (this.p.fast === this.p.failAt) throw new Error(`refusing fast=${this.p.fast}`);
    this.cross = ind.CrossOver(ind.SMA(this.data, { period: this.p.fast }), ind.SMA(this.data, { period: this.p.slow }));
  }

  override notifyOrder(order: Order): void {
    if (!order.alive()) this.pending = null;
  }

  override next(): void {
    if (this.pending) return;
    if (this.position.size === 0 && this.cross.get(0) > 0) this.pending = this.buy({ size: 10 });
    else if (this.position.size > 0 && this.cross.get(0) < 0) this.pending = this.close();
  }
}

/** {@link SweepCross} that takes at least `spinMs` (default 150) per run, so a sweep is still going when a test acts. */
export class SlowSweepCross extends SweepCross {
  static override params = { ...SweepCross.params, spinMs: 150 };

  override init(): void {
    const until = performance.now() + (this.p as unknown as { spinMs: number }).spinMs;
    while (performance.now() < until);
    super.init();
  }
}

/**
 * {@link SweepCross} whose worker thread dies just after the run with
 * `fast * 1000 + slow === crashAt` has finished (an exception thrown from a timer): its row is
 * already on its way, the thread's `error` and `exit` follow.
 */
export class CrashingSweepCross extends SweepCross {
  static override params = { ...SweepCross.params, crashAt: -1 };

  override init(): void {
    const { fast, slow, crashAt } = this.p as unknown as { fast: number; slow: number; crashAt: number };
    if (fast * 1000 + slow === crashAt) {
      setTimeout(() => {
        throw new Error(`worker crash after fast=${fast} slow=${slow}`);
      }, 0);
    }
    super.init();
  }
}

/** {@link SweepCross} that never returns from `init` when `fast === hangAt`. */
export class HangingSweepCross extends SweepCross {
  static override params = { ...SweepCross.params, hangAt: -1 };

  override init(): void {
    if (this.p.fast === (this.p as unknown as { hangAt: number }).hangAt) for (;;);
    super.init();
  }
}

/** {@link SweepCross} that refuses `fast === refuseAt` with a `ParamError` from `init`. */
export class RefusingSweepCross extends SweepCross {
  static override params = { ...SweepCross.params, refuseAt: -1 };

  override init(): void {
    if (this.p.fast === (this.p as unknown as { refuseAt: number }).refuseAt) throw new ParamError(`refusing fast=${this.p.fast}`);
    super.init();
  }
}

/** {@link SweepCross} whose worker thread ends (`process.exit`) in the run with `fast === exitAt`. */
export class ExitingSweepCross extends SweepCross {
  static override params = { ...SweepCross.params, exitAt: -1 };

  override init(): void {
    if (this.p.fast === (this.p as unknown as { exitAt: number }).exitAt) process.exit(3);
    super.init();
  }
}
