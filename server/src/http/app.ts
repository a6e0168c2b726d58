import { existsSync } from 'node:fs';
import { loadLand } from '@seawall/geodata';
import express, { type Express, type Router } from 'express';
import type { Registry } from 'prom-client';
import type { AuthService } from '../auth/auth-service';
import { alertRoutes, type AlertRoutesDeps } from './alert-routes';
import { authRoutes } from './auth-routes';
import { authorize } from './authorize';
import { dispatchRoutes, type DispatchRoutesDeps } from './dispatch-routes';
import { openApiDocument } from './openapi';
import { trackRoutes, type TrackRoutesDeps } from './track-routes';

export interface HealthReport {
  status: 'ok' | 'degraded';
  database: { backend: 'pg' | 'pglite'; ok: boolean };
  mqtt: { url: string; connected: boolean; embedded: boolean };
  tracks: number;
  historyBuffered: number;
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
}

/** The REST surface: health, metrics, tracks and the geography the map draws. */
export function createApp(deps: AppDeps, onError?: (err: unknown) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  const land = loadLand();

  app.get('/health', async (_req, res) => {
    const report = await deps.health();
    res.status(report.status === 'ok' ? 200 : 503).json(report);
  });

  app.get('/metrics', async (_req, res) => {
    res.type(deps.registry.contentType).send(await deps.registry.metrics());
  });

  // Every /api request passes the role matrix first (route-permissions.ts); unknown routes end here as 404.
  app.use('/api', authorize(deps.auth, Date.now, deps.refused));
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
