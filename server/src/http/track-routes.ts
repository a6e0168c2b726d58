import { Ring, RiskLevel, TrackKind, type Alert, type Track, type TrackEvent, type TrackId } from '@seawall/contracts';
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { HistoryPoint } from '../store/history-reader';
import type { EventQuery } from '../store/event-store';
import { requestAuth, type RequestAuth } from './authorize';

const list = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(item))
    .optional();

const Bbox = z
  .string()
  .max(200)
  .transform((s) => s.split(',').map(Number))
  .pipe(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90), z.number().min(-180).max(180), z.number().min(-90).max(90)]))
  .refine(([w, s, e, n]) => w <= e && s <= n, 'bbox is west,south,east,north');

const TrackQuery = z.object({ bbox: Bbox.optional(), ring: list(Ring), level: list(RiskLevel), source: list(TrackKind) }).strict();
const TimeWindow = z
  .object({
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(50_000).optional(),
    trackId: z.string().max(128).optional(),
  })
  .strict();

export interface TrackRoutesDeps {
  tracks: () => Track[];
  track: (id: TrackId) => Track | undefined;
  alerts: () => Alert[];
  history: (id: TrackId, fromMs: number, toMs: number, limit: number) => Promise<HistoryPoint[]>;
  events: (q: EventQuery) => Promise<TrackEvent[]>;
  /** Whether a caller whose scope is `own` may see this track (a unit: its own and its orders' targets). */
  ownsTrack: (auth: RequestAuth, id: TrackId) => boolean;
}

function badRequest(res: Response, issues: z.core.$ZodIssue[]): void {
  res.status(400).json({ error: 'bad-query', issues: issues.map((i) => `${i.path.join('.') || '(query)'}: ${i.message}`) });
}

const DAY_MS = 24 * 3600_000;

/** The live picture with filters, one track, its history from PostGIS as GeoJSON, and ring/zone events. */
export function trackRoutes(deps: TrackRoutesDeps): Router {
  const router = Router();
  const visible = (res: Response, id: TrackId) => {
    const auth = requestAuth(res);
    return auth.scope === 'all' || deps.ownsTrack(auth, id);
  };

  router.get('/tracks', (req, res) => {
    const q = TrackQuery.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error.issues);
    const { bbox, ring, level, source } = q.data;
    const tracks = deps.tracks().filter(
      (t) =>
        (!bbox || (t.lon >= bbox[0] && t.lat >= bbox[1] && t.lon <= bbox[2] && t.lat <= bbox[3])) &&
        (!ring || (t.ring !== null && ring.includes(t.ring))) &&
        (!level || (t.level !== null && level.includes(t.level))) &&
        (!source || source.includes(t.kind)) &&
        visible(res, t.id),
    );
    res.json({ tracks });
  });

  router.get('/tracks/:id', (req, res) => {
    const track = deps.track(req.params.id as TrackId);
    if (!track || !visible(res, track.id)) {
      res.status(404).json({ error: 'not-found' });
      return;
    }
    const alerts = requestAuth(res).scope !== 'all' ? [] : deps.alerts().filter((a) => a.trackIds.includes(track.id) && ['open', 'acknowledged', 'dispatched'].includes(a.status));
    res.json({ track, alerts });
  });

  router.get('/tracks/:id/history', async (req, res) => {
    const q = TimeWindow.omit({ trackId: true }).safeParse(req.query);
    if (!q.success) return badRequest(res, q.error.issues);
    if (!visible(res, req.params.id as TrackId)) {
      res.status(404).json({ error: 'not-found' });
      return;
    }
    const to = q.data.to ?? deps.track(req.params.id as TrackId)?.lastSeenMs ?? Date.now();
    const from = q.data.from ?? to - DAY_MS;
    if (from > to) return badRequest(res, [{ code: 'custom', path: ['from'], message: 'from is after to', input: from } as z.core.$ZodIssue]);
    const points = await deps.history(req.params.id as TrackId, from, to + 1, q.data.limit ?? 10_000);
    res.json({
      type: 'FeatureCollection',
      features: [
        ...(points.length > 1
          ? [{ type: 'Feature', properties: { trackId: req.params.id, fromMs: points[0]!.atMs, toMs: points.at(-1)!.atMs }, geometry: { type: 'LineString', coordinates: points.map((p) => [p.lon, p.lat]) } }]
          : []),
        ...points.map((p) => ({ type: 'Feature', properties: { atMs: p.atMs, sogKn: p.sogKn, cogDeg: p.cogDeg, sensorId: p.sensorId }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } })),
      ],
    });
  });

  router.get('/events', async (req, res) => {
    const q = TimeWindow.safeParse(req.query);
    if (!q.success) return badRequest(res, q.error.issues);
    res.json({ events: await deps.events({ fromMs: q.data.from, toMs: q.data.to, trackId: q.data.trackId as TrackId | undefined, limit: q.data.limit ?? 1000 }) });
  });
  return router;
}
