/**
 * One SMA-cross logic written twice for the sweep tests: as an `Algo` (the simple API) and as a
 * `Strategy`. Both enter on the fast average crossing above the slow one and leave on the cross
 * back, with market orders of `qty`.
 */
import { Algo, ind, Strategy, type AlgoInstrument, type Indicator } from '../../ts/index.js';

type CrossParams = { fast: number; slow: number; qty: number };

export class CrossAlgo extends Algo<CrossParams> {
  static override params = { fast: 10, slow: 30, qty: 10 };
  private prev = NaN;
  override onBar(instrument: AlgoInstrument): void {
    const diff = instrument.bars.sma(this.p.fast) - instrument.bars.sma(this.p.slow);
    const prev = this.prev;
    this.prev = diff;
    if (!(Number.isFinite(diff) && Number.isFinite(prev))) return;
    if (instrument.position.size === 0 && prev <= 0 && diff > 0) instrument.buy(this.p.qty);
    else if (instrument.position.size !== 0 && prev >= 0 && diff < 0) instrument.exit();
  }
}

export class CrossStrategy extends Strategy<CrossParams> {
  static override params = { fast: 10, slow: 30, qty: 10 };
  private fastSma!: Indicator;
  private slowSma!: Indicator;
  private prev = NaN;
  override init(): void {
    this.fastSma = ind.SMA(this.data.close, { period: this.p.fast });
    this.slowSma = ind.SMA(this.data.close, { period: this.p.slow });
  }
  override next(): void {
    const diff = this.fastSma.get() - this.slowSma.get();
    const prev = this.prev;
    this.prev = diff;
    if (!(Number.isFinite(diff) && Number.isFinite(prev))) return;
    if (this.position.size === 0 && prev <= 0 && diff > 0) this.buy({ size: this.p.qty });
    else if (this.position.size !== 0 && prev >= 0 && diff < 0) this.close();
  }
}
