/**
 * The connection state machine of a venue adapter or source (shared by every venue): connecting → connected → reconnecting (with
 * exponential backoff and jitter) → connected ..., and stopped. Every change is published on the
 * event bus as a `connection` event and handed to the adapter's listeners.
 */
import type { EventBus } from '../events/bus.js';

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'stopped';

export interface BackoffOptions {
  /** First delay, ms (default 250). */
  baseMs?: number;
  /** Longest delay, ms (default 30,000). */
  maxMs?: number;
  /** Random source in [0, 1) for the jitter (default Math.random). */
  random?: () => number;
}

/**
 * The delay before retry `attempt` (0-based): exponential, capped, with "equal jitter" (half
 * fixed, half random) so many clients that lost the same venue do not come back in step.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 250;
  const max = options.maxMs ?? 30_000;
  const exp = Math.min(max, base * 2 ** Math.min(attempt, 30));
  return exp / 2 + (options.random ?? Math.random)() * (exp / 2);
}

/** Tracks one connection's state and publishes its changes. */
export class ConnectionMachine {
  private current: ConnectionState = 'idle';
  /** Failed attempts since the last success (drives the backoff). */
  attempts = 0;
  private readonly listeners = new Set<(state: ConnectionState, detail?: string) => void>();

  constructor(private readonly component: string, private readonly bus?: EventBus, private readonly now: () => number = Date.now) {}

  get state(): ConnectionState {
    return this.current;
  }

  onChange(fn: (state: ConnectionState, detail?: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Moves to `state` (a no-op when already there, except `reconnecting`, which counts an attempt). */
  to(state: ConnectionState, detail?: string): void {
    if (state === 'reconnecting') this.attempts++;
    if (state === 'connected') this.attempts = 0;
    if (state === this.current && state !== 'reconnecting') return;
    this.current = state;
    if (state !== 'idle') {
      this.bus?.emit({ type: 'connection', time: this.now(), component: this.component, state, ...(detail ? { detail } : {}) });
    }
    for (const fn of this.listeners) fn(state, detail);
  }
}
