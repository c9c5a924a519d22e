/**
 * One typed event bus per session. Publishers (the engine, the broker adapters, the risk engine,
 * the sources) `emit`; the notifier, the store, the dashboard and bridges to other processes
 * subscribe.
 *
 * Trading must never wait on a subscriber: `on()` handlers run synchronously and must be cheap
 * (a handler that throws is reported as a `bus.error` and the others still run); anything slow
 * subscribes with `subscribeQueued()`, which buffers events in a bounded queue and delivers them
 * one at a time off the publisher's call, dropping the oldest when the queue is full and counting
 * the drops.
 */
import type { EventOf, FerroEvent, FerroEventType } from './types.js';

/** A handler for one type of event, or for every event (`'*'`). */
export type EventHandler<E extends FerroEvent = FerroEvent> = (event: E) => void;

/** A handler that may take its time: the queue waits for its promise before the next event. */
export type QueuedHandler = (event: FerroEvent) => void | Promise<void>;

/** Options of {@link EventBus.subscribeQueued}. */
export interface QueuedSubscriptionOptions {
  /** Most events held while the handler is busy; the oldest is dropped past it (default 10,000). */
  maxQueue?: number;
  /** Only these event types are queued (default: all). */
  types?: readonly FerroEventType[];
  /** Called with the error when the handler throws or rejects (default: reported on the bus's `onError`). */
  onError?: (error: unknown, event: FerroEvent) => void;
}

/** A queued subscription: its counters and how to end it. */
export interface QueuedSubscription {
  /** Events dropped because the queue was full. */
  readonly dropped: number;
  /** Events waiting. */
  readonly pending: number;
  /** Stops taking events; resolves when the queued ones are delivered (or dropped, with `discard`). */
  close(options?: { discard?: boolean }): Promise<void>;
}

/** Options of an {@link EventBus}. */
export interface EventBusOptions {
  /** Where a throwing synchronous handler's error goes (default: `console.error`). */
  onError?: (error: unknown, event: FerroEvent) => void;
}

/** The session's event bus. */
export class EventBus {
  private readonly byType = new Map<string, Set<EventHandler<any>>>();
  private readonly onError: (error: unknown, event: FerroEvent) => void;
  /** Events emitted so far. */
  emitted = 0;

  constructor(options: EventBusOptions = {}) {
    this.onError = options.onError ?? ((error, event) => {
      console.error(`ferrotrade: an event handler threw on a '${event.type}' event:`, error);
    });
  }

  /** Calls `handler` synchronously for each event of `type` (or every event with `'*'`). Returns the unsubscribe. */
  on<T extends FerroEventType>(type: T, handler: EventHandler<EventOf<T>>): () => void;
  on(type: '*', handler: EventHandler): () => void;
  on(type: string, handler: EventHandler<any>): () => void {
    let set = this.byType.get(type);
    if (!set) this.byType.set(type, (set = new Set()));
    set.add(handler);
    return () => {
      set!.delete(handler);
    };
  }

  /** Like {@link on}, for one event only. */
  once<T extends FerroEventType>(type: T, handler: EventHandler<EventOf<T>>): () => void {
    const off = this.on(type, (event: EventOf<T>) => {
      off();
      handler(event);
    });
    return off;
  }

  /** A promise of the next event of `type` (rejects after `timeoutMs` when given). */
  next<T extends FerroEventType>(type: T, timeoutMs?: number): Promise<EventOf<T>> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const off = this.once(type, (event) => {
        if (timer) clearTimeout(timer);
        resolve(event);
      });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          off();
          reject(new Error(`no '${type}' event within ${timeoutMs} ms`));
        }, timeoutMs);
      }
    });
  }

  /** Delivers `event` to its type's handlers, then to `'*'` handlers. Never throws. */
  emit(event: FerroEvent): void {
    this.emitted++;
    this.deliver(this.byType.get(event.type), event);
    this.deliver(this.byType.get('*'), event);
  }

  private deliver(handlers: Set<EventHandler<any>> | undefined, event: FerroEvent): void {
    if (!handlers || handlers.size === 0) return;
    for (const handler of handlers) {
      try {
        const result = handler(event) as unknown;
        // A handler that returns a promise is not awaited; its rejection is still reported.
        if (result && typeof (result as Promise<void>).then === 'function') {
          (result as Promise<void>).then(undefined, (error) => this.onError(error, event));
        }
      } catch (error) {
        this.onError(error, event);
      }
    }
  }

  /**
   * Delivers events to a slow `handler` through a bounded queue, one at a time, never on the
   * publisher's call: `emit` only appends.
   */
  subscribeQueued(handler: QueuedHandler, options: QueuedSubscriptionOptions = {}): QueuedSubscription {
    const maxQueue = options.maxQueue ?? 10_000;
    if (!Number.isInteger(maxQueue) || maxQueue < 1) {
      throw new RangeError(`subscribeQueued: maxQueue must be a whole number >= 1, got ${maxQueue}`);
    }
    const types = options.types ? new Set<string>(options.types) : undefined;
    const onError = options.onError ?? this.onError;
    const queue: FerroEvent[] = [];
    let head = 0;
    let dropped = 0;
    let running = false;
    let closed = false;
    let drained: (() => void) | undefined;

    const pump = async () => {
      running = true;
      while (head < queue.length) {
        const event = queue[head]!;
        queue[head++] = undefined as unknown as FerroEvent;
        if (head > 1024 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        try {
          await handler(event);
        } catch (error) {
          onError(error, event);
        }
      }
      running = false;
      drained?.();
    };

    const off = this.on('*', (event) => {
      if (closed || (types && !types.has(event.type))) return;
      if (queue.length - head >= maxQueue) {
        head++;
        dropped++;
      }
      queue.push(event);
      if (!running) {
        running = true;
        setImmediate(() => void pump());
      }
    });

    return {
      get dropped() {
        return dropped;
      },
      get pending() {
        return queue.length - head;
      },
      close: async ({ discard = false } = {}) => {
        closed = true;
        off();
        if (discard) {
          dropped += queue.length - head;
          queue.length = 0;
          head = 0;
        }
        if (!running && queue.length - head === 0) return;
        await new Promise<void>((resolve) => {
          drained = resolve;
          if (!running) void pump();
        });
      },
    };
  }
}
