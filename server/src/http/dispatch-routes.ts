import { Capability, NewOrder, Unit, UnitId, UnitStatus, type OrderId, type TrackId, type AlertId } from '@seawall/contracts';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { DispatchInputError, type DispatchService } from '../dispatch/dispatch-service';
import { OrderTransitionError, type OrderAction, type OrderActor } from '../dispatch/order-machine';
import type { AuditEntry } from '../store/audit-store';
import { requestAuth, type RequestAuth } from './authorize';
import { jsonBody } from './json-body';
import { sendIssues } from './send-issues';

const ActionBody = z.object({ outcome: z.string().min(1).max(1024).optional(), note: z.string().max(1024).optional() }).strict();
const Report = z
  .object({ status: UnitStatus.optional(), lon: z.number().min(-180).max(180).optional(), lat: z.number().min(-90).max(90).optional() })
  .strict()
  .refine((r) => (r.lon === undefined) === (r.lat === undefined), 'lon and lat go together');
const SuggestQuery = z
  .object({
    alertId: z.string().max(128).optional(),
    trackId: z.string().max(128).optional(),
    lon: z.coerce.number().min(-180).max(180).optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    capability: Capability.optional(),
  })
  .strict()
  .refine((q) => q.alertId || q.trackId || (q.lon !== undefined && q.lat !== undefined), 'give alertId, trackId or lon and lat');
const AuditQuery = z
  .object({
    subjectType: z.enum(['alert', 'order', 'unit']).optional(),
    subjectId: z.string().max(128).optional(),
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1_000),
  })
  .strict();

/** The order-machine's actor for the caller. */
export function actorOf(auth: RequestAuth['principal']): OrderActor {
  if (auth.role === 'unit' || auth.role === 'drone-crew') return { role: 'unit', name: auth.name, unitId: auth.unitId ?? '' };
  return { role: auth.role, name: auth.name };
}

/** Dispatch errors as HTTP answers; anything else is the server's fault. */
export function sendDispatchError(res: Response, err: unknown): void {
  if (err instanceof DispatchInputError) {
    res.status(err.code === 'not-found' ? 404 : err.code === 'unit-busy' ? 409 : 400).json({ error: err.code, message: err.message });
    return;
  }
  if (err instanceof OrderTransitionError) {
    res.status(err.code === 'forbidden' ? 403 : err.code === 'bad-transition' ? 409 : 400).json({ error: err.code, message: err.message });
    return;
  }
  throw err;
}

export interface DispatchRoutesDeps {
  dispatch: DispatchService;
  audit: (q: { subjectType?: string; subjectId?: string; fromMs?: number; toMs?: number; limit: number }) => Promise<AuditEntry[]>;
}

/** Units, orders (create, suggest, every step) and the audit log. */
export function dispatchRoutes({ dispatch, audit }: DispatchRoutesDeps): Router {
  const router = Router();
  const body = jsonBody('16kb');
  const ownUnit = (res: Response) => {
    const auth = requestAuth(res);
    return auth.scope === 'all' ? undefined : ((auth.principal.unitId ?? '-') as UnitId);
  };

  router.get('/units', (_req, res) => {
    const own = ownUnit(res);
    res.json({ units: dispatch.allUnits().filter((u) => !own || u.id === own) });
  });

  router.post('/units', body, async (req, res) => {
    const q = Unit.omit({ lon: true, lat: true, positionAtMs: true }).strict().safeParse(req.body ?? {});
    if (!q.success) return sendIssues(res, 'bad-body', q.error.issues);
    if (dispatch.unit(q.data.id)) {
      res.status(409).json({ error: 'unit-exists', message: `unit ${q.data.id} exists` });
      return;
    }
    res.status(201).json({ unit: await dispatch.addUnit({ ...q.data, lon: null, lat: null, positionAtMs: null }, requestAuth(res).principal.name) });
  });

  router.post('/units/:id/report', body, async (req, res) => {
    const q = Report.safeParse(req.body ?? {});
    if (!q.success) return sendIssues(res, 'bad-body', q.error.issues);
    const own = ownUnit(res);
    if (own && own !== req.params.id) {
      res.status(404).json({ error: 'not-found' });
      return;
    }
    try {
      res.json({ unit: await dispatch.report(req.params.id as UnitId, q.data, requestAuth(res).principal.name) });
    } catch (err) {
      sendDispatchError(res, err);
    }
  });

  router.get('/orders', (_req, res) => {
    res.json({ orders: dispatch.allOrders(ownUnit(res)) });
  });

  router.get('/orders/suggestions', async (req, res) => {
    const q = SuggestQuery.safeParse(req.query);
    if (!q.success) return sendIssues(res, 'bad-query', q.error.issues);
    const { alertId, trackId, lon, lat, capability } = q.data;
    try {
      const target = { alertId: alertId as AlertId | undefined, trackId: trackId as TrackId | undefined, target: lon !== undefined && lat !== undefined ? { lon, lat } : undefined };
      res.json({ suggestions: await dispatch.suggest(target, capability) });
    } catch (err) {
      sendDispatchError(res, err);
    }
  });

  router.get('/orders/:id', (req, res) => {
    const order = dispatch.order(req.params.id as OrderId);
    const own = ownUnit(res);
    if (!order || (own && order.unitId !== own)) {
      res.status(404).json({ error: 'not-found' });
      return;
    }
    res.json({ order });
  });

  router.post('/orders', body, async (req, res) => {
    const q = NewOrder.safeParse(req.body ?? {});
    if (!q.success) return sendIssues(res, 'bad-body', q.error.issues);
    try {
      res.status(201).json({ order: await dispatch.create(q.data, actorOf(requestAuth(res).principal)) });
    } catch (err) {
      sendDispatchError(res, err);
    }
  });

  const step = (path: string, action: OrderAction) =>
    router.post(`/orders/:id/${path}`, body, async (req, res) => {
      const q = ActionBody.safeParse(req.body ?? {});
      if (!q.success) return sendIssues(res, 'bad-body', q.error.issues);
      try {
        res.json({ order: await dispatch.act(req.params.id as OrderId, action, actorOf(requestAuth(res).principal), q.data) });
      } catch (err) {
        sendDispatchError(res, err);
      }
    });
  step('cancel', 'cancel');
  step('resolve', 'resolve');
  step('accept', 'accept');
  step('reject', 'reject');
  step('en-route', 'en-route');
  step('on-scene', 'on-scene');

  router.post('/orders/:id/received', async (req, res) => {
    try {
      res.json({ order: await dispatch.delivered(req.params.id as OrderId, (requestAuth(res).principal.unitId ?? '-') as UnitId) });
    } catch (err) {
      sendDispatchError(res, err);
    }
  });

  router.get('/audit', async (req, res) => {
    const q = AuditQuery.safeParse(req.query);
    if (!q.success) return sendIssues(res, 'bad-query', q.error.issues);
    res.json({ entries: await audit({ subjectType: q.data.subjectType, subjectId: q.data.subjectId, fromMs: q.data.from, toMs: q.data.to, limit: q.data.limit }) });
  });
  return router;
}
