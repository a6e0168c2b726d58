import { timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { loadLand } from '@seawall/geodata';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Registry } from 'prom-client';
import type { AuthService } from '../auth/auth-service';
import { loadServerConfig, type EdgeConfig } from '../config';
import { alertRoutes, type AlertRoutesDeps } from './alert-routes';
import { authRoutes } from './auth-routes';
import { authorize, bearerToken } from './authorize';
import { corsPolicy } from './cors';
import { jsonBody } from './json-body';
import { dispatchRoutes, type DispatchRoutesDeps } from './dispatch-routes';
import { openApiDocument } from './openapi';
import { RateLimiter } from './rate-limit';
import { securityHeaders } from './security-headers';
import { trackRoutes, type TrackRoutesDeps } from './track-routes';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: { backend: 'pg' | 'pglite'; ok: boolean };
  mqtt: { url: string; connected: boolean; embedded: boolean };
  tracks: number;
  historyBuffered: number;
  /** This instance's part in fusion (server/src/cluster): its region's leader, or a standby. */
  fusion?: { region: string; role: 'leader' | 'standby'; instanceId: string; redis: 'connected' | 'disconnected' | 'off' };
  /** Where observations stand between the broker and the database. */
  ingest: {
    /** Received, not yet acknowledged to the broker (acknowledged once written). */
    acksHeld: number;
    /** True while the database fails and observations are acknowledged before they are written. */
    acknowledgingUncommitted: boolean;
    /** Seconds from the gateway receiving the latest observation to the server applying it; null before any. */
    lagS: number | null;
    /** Alert and event writes waiting for the database. */
    writesQueued: number;
    /** Messages on observation topics refused since start (by reason: oversize, bad-json, schema, …). */
    rejected: Record<string, number>;
  };
}

export interface AppDeps extends AlertRoutesDeps, TrackRoutesDeps, DispatchRoutesDeps {
  auth: AuthService;
  /** Counts refused requests by reason (unauthorized, forbidden, bad login). */
  refused?: (reason: string) => void;
  health: () => Promise<HealthReport>;
  registry: Registry;
  webDist: string;
  /** GET /api/rings and /api/zones (see geo-routes.ts). */
  geo?: Router;
  /** CORS, CSP additions and rate limits (config `edge`); default: same origin and the defaults of config.ts. */
  edge?: EdgeConfig;
  /** Counts requests refused by a rate limit. */
  rateLimited?: (limit: 'api' | 'login') => void;
}

/** Longer request targets (path and query) are refused with 414: no route or filter needs a tenth of this. */
export const MAX_URL_LENGTH = 4096;

/** True when the header is `Bearer <expected>`, compared in constant time. */
function bearerIs(header: string | undefined, expected: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const want = Buffer.from(expected);
  return given.length === want.length && timingSafeEqual(given, want);
}

/** 429 with Retry-After (whole seconds, at least one). */
function tooMany(res: Response, retryAfterMs: number): void {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  res.status(429).set('Retry-After', String(seconds)).json({ error: 'rate-limited', message: `too many requests; retry in ${seconds} s` });
}

/** Whether a request carries a body (a length above zero, or chunked). */
const hasBody = (req: Request) => req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';

/** The REST surface: health, metrics, tracks and the geography the map draws. */
export function createApp(deps: AppDeps, onError?: (err: unknown) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  const land = loadLand();
  const edge = deps.edge ?? loadServerConfig({}).edge;

  app.use(securityHeaders(edge.cspExtraOrigins));
  app.use((req, res, next) => {
    if (req.url.length > MAX_URL_LENGTH) {
      res.status(414).json({ error: 'uri-too-long', message: `request targets are limited to ${MAX_URL_LENGTH} characters` });
      return;
    }
    // No id or filter holds U+0000, and PostgreSQL text cannot (see json-body.ts for bodies).
    if (/%00/.test(req.url)) {
      res.status(400).json({ error: 'bad-request', message: 'the request target must not contain U+0000 (%00)' });
      return;
    }
    next();
  });

  app.get('/health', async (_req, res) => {
    const report = await deps.health();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  app.get('/metrics', async (req, res) => {
    if (edge.metricsToken && !bearerIs(req.headers.authorization, edge.metricsToken)) {
      res.status(401).set('www-authenticate', 'Bearer').json({ error: 'unauthorized', message: 'metrics need the METRICS_TOKEN bearer token' });
      return;
    }
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });

  app.use('/api', corsPolicy(edge.corsOrigins));
  // Per signed-in user (a valid token), else per address: one user's many tabs share a budget.
  const perClient = new RateLimiter({ limit: edge.rateLimitPerMin, windowMs: 60_000, now: Date.now });
  app.use('/api', (req: Request, res: Response, next: NextFunction) => {
    const who = deps.auth.authenticate(bearerToken(req.headers.authorization), Date.now());
    const decision = perClient.take(who.ok ? `user:${who.principal.userId}` : `addr:${req.ip ?? ''}`);
    if (decision.ok) return next();
    deps.rateLimited?.('api');
    tooMany(res, decision.retryAfterMs);
  });
  // Password guessing: few tries per address and username (each try costs the server a memory-hard hash).
  const logins = new RateLimiter({ limit: edge.loginRateLimitPerMin, windowMs: 60_000, now: Date.now });
  app.post('/api/login', jsonBody('8kb'), (req: Request, res: Response, next: NextFunction) => {
    const username = (req.body as { username?: unknown } | undefined)?.username;
    const decision = logins.take(`${req.ip ?? ''}\n${typeof username === 'string' ? username.slice(0, 64) : ''}`);
    if (decision.ok) return next();
    deps.rateLimited?.('login');
    tooMany(res, decision.retryAfterMs);
  });

  // Every /api request passes the role matrix first (route-permissions.ts); unknown routes end here as 404.
  app.use('/api', authorize(deps.auth, Date.now, deps.refused));
  // Bodies are JSON (each router parses its own, with its size limit); anything else is refused, not ignored.
  app.use('/api', (req: Request, res: Response, next: NextFunction) => {
    if (!hasBody(req) || req.is('application/json')) return next();
    res.status(415).json({ error: 'unsupported-media-type', message: 'send the body as application/json' });
  });
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use('/api', authRoutes(deps.auth, Date.now, () => deps.refused?.('bad-login')));
  app.use('/api', trackRoutes(deps));

  app.get('/api/geo/land', (_req, res) => {
    res.json(land);
  });

  app.use('/api', alertRoutes(deps));

  if (deps.geo) app.use('/api', deps.geo);
  app.use('/api', dispatchRoutes(deps));

  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'not-found' });
  });

  if (existsSync(deps.webDist)) {
    app.use(express.static(deps.webDist, { index: 'index.html', maxAge: '1h' }));
  } else {
    app.get('/', (_req, res) => {
      res.status(503).type('text').send('The web client is not built: run `npm run build`.');
    });
  }
  // Last: errors become JSON. Body-parser errors carry their own 4xx status (malformed JSON, too large).
  app.use((err: { status?: number; type?: string; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500;
    if (status >= 500) onError?.(err);
    res.status(status).json({ error: status >= 500 ? 'internal' : (err.type ?? 'bad-request'), ...(status < 500 && err.message ? { message: err.message } : {}) });
  });
  return app;
}
