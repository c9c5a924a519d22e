/**
 * Loopback stand-ins for the providers the notifier talks to: an HTTP server that records each
 * request and answers as the test says, and a real SMTP server (smtp-server) with STARTTLS on a
 * self-signed certificate and authentication.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

/** One request as the server received it. */
export interface Received {
  method: string;
  /** Path and query. */
  path: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
  /** When it arrived (ms, wall clock). */
  at: number;
}

/** What to answer: a status, headers and a body; `hang` never answers. */
export type Answer = { status: number; headers?: Record<string, string>; body?: string | object } | 'hang';

export interface HttpDouble {
  /** `http://127.0.0.1:PORT` */
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** Starts an HTTP server on a free loopback port; `answer` gets each request and its 0-based number. */
export async function startHttp(answer: (req: Received, k: number) => Answer | Promise<Answer>): Promise<HttpDouble> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const r: Received = {
        method: req.method ?? '', path: req.url ?? '', url: new URL(req.url ?? '/', 'http://127.0.0.1'), headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'), at: Date.now(),
      };
      received.push(r);
      const a = await answer(r, received.length - 1);
      if (a === 'hang') return;
      const body = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
      res.writeHead(a.status, { 'content-type': typeof a.body === 'object' ? 'application/json' : 'text/plain', ...a.headers });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A free loopback port with nothing listening (for "connection refused"). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const TLS_DIR = join(import.meta.dirname, '..', 'fixtures', 'tls');
/** The self-signed certificate of `localhost` / 127.0.0.1 the SMTP double presents. */
export const TEST_CERT = readFileSync(join(TLS_DIR, 'localhost.crt'), 'utf8');
const TEST_KEY = readFileSync(join(TLS_DIR, 'localhost.key'), 'utf8');

/** One e-mail as the SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The whole message as sent. */
  raw: string;
  /** Header lines, names lower-cased (folded lines joined). */
  headers: Map<string, string>;
  /** Whether the session was encrypted (STARTTLS done, or implicit TLS). */
  secure: boolean;
  /** The user that logged in. */
  user?: string;
}

export interface SmtpDouble {
  port: number;
  mails: ReceivedMail[];
  /** Logins tried: user and whether they succeeded. */
  logins: Array<{ user: string; ok: boolean }>;
  close(): Promise<void>;
}

/** Decodes quoted-printable soft breaks and escapes, enough to search a body for text. */
export function decodeQuotedPrintable(text: string): string {
  return Buffer.from(text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

/**
 * Starts an SMTP server: with `secure`, TLS from the first byte; otherwise plain with STARTTLS
 * offered. Accepts the login `user`/`password` and refuses others (535).
 */
export async function startSmtp(options: { secure?: boolean; user: string; password: string }): Promise<SmtpDouble> {
  const mails: ReceivedMail[] = [];
  const logins: Array<{ user: string; ok: boolean }> = [];
  const server = new SMTPServer({
    secure: options.secure ?? false,
    key: TEST_KEY,
    cert: TEST_CERT,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    // Logins only over an encrypted session (smtp-server's default refuses them in clear).
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.user && auth.password === options.password;
      logins.push({ user: auth.username ?? '', ok });
      if (!ok) return callback(new Error('Invalid username or password'));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const head = raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, ' ');
        const headers = new Map<string, string>();
        for (const line of head.split(/\r?\n/)) {
          const at = line.indexOf(':');
          if (at > 0) headers.set(line.slice(0, at).toLowerCase(), line.slice(at + 1).trim());
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw, headers, secure: session.secure, user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, logins, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Servers a test file starts, closed after each test: `const track = serverTracker(); afterEach(track.closeAll)`. */
export function serverTracker() {
  const open: Array<{ close(): Promise<void> }> = [];
  return {
    /** Starts an HTTP double that is closed after the test. */
    async http(...args: Parameters<typeof startHttp>): Promise<HttpDouble> {
      const s = await startHttp(...args);
      open.push(s);
      return s;
    },
    /** Closes `server` after the test too. */
    add<T extends { close(): Promise<void> }>(server: T): T {
      open.push(server);
      return server;
    },
    closeAll: async (): Promise<void> => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    },
  };
}
