import { callNative, OrderError } from '../errors.js';
import { native } from '../native.js';
import type { OrderSpec } from './options.js';

const RECORD = native.SUBMIT_RECORD_SIZE;

/** What the queue needs of the addon's broker. */
interface QueueOwner {
  bindSubmissions(submissions: Float64Array): void;
}

/**
 * @internal plain orders (Market, Close, Limit or Stop; no bracket, OCO or dependency) on their
 * way to the broker without a call of their own: written as records into a buffer the broker
 * shares (layout in crates/node/src/broker_queue.rs) and taken in by its next call, which makes
 * placing an order as cheap as writing a dozen numbers.
 */
export class SubmissionQueue {
  /** Slot 0: the number of records; then the records. */
  buffer = new Float64Array(1 + RECORD * 64);

  /** @param core the broker that takes the orders in, once bound to `buffer`. */
  constructor(private readonly core: QueueOwner) {}

  /**
   * Queues order `ref` after the checks the broker's `submit` makes on such an order, with its
   * messages (a refused order is an error here, at `buy()`, and is not queued).
   */
  push(ref: number, owner: number, data: number, size: number, spec: OrderSpec, bar: number): void {
    if (!Number.isFinite(size) || size === 0) {
      throw new OrderError(`order size must be a finite non-zero number, got ${size}`);
    }
    if (!Number.isFinite(spec.price)) {
      throw new OrderError(
        `the order's reference price is ${spec.price} (the data has no close on the creation bar); wait for a bar with a price`,
      );
    }
    let q = this.buffer;
    const count = q[0]!;
    let at = 1 + count * RECORD;
    if (at + RECORD > q.length) {
      // Rebinding makes the broker take in what is queued, so the new buffer starts empty.
      const bigger = new Float64Array(1 + (q.length - 1) * 2);
      callNative(() => this.core.bindSubmissions(bigger));
      this.buffer = q = bigger;
      at = 1;
    }
    q[at] = ref;
    q[at + 1] = owner;
    q[at + 2] = data;
    q[at + 3] = size;
    q[at + 4] = spec.exectype;
    q[at + 5] = bar;
    q[at + 6] = spec.price;
    q[at + 7] = spec.plimit;
    q[at + 8] = spec.trailamount;
    q[at + 9] = spec.trailpercent;
    q[at + 10] = spec.valid;
    q[at + 11] = spec.tradeid;
    q[0] = (at - 1) / RECORD + 1;
  }
}
