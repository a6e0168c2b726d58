import type { AlertId, DispatchOrder, OrderId, OrderStatus, TrackId, UnitId } from '@seawall/contracts';
import { DispatchOrder as DispatchOrderSchema } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import {
  FINAL_ORDER_STATUSES,
  ORDER_ACTIONS,
  OrderTransitionError,
  applyOrderAction,
  availableActions,
  overdueOrders,
  unitStatusFor,
  type OrderAction,
  type OrderActor,
} from './order-machine';

const T0 = Date.UTC(2026, 0, 15, 14, 0, 0);
const system: OrderActor = { role: 'system', name: 'dispatch-outbox' };
const operator: OrderActor = { role: 'operator', name: 'op-li' };
const supervisor: OrderActor = { role: 'supervisor', name: 'sup-wang' };
const pb01: OrderActor = { role: 'unit', name: 'Patrol boat 01', unitId: 'pb-01' };
const pb02: OrderActor = { role: 'unit', name: 'Patrol boat 02', unitId: 'pb-02' };

function order(status: OrderStatus = 'created', over: Partial<DispatchOrder> = {}): DispatchOrder {
  return {
    id: 'ord-1' as OrderId,
    unitId: 'pb-01' as UnitId,
    alertId: 'unidentified-target|radar:rdr-haikou:7|1768485600000' as AlertId,
    trackId: 'radar:rdr-haikou:7' as TrackId,
    target: { lon: 110.45, lat: 20.15 },
    status,
    note: 'radar-only target heading for the shore',
    outcome: null,
    createdAtMs: T0,
    updatedAtMs: T0,
    createdBy: 'op-li',
    ...over,
  };
}

function errorOf(fn: () => unknown): OrderTransitionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof OrderTransitionError) return e;
    throw e;
  }
  throw new Error('expected an OrderTransitionError');
}

describe('applyOrderAction', () => {
  it('walks an order from created to resolved, each step stamped and the final order valid against the contract', () => {
    let o = order();
    const steps: [OrderAction, OrderActor, number][] = [
      ['send', system, T0 + 1_000],
      ['accept', pb01, T0 + 30_000],
      ['en-route', pb01, T0 + 45_000],
      ['on-scene', pb01, T0 + 20 * 60_000],
      ['resolve', pb01, T0 + 50 * 60_000],
    ];
    const seen: [OrderStatus, OrderStatus][] = [];
    for (const [action, actor, at] of steps) {
      const step = applyOrderAction(o, action, actor, at, action === 'resolve' ? { outcome: 'fishing boat, papers in order' } : {});
      expect(step).toMatchObject({ applied: true, actor, atMs: at, order: { updatedAtMs: at } });
      seen.push([step.from, step.to]);
      o = step.order;
    }
    expect(seen).toEqual([
      ['created', 'sent'],
      ['sent', 'accepted'],
      ['accepted', 'en-route'],
      ['en-route', 'on-scene'],
      ['on-scene', 'resolved'],
    ]);
    expect(o).toMatchObject({ status: 'resolved', outcome: 'fishing boat, papers in order', note: 'radar-only target heading for the shore' });
    expect(DispatchOrderSchema.safeParse(o).success).toBe(true);
  });

  it('does not change the order it was given', () => {
    const o = order('sent');
    const copy = structuredClone(o);
    applyOrderAction(o, 'accept', pb01, T0 + 5_000);
    expect(o).toEqual(copy);
  });

  it('lets the unit reject a sent order, which is then final', () => {
    const step = applyOrderAction(order('sent'), 'reject', pb01, T0 + 10_000, { note: 'engine fault' });
    expect(step).toMatchObject({ applied: true, from: 'sent', to: 'rejected', note: 'engine fault' });
    expect(FINAL_ORDER_STATUSES.has(step.order.status)).toBe(true);
    expect(errorOf(() => applyOrderAction(step.order, 'accept', pb01, T0 + 20_000)).code).toBe('bad-transition');
  });

  it('carries the note on the step but leaves the order note (the operator’s instruction) alone', () => {
    const step = applyOrderAction(order('accepted'), 'en-route', pb01, T0 + 1_000, { note: 'leaving Haikou harbour' });
    expect(step.note).toBe('leaving Haikou harbour');
    expect(step.order.note).toBe('radar-only target heading for the shore');
    expect('note' in applyOrderAction(order('accepted'), 'en-route', pb01, T0 + 1_000)).toBe(false);
  });

  it('never moves updatedAtMs back when a step arrives stamped earlier than the last change', () => {
    const step = applyOrderAction(order('sent', { updatedAtMs: T0 + 60_000 }), 'accept', pb01, T0 + 30_000);
    expect(step).toMatchObject({ applied: true, atMs: T0 + 30_000, order: { status: 'accepted', updatedAtMs: T0 + 60_000 } });
  });

  describe('who may act', () => {
    it.each<[string, OrderStatus, OrderAction, OrderActor]>([
      ['another unit accepting pb-01’s order', 'sent', 'accept', pb02],
      ['another unit rejecting it', 'sent', 'reject', pb02],
      ['another unit reporting en route', 'accepted', 'en-route', pb02],
      ['another unit reporting on scene', 'en-route', 'on-scene', pb02],
      ['another unit resolving it', 'on-scene', 'resolve', pb02],
      ['another unit repeating an accept that pb-01 made', 'accepted', 'accept', pb02],
      ['a unit actor with no unit id', 'sent', 'accept', { role: 'unit', name: 'anonymous' }],
      ['the operator accepting on the unit’s behalf', 'sent', 'accept', operator],
      ['the supervisor reporting en route', 'accepted', 'en-route', supervisor],
      ['the system rejecting', 'sent', 'reject', system],
      ['the system resolving', 'on-scene', 'resolve', system],
      ['the system cancelling', 'sent', 'cancel', system],
      ['the unit cancelling its own order', 'accepted', 'cancel', pb01],
      ['the unit sending its own order', 'created', 'send', pb01],
    ])('refuses %s as forbidden', (_, status, action, actor) => {
      const e = errorOf(() => applyOrderAction(order(status), action, actor, T0 + 1_000, { outcome: 'done' }));
      expect(e.code).toBe('forbidden');
      expect(e).toBeInstanceOf(Error);
    });

    it('names the unit the order is for when another unit tries it', () => {
      expect(errorOf(() => applyOrderAction(order('sent'), 'accept', pb02, T0)).message).toMatch(/pb-02.*pb-01/);
    });

    it.each<[string, OrderStatus, OrderAction, OrderActor]>([
      ['the system sends', 'created', 'send', system],
      ['an operator sends', 'created', 'send', operator],
      ['a supervisor sends', 'created', 'send', supervisor],
      ['the operator resolves on the unit’s report', 'on-scene', 'resolve', operator],
      ['a supervisor resolves', 'on-scene', 'resolve', supervisor],
      ['an operator cancels a created order', 'created', 'cancel', operator],
      ['a supervisor cancels a unit on scene', 'on-scene', 'cancel', supervisor],
    ])('allows it when %s', (_, status, action, actor) => {
      expect(applyOrderAction(order(status), action, actor, T0 + 1_000, { outcome: 'done' }).applied).toBe(true);
    });
  });

  describe('repeated commands', () => {
    it.each<[OrderStatus, OrderAction, OrderActor]>([
      ['sent', 'send', system],
      ['accepted', 'send', operator],
      ['rejected', 'send', system],
      ['resolved', 'send', system],
      ['accepted', 'accept', pb01],
      ['en-route', 'accept', pb01],
      ['on-scene', 'accept', pb01],
      ['resolved', 'accept', pb01],
      ['rejected', 'reject', pb01],
      ['en-route', 'en-route', pb01],
      ['on-scene', 'en-route', pb01],
      ['on-scene', 'on-scene', pb01],
      ['resolved', 'on-scene', pb01],
      ['resolved', 'resolve', pb01],
      ['resolved', 'resolve', operator],
      ['cancelled', 'cancel', supervisor],
    ])('on a %s order, %s is a no-op that returns the same order', (status, action, actor) => {
      const o = order(status, { outcome: status === 'resolved' ? 'papers in order' : null });
      const step = applyOrderAction(o, action, actor, T0 + 99_000, { outcome: 'something else' });
      expect(step).toMatchObject({ applied: false, from: status, to: status, atMs: T0 + 99_000 });
      expect(step.order).toBe(o);
    });

    it('treats a repeated resolve without an outcome as a no-op, keeping the first outcome', () => {
      const step = applyOrderAction(order('resolved', { outcome: 'papers in order' }), 'resolve', pb01, T0 + 1_000);
      expect(step).toMatchObject({ applied: false, order: { outcome: 'papers in order' } });
    });
  });

  describe('steps out of order', () => {
    it.each<[OrderStatus, OrderAction, OrderActor]>([
      ['created', 'accept', pb01],
      ['created', 'reject', pb01],
      ['created', 'en-route', pb01],
      ['sent', 'en-route', pb01],
      ['sent', 'on-scene', pb01],
      ['accepted', 'on-scene', pb01],
      ['accepted', 'reject', pb01],
      ['en-route', 'reject', pb01],
      ['sent', 'resolve', operator],
      ['en-route', 'resolve', pb01],
      ['cancelled', 'send', operator],
      ['cancelled', 'accept', pb01],
      ['cancelled', 'reject', pb01],
      ['cancelled', 'resolve', operator],
      ['rejected', 'accept', pb01],
      ['rejected', 'en-route', pb01],
      ['rejected', 'cancel', operator],
      ['resolved', 'cancel', operator],
      ['resolved', 'reject', pb01],
    ])('refuses a %s order to %s as a bad transition', (status, action, actor) => {
      expect(errorOf(() => applyOrderAction(order(status), action, actor, T0, { outcome: 'x' })).code).toBe('bad-transition');
    });

    it('refuses an action it does not know', () => {
      expect(errorOf(() => applyOrderAction(order('sent'), 'hijack' as OrderAction, operator, T0)).code).toBe('bad-transition');
    });
  });

  describe('resolving', () => {
    it.each([undefined, '', '   \n'])('needs an outcome (given %j)', (outcome) => {
      const e = errorOf(() => applyOrderAction(order('on-scene'), 'resolve', pb01, T0, outcome === undefined ? {} : { outcome }));
      expect(e.code).toBe('missing-outcome');
    });

    it('stores the outcome trimmed', () => {
      expect(applyOrderAction(order('on-scene'), 'resolve', operator, T0, { outcome: '  boarded, smuggled fuel found \n' }).order.outcome).toBe(
        'boarded, smuggled fuel found',
      );
    });

    it('checks the actor before the outcome', () => {
      expect(errorOf(() => applyOrderAction(order('on-scene'), 'resolve', pb02, T0)).code).toBe('forbidden');
    });
  });

  it('cancels from every status that is not final, and leaves the outcome empty', () => {
    for (const status of ['created', 'sent', 'accepted', 'en-route', 'on-scene'] as const) {
      const step = applyOrderAction(order(status), 'cancel', operator, T0 + 1_000, { note: 'target identified as a ferry' });
      expect(step).toMatchObject({ applied: true, from: status, to: 'cancelled', order: { status: 'cancelled', outcome: null } });
    }
  });
});

describe('availableActions', () => {
  it('offers the unit its next steps and the operator theirs', () => {
    expect(availableActions(order('sent'), pb01)).toEqual(['accept', 'reject']);
    expect(availableActions(order('sent'), pb02)).toEqual([]);
    expect(availableActions(order('sent'), operator)).toEqual(['cancel']);
    expect(availableActions(order('created'), system)).toEqual(['send']);
    expect(availableActions(order('on-scene'), pb01)).toEqual(['resolve']);
    expect(availableActions(order('on-scene'), supervisor)).toEqual(['resolve', 'cancel']);
  });

  it('offers nothing on a final order', () => {
    for (const status of FINAL_ORDER_STATUSES) for (const actor of [system, operator, pb01]) expect(availableActions(order(status), actor)).toEqual([]);
  });

  it('agrees with applyOrderAction for every status, action and actor', () => {
    const statuses: OrderStatus[] = ['created', 'sent', 'accepted', 'rejected', 'en-route', 'on-scene', 'resolved', 'cancelled'];
    for (const status of statuses) {
      for (const actor of [system, operator, supervisor, pb01, pb02]) {
        const offered = availableActions(order(status), actor);
        for (const action of ORDER_ACTIONS) {
          let applied = false;
          try {
            applied = applyOrderAction(order(status), action, actor, T0, { outcome: 'ok' }).applied;
          } catch (e) {
            expect(e).toBeInstanceOf(OrderTransitionError);
          }
          expect(offered.includes(action), `${actor.name} ${action} on ${status}`).toBe(applied);
        }
      }
    }
  });
});

describe('unitStatusFor', () => {
  it.each<[OrderStatus, string]>([
    ['created', 'assigned'],
    ['sent', 'assigned'],
    ['accepted', 'assigned'],
    ['en-route', 'en-route'],
    ['on-scene', 'on-scene'],
    ['resolved', 'returning'],
    ['rejected', 'available'],
    ['cancelled', 'available'],
  ])('puts the unit of a %s order in %s', (status, unitStatus) => {
    expect(unitStatusFor(status)).toBe(unitStatus);
  });
});

describe('overdueOrders', () => {
  const TIMEOUT = 2 * 60_000;

  it('reports sent orders that the unit has not answered within the timeout, oldest first', () => {
    const orders = [
      order('sent', { id: 'ord-late' as OrderId, updatedAtMs: T0 + 30_000 }),
      order('sent', { id: 'ord-fresh' as OrderId, updatedAtMs: T0 + 100_000 }),
      order('sent', { id: 'ord-oldest' as OrderId, updatedAtMs: T0 }),
      order('accepted', { id: 'ord-accepted' as OrderId, updatedAtMs: T0 }),
      order('created', { id: 'ord-unsent' as OrderId, updatedAtMs: T0 }),
      order('rejected', { id: 'ord-rejected' as OrderId, updatedAtMs: T0 }),
    ];
    expect(overdueOrders(orders, T0 + 150_000, TIMEOUT).map((o) => o.id)).toEqual(['ord-oldest', 'ord-late']);
  });

  it('counts an order as overdue from the moment the timeout is reached', () => {
    const sent = applyOrderAction(order(), 'send', system, T0 + 5_000).order;
    expect(overdueOrders([sent], T0 + 5_000 + TIMEOUT - 1, TIMEOUT)).toEqual([]);
    expect(overdueOrders([sent], T0 + 5_000 + TIMEOUT, TIMEOUT)).toEqual([sent]);
  });

  it('takes any iterable, such as a map’s values, and orders ties by id', () => {
    const a = order('sent', { id: 'ord-b' as OrderId });
    const b = order('sent', { id: 'ord-a' as OrderId });
    const byId = new Map([
      [a.id, a],
      [b.id, b],
    ]);
    expect(overdueOrders(byId.values(), T0 + TIMEOUT, TIMEOUT).map((o) => o.id)).toEqual(['ord-a', 'ord-b']);
  });
});
