/**
 * Faults against loopback servers: a server that answers after 10 s (timeout), 500 then 200
 * (the retry succeeds), 429 with Retry-After (the wait is honoured), 401 (no retry, the error is
 * reported), and a port with nothing listening (connection refused).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { channels } from '../ts/index.js';
import { closedPort, serverTracker } from './support/notify-servers.js';
import { testNotifier } from './support/notify-harness.js';

const track = serverTracker();
afterEach(track.closeAll);
const http = track.http;
const TOKEN = '777777:telegram-secret-token';

describe('notification faults', () => {
  it('a server that answers after 10 s: each attempt times out, then the notification fails', async () => {
    const s = await http(() => new Promise((resolve) => setTimeout(() => resolve({ status: 200, body: { ok: true } }), 10_000)));
    const { notifier, log, lines } = testNotifier([channels.telegram({ token: TOKEN, chatId: 5, apiUrl: s.url })], {
      retry: { attempts: 2, baseDelayMs: 10, timeoutMs: 300 },
    });
    notifier.notify('ERROR', 'disk full');
    await notifier.flush();
    expect(s.received).toHaveLength(2);
    expect(log.entries[0]).toMatchObject({ outcome: 'failed', attempts: 2 });
    expect(log.entries[0]!.error).toContain('timed out after 0.3 s');
    expect(lines.some((l) => l.startsWith('warn') && l.includes('attempt 1/2') && l.includes('retrying in'))).toBe(true);
    expect(lines.some((l) => l.startsWith('error') && l.includes('gave up') && l.includes('after 2 attempts'))).toBe(true);
  });

  it('500 then 200: the retry succeeds', async () => {
    const s = await http((_r, k) => (k === 0 ? { status: 500, body: 'upstream exploded' } : { status: 200, body: { ok: true, result: { message_id: 9 } } }));
    const { notifier, log, lines } = testNotifier([channels.telegram({ token: TOKEN, chatId: 5, apiUrl: s.url })]);
    notifier.notify('WARNING', 'margin low');
    await notifier.flush();
    expect(s.received).toHaveLength(2);
    expect(s.received[1]!.body).toBe(s.received[0]!.body);
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({ outcome: 'sent', attempts: 2 });
    expect(lines.find((l) => l.startsWith('warn'))).toContain('HTTP 500 upstream exploded; retrying in');
    expect(notifier.stats().telegram).toMatchObject({ sent: 1, failed: 0, retries: 1 });
  });

  it('429 with Retry-After: waits that long before the next attempt', async () => {
    const s = await http((_r, k) => (k === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' } : { status: 200, body: 'ok' }));
    const { notifier, log, lines } = testNotifier([channels.slack({ url: `${s.url}/services/x` })]);
    notifier.notify('INFO', 'hello');
    await notifier.flush();
    expect(s.received).toHaveLength(2);
    expect(s.received[1]!.at - s.received[0]!.at).toBeGreaterThanOrEqual(950);
    expect(log.entries[0]).toMatchObject({ outcome: 'sent', attempts: 2 });
    expect(lines.find((l) => l.startsWith('warn'))).toContain('retrying in 1 s (Retry-After)');
  });

  it("429 with Telegram's retry_after in the body: waits that long", async () => {
    const s = await http((_r, k) =>
      k === 0
        ? { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } }
        : { status: 200, body: { ok: true, result: { message_id: 1 } } },
    );
    const { notifier, log } = testNotifier([channels.telegram({ token: TOKEN, chatId: 5, apiUrl: s.url })]);
    notifier.notify('INFO', 'hello');
    await notifier.flush();
    expect(s.received[1]!.at - s.received[0]!.at).toBeGreaterThanOrEqual(950);
    expect(log.entries[0]!.outcome).toBe('sent');
  });

  it('401: not retried, the error is reported (without the token)', async () => {
    const s = await http((req) => ({ status: 401, body: { ok: false, error_code: 401, description: `Unauthorized: ${req.path}` } }));
    const { notifier, log, lines } = testNotifier([channels.telegram({ token: TOKEN, chatId: 5, apiUrl: s.url })]);
    notifier.notify('CRITICAL', 'kill switch');
    await notifier.flush();
    expect(s.received).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({ outcome: 'failed', attempts: 1, status: 401 });
    expect(log.entries[0]!.error).toContain('HTTP 401');
    // The server echoed the URL, token and all: it is scrubbed everywhere.
    expect(log.entries[0]!.error).toContain('/bot***/sendMessage');
    const error = lines.find((l) => l.startsWith('error'))!;
    expect(error).toContain('not retried (permanent): telegram: HTTP 401');
    expect(JSON.stringify(log.entries) + lines.join('\n')).not.toContain('telegram-secret-token');
  });

  it('connection refused: retried, then reported', async () => {
    const port = await closedPort();
    const { notifier, log, lines } = testNotifier([channels.discord({ url: `http://127.0.0.1:${port}/api/webhooks/1/secret-discord-token` })]);
    notifier.notify('ERROR', 'feed lost');
    await notifier.flush();
    expect(log.entries[0]).toMatchObject({ outcome: 'failed', attempts: 3 });
    expect(log.entries[0]!.error).toContain('connection refused');
    expect(lines.filter((l) => l.startsWith('warn') && l.includes('connection refused'))).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('secret-discord-token');
  });

  it('a hung channel holds nobody else: the other channel sends while it waits', async () => {
    const hung = await http(() => 'hang');
    const fine = await http(() => ({ status: 200, body: 'ok' }));
    const { notifier, log } = testNotifier(
      [channels.webhook({ name: 'hung', url: hung.url }), channels.slack({ url: fine.url, rateLimits: [] })],
      { retry: { attempts: 1, timeoutMs: 2000 } },
    );
    for (let k = 0; k < 3; k++) notifier.notify('INFO', `message ${k}`);
    await new Promise((r) => setTimeout(r, 300));
    expect(log.of('slack').map((e) => e.outcome)).toEqual(['sent', 'sent', 'sent']);
    expect(log.of('hung')).toHaveLength(0);
    await notifier.close({ discard: true });
    expect(log.of('hung').map((e) => e.outcome).sort()).toEqual(['dropped', 'dropped', 'failed']);
  });
});
