/**
 * The dashboard's web server (fastify, with its websocket, static, rate-limit and helmet
 * plugins): the page, the charts library, a websocket that pushes the session's state as it
 * changes, and the kill switch behind a token.
 *
 * Security, as DESIGN.md sets it: loopback unless told otherwise (and never another address
 * without a token); control actions need the token in an `Authorization: Bearer` header,
 * compared in constant time; the token and any other secret never reach the page, which only
 * holds what the user types into it; websocket connections from another origin are refused.
 */
import { timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';

import { ParamError } from '../errors.js';
import type { FerroEvent } from '../events/types.js';
import { importWithPeers } from '../optional-peer.js';
import { DASHBOARD_SCRIPT, dashboardPage } from './page.js';
import { DashboardState } from './state.js';

/** Where the dashboard's events come from: the bus of a session in this process, or a journal it follows. */
export interface DashboardFeed {
  /** Calls `handler` for each event; returns the unsubscribe. */
  subscribe(handler: (event: FerroEvent) => void): () => void;
  /** Stops the feed (called when the dashboard closes). */
  close?(): void | Promise<void>;
}

/** What the kill switch asks for. */
export interface KillRequest {
  flatten: boolean;
  reason: string;
}

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  feed: DashboardFeed;
  /** Address to bind (default `127.0.0.1`). Another address needs a `token`. */
  host?: string;
  /** Port (default 0: any free port; read it from the result). */
  port?: number;
  /**
   * The token control actions need. Without one, control is off (the kill switch answers 403).
   * Give it from the environment or a 0600 file, never on a command line others can read.
   */
  token?: string;
  /** Trips the session's kill switch; without it the kill switch answers 501. */
  killSwitch?(request: KillRequest): Promise<void>;
  /** Reads the account's value, polled every `equityEveryMs` for the equity chart. */
  equity?(): number;
  /** Default 1000 ms. */
  equityEveryMs?: number;
  /** Page title (default 'ferrotrade'). */
  title?: string;
  /** Kill-switch requests per minute from one address (default 10). */
  controlRatePerMinute?: number;
}

/** A running dashboard. */
export interface Dashboard {
  /** `http://host:port/`. */
  readonly url: string;
  readonly port: number;
  readonly state: DashboardState;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const PEERS = ['fastify', '@fastify/websocket', '@fastify/static', '@fastify/rate-limit', '@fastify/helmet'];

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Starts the dashboard of a live session.
 *
 * ```ts
 * const bus = new EventBus();
 * const dash = await startDashboard({ feed: busFeed(bus), token: process.env.FERROTRADE_DASHBOARD_TOKEN,
 *   killSwitch: (r) => cerebro.risk!.killSwitch(r), equity: () => cerebro.broker.getValue() });
 * console.log(dash.url);
 * ```
 * @throws ParamError for a non-loopback host without a token, a bad port or token;
 *   MissingPeerError when fastify or one of its plugins is not installed.
 */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const token = options.token;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ParamError(`dashboard: port must be 0..65535, got ${port}`);
  if (token !== undefined && (typeof token !== 'string' || token.length < 16)) {
    throw new ParamError('dashboard: the token must be a string of 16 characters or more (e.g. openssl rand -hex 24)');
  }
  if (!LOOPBACK.has(host) && token === undefined) {
    throw new ParamError(`dashboard: binding ${host} exposes the session beyond this machine; give a token (FERROTRADE_DASHBOARD_TOKEN) or bind 127.0.0.1`);
  }
  const [{ default: Fastify }, { default: websocket }, { default: fastifyStatic }, { default: rateLimit }, { default: helmet }] = await importWithPeers(
    () => Promise.all([import('fastify'), import('@fastify/websocket'), import('@fastify/static'), import('@fastify/rate-limit'), import('@fastify/helmet')]),
    PEERS,
    'the dashboard',
  );

  const state = new DashboardState();
  const app = Fastify({ logger: false });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], connectSrc: ["'self'"], imgSrc: ["'self'", 'data:'] },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(websocket);
  const charts = dirname(createRequire(import.meta.url).resolve('lightweight-charts/package.json'));
  await app.register(fastifyStatic, { root: join(charts, 'dist'), prefix: '/assets/', allowedPath: (path) => path === '/lightweight-charts.standalone.production.js' });

  const title = options.title ?? 'ferrotrade';
  app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(dashboardPage(title, { control: token !== undefined && options.killSwitch !== undefined })));
  app.get('/app.js', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send(DASHBOARD_SCRIPT));
  // Browsers ask for it; no icon is better than a 404 in the console.
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
  app.get('/api/state', async () => state.snapshot());

  const sockets = new Set<{ send(data: string): void; close(): void; readyState: number }>();
  app.get('/ws', { websocket: true }, (socket, req) => {
    // A page from another site may open a websocket to localhost: only our own page may.
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}`) {
      socket.close(1008, 'origin not allowed');
      return;
    }
    sockets.add(socket);
    socket.send(JSON.stringify({ type: 'snapshot', state: state.snapshot() }));
    socket.on('close', () => sockets.delete(socket));
  });

  app.post('/api/kill', { config: { rateLimit: { max: options.controlRatePerMinute ?? 10, timeWindow: '1 minute' } } }, async (req, reply) => {
    if (token === undefined) return reply.code(403).send({ error: 'control is off: start the dashboard with a token (FERROTRADE_DASHBOARD_TOKEN) to use the kill switch' });
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    if (!given || !sameToken(given, token)) return reply.code(401).send({ error: 'the kill switch needs the dashboard token (Authorization: Bearer <token>)' });
    if (!options.killSwitch) return reply.code(501).send({ error: 'this dashboard has no session to control' });
    const body = (req.body ?? {}) as { flatten?: unknown; reason?: unknown };
    const request = { flatten: body.flatten === true, reason: typeof body.reason === 'string' && body.reason ? body.reason.slice(0, 200) : 'dashboard' };
    await options.killSwitch(request);
    return { ok: true, ...request };
  });

  // State changes are pushed at most every 100 ms: a burst of fills is one message, not hundreds.
  let dirty = false;
  const unsubscribe = options.feed.subscribe((event) => {
    if (state.apply(event)) dirty = true;
  });
  const push = setInterval(() => {
    if (!dirty || sockets.size === 0) return;
    dirty = false;
    const message = JSON.stringify({ type: 'snapshot', state: state.snapshot() });
    for (const s of sockets) if (s.readyState === 1) s.send(message);
  }, 100);
  push.unref();
  let equityTimer: NodeJS.Timeout | undefined;
  if (options.equity) {
    const read = options.equity;
    const sample = () => {
      try {
        state.addEquity(Date.now(), read());
        dirty = true;
      } catch {
        // The account is between states (starting, stopping): the next reading will do.
      }
    };
    sample();
    equityTimer = setInterval(sample, options.equityEveryMs ?? 1000);
    equityTimer.unref();
  }

  await app.listen({ host, port });
  const address = app.server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/`,
    port: address.port,
    state,
    async close() {
      clearInterval(push);
      if (equityTimer) clearInterval(equityTimer);
      unsubscribe();
      for (const s of sockets) s.close();
      await options.feed.close?.();
      await app.close();
    },
  };
}
