import { AlertRule, AlertStatus, Ring, RiskLevel, riskRank, type Alert, type AlertId } from '@seawall/contracts';
import { Router } from 'express';
import { z } from 'zod';
import { AlertTransitionError } from '../alerts/alert-book';
import type { AlertQuery } from '../store/alert-store';
import { requestAuth } from './authorize';
import { jsonBody } from './json-body';

const list = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .max(200)
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(item))
    .optional();

const AlertQuery = z.object({
  status: list(AlertStatus),
  level: list(RiskLevel),
  rule: list(AlertRule),
  ring: list(Ring),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

const ActionBody = z.object({ note: z.string().max(1024).optional() }).strict();

export interface AlertRoutesDeps {
  /** The alerts in memory: every open one, and those closed recently. */
  alerts: () => Alert[];
  /** Alerts from storage (all of them, however old). */
  storedAlerts: (q: AlertQuery) => Promise<Alert[]>;
  /** Changes an alert's status; resolves once the change is written. */
  transition: (id: AlertId, to: AlertStatus, actor: string, atMs: number, note?: string) => Promise<Alert>;
}

/** Highest level first, then newest first: the order an operator works through them. */
export function byLevelThenTime(a: Alert, b: Alert): number {
  return riskRank(b.level) - riskRank(a.level) || b.updatedAtMs - a.updatedAtMs || a.id.localeCompare(b.id);
}

/** `GET /api/alerts` with filters, and the operator actions on one alert. */
export function alertRoutes(deps: AlertRoutesDeps): Router {
  const router = Router();
  router.get('/alerts', async (req, res) => {
    const q = AlertQuery.safeParse(req.query);
    if (!q.success) {
      res.status(400).json({ error: 'bad-query', issues: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
      return;
    }
    const { status, level, rule, ring, from, to, limit } = q.data;
    const matches = (a: Alert) =>
      (!status || status.includes(a.status)) && (!level || level.includes(a.level)) && (!rule || rule.includes(a.rule)) &&
      (!ring || (a.ring !== null && ring.includes(a.ring))) && (from === undefined || a.raisedAtMs >= from) && (to === undefined || a.raisedAtMs <= to);
    // Memory is newer than storage (writes trail by a moment); storage holds what memory has let go.
    const byId = new Map<AlertId, Alert>();
    for (const a of await deps.storedAlerts({ status, level, rule, ring, fromMs: from, toMs: to, limit })) byId.set(a.id, a);
    for (const a of deps.alerts()) {
      if (matches(a)) byId.set(a.id, a);
      else byId.delete(a.id);
    }
    res.json({ alerts: [...byId.values()].sort(byLevelThenTime).slice(0, limit) });
  });

  const action = (path: string, to: AlertStatus) =>
    router.post(`/alerts/:id/${path}`, jsonBody('8kb'), async (req, res) => {
      const body = ActionBody.safeParse(req.body ?? {});
      if (!body.success) {
        res.status(400).json({ error: 'bad-body', issues: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
        return;
      }
      try {
        // Operator actions happen in wall time; observation time belongs to the sensors.
        // The actor is who signed in, never what the body says: the audit log must name the person.
        const alert = await deps.transition(req.params.id as AlertId, to, requestAuth(res).principal.name, Date.now(), body.data.note);
        res.json({ alert });
      } catch (err) {
        if (err instanceof AlertTransitionError) {
          res.status(err.code === 'not-found' ? 404 : 409).json({ error: err.code, message: err.message });
          return;
        }
        throw err;
      }
    });
  action('ack', 'acknowledged');
  action('resolve', 'resolved');
  action('false-alarm', 'false-alarm');
  return router;
}
