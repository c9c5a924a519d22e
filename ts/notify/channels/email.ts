/**
 * E-mail over SMTP with nodemailer (an optional peer dependency, loaded on the first send):
 * implicit TLS (port 465, `secure`) or STARTTLS (required by default otherwise), with
 * authentication. The subject carries the level and title; the body is plain text and HTML.
 * SMTP 4xx answers and lost connections are retried; 5xx answers (a refused login, a refused
 * recipient) are not.
 */
import type { ConnectionOptions } from 'node:tls';
import { MissingDependencyError, NotifyConfigError, NotifySendError } from '../../errors.js';
import { loadPeer } from '../../peer.js';
import { levelRank } from '../../events/index.js';
import { escapeHtml, formatTime, notes, plainText } from '../format.js';
import { optionalSecret } from '../secrets.js';
import type { Notification, Secret, SendReceipt } from '../types.js';
import { BaseChannel, type ChannelOptions } from './base.js';

/** Options of {@link email}. */
export interface EmailOptions extends ChannelOptions {
  host: string;
  /** Default 587 (submission with STARTTLS); 465 for implicit TLS. */
  port?: number;
  /** Implicit TLS from the first byte (default: true on port 465). */
  secure?: boolean;
  /** Refuse to send unless the server offers STARTTLS (default true when not `secure`). */
  requireTLS?: boolean;
  /** TLS options: `ca` for a private authority, `servername`, `rejectUnauthorized` (default true). */
  tls?: ConnectionOptions;
  user?: string;
  password?: Secret;
  from: string;
  to: string | string[];
  /** Put before every subject (default `[ferrotrade]`). */
  subjectPrefix?: string;
  /** Seconds to wait for the server at each step (default 30). */
  timeoutSeconds?: number;
}

type Transport = { sendMail(mail: object): Promise<{ messageId?: string; response?: string }>; close(): void };

/** The subject line: prefix, level and title. */
export function emailSubject(n: Notification, prefix = '[ferrotrade]'): string {
  return `${prefix ? `${prefix} ` : ''}${n.level}: ${n.title}`.replace(/[\r\n]+/g, ' ').slice(0, 200);
}

/** The HTML body: title, text, a table of fields, notes and time. */
export function emailHtml(n: Notification): string {
  const rows = n.fields.map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td><pre style="margin:0">${escapeHtml(v)}</pre></td></tr>`).join('');
  return [
    `<h3>${escapeHtml(n.level)}: ${escapeHtml(n.title)}</h3>`,
    n.text !== n.title ? `<p>${escapeHtml(n.text).replace(/\n/g, '<br>')}</p>` : '',
    rows ? `<table>${rows}</table>` : '',
    ...notes(n).map((x) => `<p><i>${escapeHtml(x)}</i></p>`),
    `<p><small>${escapeHtml([n.source, formatTime(n.time)].filter(Boolean).join(' · '))}</small></p>`,
  ].join('\n');
}

/** SMTP failures worth another attempt: lost or refused connections, timeouts, 4xx answers. */
function smtpError(channel: string, error: unknown): NotifySendError {
  const e = error as { code?: string; responseCode?: number; message?: string; response?: string };
  const code = e.responseCode;
  let transient = code !== undefined ? code >= 400 && code < 500 : ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET'].includes(e.code ?? '');
  const detail = e.message ?? String(error);
  // A certificate the client does not trust will not be trusted on the next attempt either.
  if (/certificate|CERT_/i.test(detail)) transient = false;
  return new NotifySendError(`${channel}: SMTP ${e.code ?? 'error'}${code !== undefined ? ` ${code}` : ''}: ${detail}`, channel, transient, code);
}

class EmailChannel extends BaseChannel {
  readonly kind = 'email';
  private transport: Transport | null = null;
  private readonly options: EmailOptions;
  private readonly password?: string;

  constructor(options: EmailOptions) {
    super('email', options, []);
    if (typeof options.host !== 'string' || options.host === '') throw new NotifyConfigError(`email channel '${this.name}': host is required`);
    if (!options.from) throw new NotifyConfigError(`email channel '${this.name}': from is required`);
    const to = Array.isArray(options.to) ? options.to : [options.to];
    if (to.length === 0 || to.some((t) => typeof t !== 'string' || !t.includes('@'))) {
      throw new NotifyConfigError(`email channel '${this.name}': to must be one or more e-mail addresses`);
    }
    const port = options.port ?? 587;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new NotifyConfigError(`email channel '${this.name}': port must be 1–65535, got ${options.port}`);
    const password = optionalSecret(options.password, `email channel '${this.name}': password`);
    if (password !== undefined) this.password = this.secret(password);
    if (password !== undefined && !options.user) throw new NotifyConfigError(`email channel '${this.name}': a password needs a user`);
    this.options = options;
  }

  private async transporter(): Promise<Transport> {
    if (this.transport) return this.transport;
    const nodemailer = await loadPeer<{ createTransport(options: object): Transport }>('nodemailer', 'the e-mail channel');
    const o = this.options;
    const port = o.port ?? 587;
    const secure = o.secure ?? port === 465;
    const timeout = (o.timeoutSeconds ?? 30) * 1000;
    this.transport = nodemailer.createTransport({
      host: o.host, port, secure, requireTLS: o.requireTLS ?? !secure,
      auth: o.user ? { user: o.user, pass: this.password } : undefined,
      tls: o.tls, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout,
      // No connection pool: each message is one short SMTP session, nothing idles between them.
      pool: false,
    });
    return this.transport;
  }

  async send(n: Notification, signal: AbortSignal): Promise<SendReceipt> {
    let transport: Transport;
    try {
      transport = await this.transporter();
    } catch (error) {
      if (error instanceof MissingDependencyError) throw new NotifySendError(`${this.name}: ${error.message}`, this.name, false);
      throw error;
    }
    signal.throwIfAborted();
    const headers: Record<string, string> = { 'X-Ferrotrade-Level': n.level, 'X-Ferrotrade-Event': n.type };
    if (levelRank(n.level) >= levelRank('ERROR')) {
      headers['X-Priority'] = '1';
      headers.Importance = 'high';
    }
    try {
      const info = await transport.sendMail({
        from: this.options.from, to: this.options.to, subject: emailSubject(n, this.options.subjectPrefix),
        text: plainText(n), html: emailHtml(n), headers,
      });
      return { id: info.messageId, status: Number(/^\d{3}/.exec(info.response ?? '')?.[0] ?? 250) };
    } catch (error) {
      throw smtpError(this.name, error);
    }
  }

  async close(): Promise<void> {
    this.transport?.close();
    this.transport = null;
  }
}

/** An e-mail channel (SMTP). */
export function email(options: EmailOptions): BaseChannel {
  return new EmailChannel(options);
}
