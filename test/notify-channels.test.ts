/**
 * Each channel against a loopback server that checks the request as the provider documents it:
 * Telegram's sendMessage, Twilio's form body and basic auth, DingTalk's signed URL (verified as
 * DingTalk verifies it), WeCom, Slack and Discord JSON, the generic webhook's HMAC; e-mail through
 * a real SMTP server with STARTTLS on a self-signed certificate and a login.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { channels, type FerroEvent } from '../ts/index.js';
import { decodeQuotedPrintable, serverTracker, startSmtp, TEST_CERT } from './support/notify-servers.js';
import { testNotifier } from './support/notify-harness.js';

const track = serverTracker();
afterEach(track.closeAll);
const http = track.http;

const T0 = Date.UTC(2024, 0, 5, 14, 30);
const fill: FerroEvent = {
  type: 'fill', time: T0, source: 'SmaCross', size: 10, price: 101.5, commission: 1.02,
  order: { ref: 7, symbol: 'AAPL', side: 'buy', orderType: 'Market', size: 10, status: 'Completed', filled: 10, avgPrice: 101.5 },
};
const halted: FerroEvent = { type: 'risk', time: T0, state: 'HALTED', previous: 'ACTIVE', reason: 'daily loss 5.2% > 5%', killSwitch: true };

describe('telegram', () => {
  it("posts sendMessage to /bot<token>/sendMessage with chat_id, HTML text and parse_mode", async () => {
    const token = '123456:ABC-secret-token';
    const s = await http(() => ({ status: 200, body: { ok: true, result: { message_id: 42 } } }));
    const { notifier, log } = testNotifier([channels.telegram({ token, chatId: -1001234, apiUrl: s.url })]);
    notifier.publish(fill);
    notifier.notify('WARNING', 'spread <wide> & thin');
    await notifier.flush();
    expect(s.received).toHaveLength(2);
    const [a, b] = s.received;
    expect(a!.method).toBe('POST');
    expect(a!.path).toBe(`/bot${token}/sendMessage`);
    expect(a!.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(a!.body);
    expect(body.chat_id).toBe(-1001234);
    expect(body.parse_mode).toBe('HTML');
    expect(body.text).toContain('<b>Filled buy AAPL</b>');
    expect(body.text).toContain('Bought 10 AAPL at 101.5');
    // INFO below the default silentBelow (WARNING) arrives without a sound; WARNING with one.
    expect(body.disable_notification).toBe(true);
    const second = JSON.parse(b!.body);
    expect(second.disable_notification).toBe(false);
    // HTML escaped as Telegram's HTML mode requires.
    expect(second.text).toContain('spread &lt;wide&gt; &amp; thin');
    expect(log.entries.map((e) => [e.outcome, e.providerId])).toEqual([['sent', '42'], ['sent', '42']]);
  });

  it('reports ok:false answers as refused, without retrying', async () => {
    const s = await http(() => ({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } }));
    const { notifier, log } = testNotifier([channels.telegram({ token: 'tok-abcdef', chatId: 1, apiUrl: s.url })]);
    notifier.publish(fill);
    await notifier.flush();
    expect(s.received).toHaveLength(1);
    expect(log.entries[0]!.outcome).toBe('failed');
    expect(log.entries[0]!.error).toContain('chat not found');
  });
});

describe('twilio sms', () => {
  it('posts a form-encoded To/From/Body with basic auth to the Messages resource', async () => {
    const sid = 'AC0123456789abcdef0123456789abcdef';
    const token = 'twilio-auth-token-1';
    const s = await http(() => ({ status: 201, body: { sid: 'SM42', status: 'queued' } }));
    const provider = channels.twilio({ accountSid: sid, authToken: token, from: '+15550001111', apiUrl: s.url });
    const { notifier, log } = testNotifier([channels.sms({ provider, to: '+15552223333', minLevel: 'ERROR' })]);
    notifier.publish(fill); // INFO: below the channel's minimum
    notifier.publish(halted);
    await notifier.flush();
    expect(s.received).toHaveLength(1);
    const r = s.received[0]!;
    expect(r.path).toBe(`/2010-04-01/Accounts/${sid}/Messages.json`);
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`);
    const form = new URLSearchParams(r.body);
    expect(form.get('To')).toBe('+15552223333');
    expect(form.get('From')).toBe('+15550001111');
    const text = form.get('Body')!;
    expect(text).toBe('CRITICAL Kill switch: trading HALTED: Risk state ACTIVE -> HALTED: daily loss 5.2% > 5%');
    expect(log.entries[0]).toMatchObject({ outcome: 'sent', providerId: 'SM42', status: 201 });
  });

  it('fits long texts into one segment: 160 GSM-7 characters, 70 otherwise', () => {
    const long = 'x'.repeat(400);
    const gsm = channels.fitSms(long, 1);
    expect(gsm.length).toBe(160);
    expect(gsm.endsWith('...')).toBe(true);
    expect(channels.smsSegments(gsm)).toBe(1);
    const chinese = channels.fitSms('止损触发'.repeat(40), 1);
    expect(Array.from(chinese).length).toBe(70);
    expect(chinese.endsWith('…')).toBe(true);
    expect(channels.fitSms('x'.repeat(400), 2).length).toBe(306);
    expect(channels.isGsm7('price {1}')).toBe(true);
    expect(channels.isGsm7('📈')).toBe(false);
  });
});

describe('dingtalk', () => {
  it('signs the URL as DingTalk checks it and posts markdown', async () => {
    const secret = 'SECabcdef0123456789';
    const accessToken = 'dd-access-token-xyz';
    // DingTalk's check: timestamp within an hour of its clock, sign = base64(HMAC-SHA256(secret, timestamp\nsecret)).
    const s = await http((req) => {
      const ts = Number(req.url.searchParams.get('timestamp'));
      const sign = req.url.searchParams.get('sign') ?? '';
      const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest();
      const given = Buffer.from(sign, 'base64');
      const fresh = Math.abs(Date.now() - ts) < 3_600_000;
      const ok = req.url.searchParams.get('access_token') === accessToken && fresh && given.length === expected.length && timingSafeEqual(given, expected);
      return { status: 200, body: ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: 'sign not match' } };
    });
    const { notifier, log } = testNotifier([
      channels.dingtalk({ accessToken, secret, url: `${s.url}/robot/send`, atMobiles: ['13800000000'], atAllFrom: 'CRITICAL' }),
    ]);
    notifier.publish(fill);
    notifier.publish(halted);
    await notifier.flush();
    expect(log.entries.map((e) => e.outcome)).toEqual(['sent', 'sent']);
    // The raw query carries the signature URL-encoded (base64 has + / =).
    expect(s.received[0]!.path).toMatch(/&sign=[A-Za-z0-9%]+$/);
    const body = JSON.parse(s.received[0]!.body);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.title).toBe('Filled buy AAPL');
    expect(body.markdown.text).toMatch(/^#### .* Filled buy AAPL/);
    expect(body.markdown.text).toContain('@13800000000');
    expect(body.at).toEqual({ atMobiles: ['13800000000'], isAtAll: false });
    expect(JSON.parse(s.received[1]!.body).at.isAtAll).toBe(true);
  });

  it('a wrong secret is refused by the check above and not retried', async () => {
    const s = await http((req) => {
      const ts = req.url.searchParams.get('timestamp');
      const ok = req.url.searchParams.get('sign') === createHmac('sha256', 'right').update(`${ts}\nright`).digest('base64');
      return { status: 200, body: ok ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: 'sign not match' } };
    });
    const { notifier, log } = testNotifier([channels.dingtalk({ accessToken: 'tok-1234', secret: 'wrong', url: s.url })]);
    notifier.publish(fill);
    await notifier.flush();
    expect(s.received).toHaveLength(1);
    expect(log.entries[0]!.outcome).toBe('failed');
    expect(log.entries[0]!.error).toContain('errcode 310000 sign not match');
  });
});

describe('wecom', () => {
  it('posts markdown to /cgi-bin/webhook/send?key=', async () => {
    const s = await http(() => ({ status: 200, body: { errcode: 0, errmsg: 'ok' } }));
    const { notifier, log } = testNotifier([channels.wecom({ key: 'wecom-key-0001', url: `${s.url}/cgi-bin/webhook/send` })]);
    notifier.publish(fill);
    await notifier.flush();
    const r = s.received[0]!;
    expect(r.url.pathname).toBe('/cgi-bin/webhook/send');
    expect(r.url.searchParams.get('key')).toBe('wecom-key-0001');
    const body = JSON.parse(r.body);
    expect(Object.keys(body)).toEqual(['msgtype', 'markdown']);
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toContain('### ');
    expect(body.markdown.content).toContain('Bought 10 AAPL at 101.5');
    expect(log.entries[0]!.outcome).toBe('sent');
  });

  it('text format carries the mentions; errcode 45009 (frequency limit) is retried', async () => {
    const s = await http((_r, k) => ({ status: 200, body: k === 0 ? { errcode: 45009, errmsg: 'api freq out of limit' } : { errcode: 0, errmsg: 'ok' } }));
    const { notifier, log } = testNotifier(
      [channels.wecom({ key: 'wecom-key-0002', url: s.url, format: 'text', mentionMobiles: ['@all'] })],
      { retry: { attempts: 2, maxRetryAfterMs: 0 } },
    );
    notifier.publish(fill);
    await notifier.flush();
    // The provider's wait (a minute) is longer than allowed here: it fails, and says why.
    expect(s.received).toHaveLength(1);
    expect(JSON.parse(s.received[0]!.body)).toMatchObject({ msgtype: 'text', text: { mentioned_mobile_list: ['@all'] } });
    expect(log.entries[0]!.error).toContain('longer than retry.maxRetryAfterMs');
  });
});

describe('slack', () => {
  it('posts {text} mrkdwn to the webhook and accepts the plain "ok" answer', async () => {
    const s = await http(() => ({ status: 200, body: 'ok' }));
    const { notifier, log } = testNotifier([channels.slack({ url: `${s.url}/services/T0/B0/XXXX` })]);
    notifier.notify('ERROR', 'broker <down> & out', { venue: 'x' });
    await notifier.flush();
    const r = s.received[0]!;
    expect(r.path).toBe('/services/T0/B0/XXXX');
    const body = JSON.parse(r.body);
    expect(body.text).toMatch(/^❌ \*broker &lt;down&gt; &amp; out\*/);
    expect(body.mrkdwn).toBe(true);
    expect(log.entries[0]!.outcome).toBe('sent');
  });
});

describe('discord', () => {
  it('posts an embed with wait=true, mentions off, and keeps the message id', async () => {
    const s = await http(() => ({ status: 200, body: { id: '998877', channel_id: '1' } }));
    const { notifier, log } = testNotifier([channels.discord({ url: `${s.url}/api/webhooks/1/tok-discord`, username: 'ferrotrade' })]);
    notifier.publish(fill);
    await notifier.flush();
    const r = s.received[0]!;
    expect(r.path).toBe('/api/webhooks/1/tok-discord?wait=true');
    const body = JSON.parse(r.body);
    expect(body.username).toBe('ferrotrade');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0].title).toContain('Filled buy AAPL');
    expect(body.embeds[0].timestamp).toBe(new Date(T0).toISOString());
    expect(body.embeds[0].fields).toContainEqual({ name: 'commission', value: '1.02', inline: true });
    expect(log.entries[0]!.providerId).toBe('998877');
  });
});

describe('generic webhook', () => {
  it('posts the notification as JSON with an HMAC-SHA256 signature of timestamp.body', async () => {
    const secret = 'whsec-0123456789';
    const s = await http((req) => {
      const ts = req.headers['x-ferrotrade-timestamp'] as string;
      const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${req.body}`).digest('hex')}`;
      return { status: req.headers['x-ferrotrade-signature'] === expected ? 204 : 401 };
    });
    const { notifier, log } = testNotifier([channels.webhook({ url: `${s.url}/hook`, secret, headers: { 'X-Api-Key': 'api-key-777' } })]);
    notifier.notify('INFO', 'rebalanced', { weights: { AAPL: 0.5 } }, { source: 'Rebalancer' });
    await notifier.flush();
    expect(log.entries[0]!.outcome).toBe('sent');
    const r = s.received[0]!;
    expect(r.headers['x-api-key']).toBe('api-key-777');
    const body = JSON.parse(r.body);
    expect(body).toMatchObject({ level: 'INFO', type: 'message', title: 'rebalanced', text: 'rebalanced', source: 'Rebalancer', data: { weights: { AAPL: 0.5 } } });
    expect(body.event.type).toBe('message');
  });
});

describe('email', () => {
  it('sends over STARTTLS (self-signed certificate trusted by ca) with a login: subject, headers and body', async () => {
    const smtp = await startSmtp({ user: 'bot', password: 'smtp-pass-123' });
    track.add(smtp);
    const { notifier, log } = testNotifier([
      channels.email({
        host: '127.0.0.1', port: smtp.port, user: 'bot', password: 'smtp-pass-123', tls: { ca: TEST_CERT, servername: 'localhost' },
        from: 'ferrotrade@example.com', to: ['trader@example.com', 'desk@example.com'],
      }),
    ]);
    notifier.publish({ type: 'strategy.error', time: T0, source: 'SmaCross', callback: 'next', message: 'TypeError: x is undefined', action: 'skipped' });
    await notifier.flush();
    expect(log.entries[0]).toMatchObject({ outcome: 'sent', status: 250 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0]!;
    expect(mail.secure).toBe(true); // STARTTLS was done before anything else
    expect(mail.user).toBe('bot');
    expect(mail.from).toBe('ferrotrade@example.com');
    expect(mail.to).toEqual(['trader@example.com', 'desk@example.com']);
    expect(mail.headers.get('subject')).toBe('[ferrotrade] ERROR: Strategy error in next');
    expect(mail.headers.get('x-ferrotrade-level')).toBe('ERROR');
    expect(mail.headers.get('x-priority')).toMatch(/^1/);
    expect(mail.headers.get('content-type')).toMatch(/^multipart\/alternative/);
    expect(mail.headers.get('message-id')).toBe(log.entries[0]!.providerId);
    const body = decodeQuotedPrintable(mail.raw);
    expect(body).toContain('TypeError: x is undefined (bar skipped)');
    expect(body).toContain('<h3>ERROR: Strategy error in next</h3>');
  });

  it('sends over implicit TLS (secure) too', async () => {
    const smtp = await startSmtp({ secure: true, user: 'bot', password: 'pw-secure-1' });
    track.add(smtp);
    const { notifier, log } = testNotifier([
      channels.email({ host: '127.0.0.1', port: smtp.port, secure: true, user: 'bot', password: 'pw-secure-1', tls: { ca: TEST_CERT, servername: 'localhost' }, from: 'a@example.com', to: 'b@example.com' }),
    ]);
    notifier.publish(halted);
    await notifier.flush();
    expect(log.entries[0]!.outcome).toBe('sent');
    expect(smtp.mails[0]!.secure).toBe(true);
    expect(smtp.mails[0]!.headers.get('subject')).toBe('[ferrotrade] CRITICAL: Kill switch: trading HALTED');
  });

  it('refuses an untrusted certificate, and a wrong password gets 535 without retry and without the password in the error', async () => {
    const smtp = await startSmtp({ user: 'bot', password: 'right-password' });
    track.add(smtp);
    const untrusted = testNotifier([channels.email({ name: 'mail', host: '127.0.0.1', port: smtp.port, user: 'bot', password: 'right-password', from: 'a@example.com', to: 'b@example.com' })]);
    untrusted.notifier.publish(halted);
    await untrusted.notifier.flush();
    expect(untrusted.log.entries[0]).toMatchObject({ outcome: 'failed', attempts: 1 });
    expect(untrusted.log.entries[0]!.error).toMatch(/certificate/);
    expect(smtp.mails).toHaveLength(0);

    const wrong = testNotifier([
      channels.email({ host: '127.0.0.1', port: smtp.port, user: 'bot', password: 'wrong-password', tls: { ca: TEST_CERT, servername: 'localhost' }, from: 'a@example.com', to: 'b@example.com' }),
    ]);
    wrong.notifier.publish(halted);
    await wrong.notifier.flush();
    const entry = wrong.log.entries[0]!;
    expect(entry).toMatchObject({ outcome: 'failed', attempts: 1, status: 535 });
    expect(smtp.logins).toEqual([{ user: 'bot', ok: false }]);
    expect(wrong.lines.join('\n')).toContain('not retried (permanent)');
    expect(JSON.stringify(wrong.log.entries) + wrong.lines.join('\n')).not.toContain('wrong-password');
  });
});
