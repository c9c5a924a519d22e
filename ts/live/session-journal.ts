/**
 * A paper session's journal: order intents written (in one transaction with the strategies'
 * state) before the broker takes the orders, each with a client order id; every broker event
 * written as it arrives (group commit); each strategy's `this.state` restored on start and saved
 * at stop.
 * @internal
 */
import type { Broker } from '../broker/broker.js';
import type { Strategy } from '../engine/strategy.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { openJournal, type JournalInput, type OrderJournal } from '../store/journal.js';
import type { Clock } from '../time/clock.js';
import type { Logger } from './logger.js';
import { orderSnapshot } from '../engine/bus-report.js';

export class SessionJournal {
  private readonly journal: OrderJournal;
  private readonly own: boolean;
  /** Orders journaled as intents so far (refs 1..n). */
  private journaled = 0;
  /** Part of every client order id: refs restart at 1 in each session. */
  private readonly startedAt = Date.now().toString(36);

  constructor(
    journal: OrderJournal | string,
    private readonly session: string,
    private readonly broker: Broker,
    private readonly datas: readonly DataFeed[],
    private readonly strategies: readonly Strategy[],
    private readonly clock: Clock,
    private readonly log: Logger | null,
  ) {
    this.own = typeof journal === 'string';
    this.journal = typeof journal === 'string' ? openJournal(journal) : journal;
  }

  /** The client order id of order `ref` in this session. */
  clientOrderId(ref: number): string {
    return `${this.session}-${this.startedAt}-${ref}`;
  }

  /** Each strategy's state as its last session saved it. */
  restoreState(): void {
    const saved = this.journal.read({ session: this.session, kind: 'state' });
    this.strategies.forEach((s, k) => {
      const last = saved.filter((r) => r.ref === k).pop();
      if (last && last.payload !== null && typeof last.payload === 'object') s.state = last.payload as Record<string, unknown>;
    });
  }

  /** Journals the intents of orders placed since the last call, with the strategies' state, in one transaction. */
  intents(): void {
    const table = this.broker.table;
    if (table.count === this.journaled) return;
    const records: JournalInput[] = [];
    const now = Math.round(this.clock.now());
    const time = Number.isFinite(now) ? now : Date.now();
    for (let ref = this.journaled + 1; ref <= table.count; ref++) {
      const o = this.broker.order(ref);
      records.push({ time, kind: 'intent', session: this.session, ref, clientOrderId: this.clientOrderId(ref), payload: orderSnapshot(o, this.datas[o.dataIndex]?.name ?? String(o.dataIndex)) });
    }
    this.journaled = table.count;
    records.push(...this.stateRecords());
    this.journal.appendMany(records);
  }

  /** A broker event of order `ref` (a fill when `fill`), after its order's intent. */
  event(ref: number, fill: boolean): void {
    this.intents();
    const o = this.broker.order(ref);
    const f = fill ? o.lastFill() : undefined;
    void this.journal.appendAsync({
      time: Date.now(), kind: 'venue', session: this.session, ref, clientOrderId: this.clientOrderId(ref),
      payload: { order: orderSnapshot(o, this.datas[o.dataIndex]?.name ?? String(o.dataIndex)), ...(f ? { fill: f } : {}) },
    }).catch((err) => this.log?.error({ err }, 'journal write failed'));
  }

  /** Last intents and the strategies' state, everything flushed; closes a journal it opened. */
  async close(): Promise<void> {
    this.intents();
    this.journal.appendMany(this.stateRecords());
    await this.journal.flush();
    if (this.own) this.journal.close();
  }

  private stateRecords(): JournalInput[] {
    return this.strategies.map((s, k) => ({ time: Date.now(), kind: 'state', session: this.session, ref: k, payload: s.state }));
  }
}
