import type { Broker } from '../broker/broker.js';
import { RECORD } from '../broker/events.js';
import { callNative, fromNative } from '../errors.js';
import { native } from '../native.js';

/**
 * @internal one broker step: the bar loop's single crossing into the addon on a bar with work
 * (a plain function taking the broker's handle, the cheapest call N-API offers). Returns how
 * many notification records landed in `broker.events`, growing the buffer when they do not
 * fit (the rest are fetched after the first, in order). `cursors` is the per-data cursor
 * buffer for datas on different calendars, or null.
 *
 * A module function, not a closure made per run: the bar loop's compiled code inlines the
 * function it calls, and a new closure each run would undo that (a deoptimisation and a
 * recompilation of the whole loop in every sweep worker).
 */
export function stepBroker(broker: Broker, cursors: Float64Array | null, bar: number): number {
  let got: number;
  try {
    got = cursors ? native.brokerStepCursors(broker.handle) : native.brokerStep(broker.handle, bar);
  } catch (err) {
    throw fromNative(err);
  }
  const state = broker.state;
  if (state[2] !== 0) {
    const core = broker.core!;
    const bigger = new Float64Array((got + state[2]!) * RECORD * 2);
    bigger.set(broker.events.subarray(0, got * RECORD));
    broker.events = bigger;
    core.bindEvents(bigger);
    got += callNative(() => core.takeEvents(bigger.subarray(got * RECORD)));
  }
  return got;
}
