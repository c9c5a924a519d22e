import { describe, expect, it } from 'vitest';

import { EventBus, eventLevel, type FerroEvent } from '../ts/index.js';

const msg = (text: string, level: 'INFO' | 'ERROR' = 'INFO'): FerroEvent => ({ type: 'message', time: 0, level, text });

describe('EventBus', () => {
  it('delivers to type handlers and to * handlers, and unsubscribes', () => {
    const bus = new EventBus();
    const seen: string[] = [];
    const off = bus.on('message', (e) => seen.push(`m:${e.text}`));
    bus.on('*', (e) => seen.push(`*:${e.type}`));
    bus.emit(msg('a'));
    off();
    bus.emit(msg('b'));
    expect(seen).toEqual(['m:a', '*:message', '*:message']);
    expect(bus.emitted).toBe(2);
  });

  it('contains a throwing handler: the others still run and the error is reported', () => {
    const errors: unknown[] = [];
    const bus = new EventBus({ onError: (e) => errors.push(e) });
    const seen: string[] = [];
    bus.on('message', () => {
      throw new Error('boom');
    });
    bus.on('message', (e) => seen.push(e.text));
    expect(() => bus.emit(msg('x'))).not.toThrow();
    expect(seen).toEqual(['x']);
    expect(String(errors[0])).toContain('boom');
  });

  it('queued subscribers never run on the publisher call, keep order, and count drops when full', async () => {
    const bus = new EventBus();
    const got: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sub = bus.subscribeQueued(async (e) => {
      if (e.type === 'message') got.push(e.text);
      await gate;
    }, { maxQueue: 3 });
    for (const t of ['1', '2', '3', '4', '5']) bus.emit(msg(t));
    expect(got).toEqual([]); // nothing delivered during emit
    expect(sub.pending).toBe(3);
    expect(sub.dropped).toBe(2);
    release();
    await sub.close();
    expect(got).toEqual(['3', '4', '5']);
  });

  it('next() resolves with the next event of a type and times out', async () => {
    const bus = new EventBus();
    const p = bus.next('message', 1000);
    bus.emit(msg('hello'));
    expect((await p).text).toBe('hello');
    await expect(bus.next('fill', 10)).rejects.toThrow(/no 'fill' event/);
  });

  it('gives each event a level', () => {
    expect(eventLevel(msg('x', 'ERROR'))).toBe('ERROR');
    expect(eventLevel({ type: 'risk', time: 0, state: 'HALTED', previous: 'ACTIVE', reason: 'kill', killSwitch: true })).toBe('CRITICAL');
    expect(eventLevel({ type: 'connection', time: 0, component: 'broker:x', state: 'lost' })).toBe('ERROR');
  });
});
