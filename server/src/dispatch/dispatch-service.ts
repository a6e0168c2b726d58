import { randomUUID } from 'node:crypto';
import type { Alert, AlertId, DispatchOrder, NewOrder, OrderId, Ring, Track, TrackId, Unit, UnitId, UnitStatus } from '@seawall/contracts';
import type { Logger } from 'pino';
import type { AlertEvent } from '../alerts/alert-book';
import { saveAlertEvent } from '../store/alert-store';
import type { Db, Executor } from '../store/db';
import { appendAudit } from '../store/audit-store';
import { findOrderByRequestId, loadOrders, saveOrder, type StoredOrder } from '../store/order-store';
import { geodesicDistancesM, loadUnits, saveUnit } from '../store/unit-store';
import { FINAL_ORDER_STATUSES, OrderTransitionError, applyOrderAction, overdueOrders, unitStatusFor, type OrderAction, type OrderActor } from './order-machine';
import { deadReckon } from '../fusion/geo-math';
import { interceptPoint } from './intercept';
import { candidateUnits, capabilitiesFor, rankSuggestions, type Suggestion } from './suggest';

/** Where the loop's changes go: socket.io rooms (operators, the unit concerned). */
export interface DispatchNotifier {
  order(order: DispatchOrder): void;
  unit(unit: Unit): void;
}

export interface DispatchDeps {
  db: Db;
  log: Logger;
  notify: DispatchNotifier;
  track(id: TrackId): Track | undefined;
  alert(id: AlertId): Alert | undefined;
  /**
   * Moves the alert an order came from (dispatched when sent, resolved with the order's outcome) in memory;
   * the service writes the event in the order's transaction, then publishes it (or undoes it).
   */
  stageAlert(id: AlertId, to: 'dispatched' | 'resolved', actor: string, atMs: number, note?: string): { event: AlertEvent; undo(): void };
  publishAlert(event: AlertEvent): void;
  /** Waits until alerts raised so far are written (an order refers to its alert's row). */
  alertsWritten(): Promise<void>;
  ringOf(lon: number, lat: number): Ring | null;
  acceptTimeoutMs: number;
  /** Operator time: dispatch runs on the wall clock, unlike fusion and rules. */
  now(): number;
}

export class DispatchInputError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'unit-busy' | 'bad-target',
  ) {
    super(message);
  }
}

/** A track's position is carried forward to now for at most this long; older, it stays where last seen. */
const MAX_DEAD_RECKON_MS = 15 * 60_000;

const sameOwner = (order: DispatchOrder, actor: OrderActor) => actor.role !== 'unit' || actor.unitId === order.unitId;

/**
 * The dispatch loop: units and orders in memory, every change written (order, unit and audit row in one
 * transaction) before anyone is told, so a restart loses nothing. Changes are serialised one at a time.
 */
export class DispatchService {
  private readonly units = new Map<UnitId, Unit>();
  private readonly orders = new Map<OrderId, StoredOrder>();
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly deps: DispatchDeps) {}

  static async start(deps: DispatchDeps): Promise<DispatchService> {
    const s = new DispatchService(deps);
    for (const u of await loadUnits(deps.db)) s.units.set(u.id, u);
    for (const o of (await loadOrders(deps.db, { limit: 2_000 })).reverse()) s.orders.set(o.id, o);
    return s;
  }

  allUnits(): Unit[] {
    return [...this.units.values()];
  }

  unit(id: UnitId): Unit | undefined {
    return this.units.get(id);
  }

  /** Orders, newest first; `unitId` narrows them to one unit's. */
  allOrders(unitId?: UnitId): StoredOrder[] {
    const list = [...this.orders.values()].filter((o) => !unitId || o.unitId === unitId);
    return list.sort((a, b) => b.createdAtMs - a.createdAtMs || a.id.localeCompare(b.id));
  }

  order(id: OrderId): StoredOrder | undefined {
    return this.orders.get(id);
  }

  /** The orders of a unit it has yet to finish: what its client is sent on (re)connecting. */
  pendingFor(unitId: UnitId): StoredOrder[] {
    return this.allOrders(unitId).filter((o) => !FINAL_ORDER_STATUSES.has(o.status));
  }

  /** Tracks a unit may see: its own and the targets of its unfinished orders. */
  tracksOf(unitId: UnitId): Set<TrackId> {
    const ids = new Set<TrackId>([`unit:${unitId}` as TrackId]);
    for (const o of this.pendingFor(unitId)) if (o.trackId) ids.add(o.trackId);
    return ids;
  }

  /** Where an order's target is: the alert's or track's latest position, or the point given. */
  resolveTarget(req: Pick<NewOrder, 'alertId' | 'trackId' | 'target'>): { lon: number; lat: number; trackId: TrackId | null; alertId: AlertId | null; sogKn: number | null; cogDeg: number | null } {
    const alert = req.alertId ? this.deps.alert(req.alertId) : undefined;
    if (req.alertId && !alert) throw new DispatchInputError(`no alert ${req.alertId}`, 'not-found');
    const trackId = req.trackId ?? alert?.trackIds[0] ?? null;
    const track = trackId ? this.deps.track(trackId) : undefined;
    if (req.trackId && !track) throw new DispatchInputError(`no track ${req.trackId} in the picture`, 'not-found');
    // Where the target is now, not where it was last seen: the intercept is worked out from this moment.
    const ageMs = track ? this.deps.now() - track.lastSeenMs : 0;
    const [trackLon, trackLat] = track && ageMs > 0 && ageMs <= MAX_DEAD_RECKON_MS ? deadReckon(track.lon, track.lat, track.sogKn, track.cogDeg, ageMs) : [track?.lon, track?.lat];
    const lon = trackLon ?? req.target?.lon ?? alert?.lon;
    const lat = trackLat ?? req.target?.lat ?? alert?.lat;
    if (lon === undefined || lat === undefined) throw new DispatchInputError('the order has no target position', 'bad-target');
    return { lon, lat, trackId: track ? track.id : null, alertId: alert?.id ?? null, sogKn: track?.sogKn ?? null, cogDeg: track?.cogDeg ?? null };
  }

  /** Units able to go, fastest to the (moving) target first; distances are geodesic, from PostGIS. */
  async suggest(req: Pick<NewOrder, 'alertId' | 'trackId' | 'target'>, capability?: Unit['capabilities'][number]): Promise<Suggestion[]> {
    const target = this.resolveTarget(req);
    const needed = capability ? [capability] : capabilitiesFor(this.deps.ringOf(target.lon, target.lat));
    const candidates = candidateUnits(this.units.values(), needed).map((unit) => ({
      unit,
      intercept: interceptPoint({ lon: unit.lon!, lat: unit.lat! }, unit.speedKn, target),
    }));
    const distances = await geodesicDistancesM(
      this.deps.db,
      candidates.map((c) => ({ from: [c.unit.lon!, c.unit.lat!], to: [c.intercept.lon, c.intercept.lat] })),
    );
    return rankSuggestions(candidates.map((c, i) => ({ ...c, distanceM: distances[i]! })));
  }

  /** Creates an order and sends it to the unit; the same `requestId` again returns the first order. */
  create(req: NewOrder, actor: OrderActor): Promise<StoredOrder> {
    return this.serial(async () => {
      if (req.requestId) {
        const existing = await findOrderByRequestId(this.deps.db, req.requestId);
        if (existing) return existing;
      }
      const unit = this.units.get(req.unitId);
      if (!unit) throw new DispatchInputError(`no unit ${req.unitId}`, 'not-found');
      if (unit.status === 'off-duty') throw new DispatchInputError(`unit ${unit.id} is off duty`, 'unit-busy');
      const target = this.resolveTarget(req);
      const now = this.deps.now();
      const created: StoredOrder = {
        id: `ord-${randomUUID()}` as OrderId,
        unitId: unit.id,
        alertId: target.alertId,
        trackId: target.trackId,
        target: { lon: target.lon, lat: target.lat },
        status: 'created',
        note: req.note ?? null,
        outcome: null,
        createdAtMs: now,
        updatedAtMs: now,
        createdBy: actor.name,
        deliveredAtMs: null,
        escalatedAtMs: null,
      };
      const sent = applyOrderAction(created, 'send', { role: 'system', name: 'system' }, now);
      const order: StoredOrder = { ...created, ...sent.order };
      const nextUnit: Unit = { ...unit, status: unitStatusFor(order.status) };
      const alert = order.alertId ? this.deps.alert(order.alertId) : undefined;
      const dispatched = alert && (alert.status === 'open' || alert.status === 'acknowledged') ? ({ to: 'dispatched', note: `order ${order.id} to ${unit.id}` } as const) : null;
      await this.writeWithAlert(order.alertId, dispatched, actor.name, now, async (tx) => {
        await saveOrder(tx, order, req.requestId ?? null);
        await appendAudit(tx, { atMs: now, actor: actor.name, action: 'order.created', subjectType: 'order', subjectId: order.id, detail: { unitId: unit.id, alertId: order.alertId, trackId: order.trackId, target: order.target } });
        await appendAudit(tx, { atMs: now, actor: 'system', action: 'order.sent', subjectType: 'order', subjectId: order.id, detail: { unitId: unit.id } });
        await saveUnit(tx, nextUnit);
      });
      this.orders.set(order.id, order);
      this.setUnit(nextUnit);
      this.deps.notify.order(order);
      return order;
    });
  }

  /** An operator's or the unit's step on an order; a repeated step changes nothing and is not an error. */
  act(id: OrderId, action: OrderAction, actor: OrderActor, opts: { outcome?: string; note?: string } = {}): Promise<StoredOrder> {
    return this.serial(async () => {
      const order = this.orders.get(id);
      if (!order || !sameOwner(order, actor)) throw new DispatchInputError(`no order ${id}`, 'not-found');
      const now = this.deps.now();
      const step = applyOrderAction(order, action, actor, now, opts);
      if (!step.applied) return order;
      const next: StoredOrder = { ...order, ...step.order };
      const unit = this.units.get(next.unitId);
      const nextUnit = unit && { ...unit, status: this.unitStatusWith(next) };
      const alert = next.alertId ? this.deps.alert(next.alertId) : undefined;
      const resolves = next.status === 'resolved' && alert && alert.status !== 'resolved' && alert.status !== 'false-alarm';
      await this.writeWithAlert(next.alertId, resolves ? { to: 'resolved', note: `order ${next.id}: ${next.outcome ?? ''}` } : null, actor.name, now, async (tx) => {
        await saveOrder(tx, next);
        await appendAudit(tx, {
          atMs: now, actor: actor.name, action: `order.${next.status}`, subjectType: 'order', subjectId: next.id,
          detail: { from: step.from, unitId: next.unitId, ...(opts.outcome ? { outcome: opts.outcome } : {}), ...(opts.note ? { note: opts.note } : {}) },
        });
        if (nextUnit) await saveUnit(tx, nextUnit);
      });
      this.orders.set(next.id, next);
      if (nextUnit) this.setUnit(nextUnit);
      this.deps.notify.order(next);
      return next;
    });
  }

  /** The unit's client confirmed it holds the order; idempotent. */
  delivered(id: OrderId, unitId: UnitId): Promise<StoredOrder> {
    return this.serial(async () => {
      const order = this.orders.get(id);
      if (!order || order.unitId !== unitId) throw new DispatchInputError(`no order ${id}`, 'not-found');
      if (order.deliveredAtMs) return order;
      const next = { ...order, deliveredAtMs: this.deps.now() };
      await this.deps.db.transaction(async (tx) => {
        await saveOrder(tx, next);
        await appendAudit(tx, { atMs: next.deliveredAtMs, actor: `unit:${unitId}`, action: 'order.delivered', subjectType: 'order', subjectId: id, detail: {} });
      });
      this.orders.set(id, next);
      this.deps.notify.order(next);
      return next;
    });
  }

  /** A new unit (supervisors), at its home base until it reports a position. */
  addUnit(unit: Unit, actor: string): Promise<Unit> {
    return this.serial(async () => {
      await this.deps.db.transaction(async (tx) => {
        await saveUnit(tx, unit);
        await appendAudit(tx, { atMs: this.deps.now(), actor, action: 'unit.created', subjectType: 'unit', subjectId: unit.id, detail: { kind: unit.kind } });
      });
      this.setUnit(unit);
      return unit;
    });
  }

  /** A unit's own report of its status or position (its client, or the command centre correcting it). */
  report(unitId: UnitId, r: { status?: UnitStatus; lon?: number; lat?: number }, actor: string): Promise<Unit> {
    return this.serial(async () => {
      const unit = this.units.get(unitId);
      if (!unit) throw new DispatchInputError(`no unit ${unitId}`, 'not-found');
      const now = this.deps.now();
      const next: Unit = {
        ...unit,
        ...(r.status ? { status: r.status } : {}),
        ...(r.lon !== undefined && r.lat !== undefined ? { lon: r.lon, lat: r.lat, positionAtMs: now } : {}),
      };
      await this.deps.db.transaction(async (tx) => {
        await saveUnit(tx, next);
        if (r.status && r.status !== unit.status) {
          await appendAudit(tx, { atMs: now, actor, action: 'unit.status', subjectType: 'unit', subjectId: unitId, detail: { from: unit.status, to: r.status } });
        }
      });
      this.setUnit(next);
      return next;
    });
  }

  /** A unit's position from the feed (`unit.position` observations): kept in memory, written now and then. */
  trackMoved(track: Track): void {
    if (track.kind !== 'unit') return;
    const unit = this.units.get(track.id.slice('unit:'.length) as UnitId);
    if (!unit || (unit.positionAtMs !== null && unit.positionAtMs >= track.lastSeenMs)) return;
    this.setUnit({ ...unit, lon: track.lon, lat: track.lat, positionAtMs: track.lastSeenMs });
  }

  /** Orders the unit has not accepted in time: recorded and pushed to operators once each. */
  escalate(): Promise<StoredOrder[]> {
    return this.serial(async () => {
      const now = this.deps.now();
      const out: StoredOrder[] = [];
      for (const o of overdueOrders(this.orders.values(), now, this.deps.acceptTimeoutMs)) {
        const stored = this.orders.get(o.id)!;
        if (stored.escalatedAtMs) continue;
        const next = { ...stored, escalatedAtMs: now };
        await this.deps.db.transaction(async (tx) => {
          await saveOrder(tx, next);
          await appendAudit(tx, { atMs: now, actor: 'system', action: 'order.escalated', subjectType: 'order', subjectId: o.id, detail: { unitId: o.unitId, waitedMs: now - o.updatedAtMs } });
        });
        this.orders.set(o.id, next);
        this.deps.notify.order(next);
        out.push(next);
      }
      return out;
    });
  }

  /** Writes the positions units reported through the feed (kept in memory in between). */
  async savePositions(): Promise<void> {
    await this.serial(async () => {
      for (const u of this.units.values()) await saveUnit(this.deps.db, u);
    });
  }

  /**
   * Runs `write` in one transaction together with the alert's status change, if any: the order's step and
   * what it does to its alert are written, or lost, together; only then is anyone told.
   */
  private async writeWithAlert(
    alertId: AlertId | null,
    change: { to: 'dispatched' | 'resolved'; note: string } | null,
    actor: string,
    atMs: number,
    write: (tx: Executor) => Promise<void>,
  ): Promise<void> {
    // Alert writes already queued go first: the order refers to the alert's row, and must not be overtaken.
    if (alertId) await this.deps.alertsWritten();
    const staged = alertId && change ? this.deps.stageAlert(alertId, change.to, actor, atMs, change.note) : null;
    try {
      await this.deps.db.transaction(async (tx) => {
        await write(tx);
        if (staged) await saveAlertEvent(tx, staged.event);
      });
    } catch (err) {
      staged?.undo();
      throw err;
    }
    if (staged) this.deps.publishAlert(staged.event);
  }

  /** A unit's status after a step on one of its orders: an order that ends leaves the unit on its others, if any. */
  private unitStatusWith(changed: StoredOrder): UnitStatus {
    if (!FINAL_ORDER_STATUSES.has(changed.status)) return unitStatusFor(changed.status);
    const rank: Partial<Record<StoredOrder['status'], number>> = { created: 0, sent: 1, accepted: 2, 'en-route': 3, 'on-scene': 4 };
    const others = this.pendingFor(changed.unitId).filter((o) => o.id !== changed.id);
    if (others.length === 0) return unitStatusFor(changed.status);
    const furthest = others.reduce((a, b) => ((rank[b.status] ?? 0) > (rank[a.status] ?? 0) ? b : a));
    return unitStatusFor(furthest.status);
  }

  private setUnit(unit: Unit): void {
    this.units.set(unit.id, unit);
    this.deps.notify.unit(unit);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

export { OrderTransitionError };
