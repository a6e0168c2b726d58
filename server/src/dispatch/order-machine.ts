import type { DispatchOrder, OrderStatus, UnitStatus } from '@seawall/contracts';

export const ORDER_ACTIONS = ['send', 'accept', 'reject', 'en-route', 'on-scene', 'resolve', 'cancel'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

export type OrderActorRole = 'system' | 'operator' | 'supervisor' | 'unit';

/** Who asks for a step: `unitId` is the acting unit's id when `role` is `unit`. */
export interface OrderActor {
  role: OrderActorRole;
  name: string;
  unitId?: string;
}

export class OrderTransitionError extends Error {
  constructor(
    message: string,
    readonly code: 'forbidden' | 'bad-transition' | 'missing-outcome',
  ) {
    super(message);
    this.name = 'OrderTransitionError';
  }
}

/** One step of an order's life, for the audit log and the realtime feed. */
export interface OrderStep {
  order: DispatchOrder;
  from: OrderStatus;
  /** The status after the step; equal to `from` when `applied` is false. */
  to: OrderStatus;
  actor: OrderActor;
  atMs: number;
  note?: string;
  /** false when the same step had already been applied (a repeated command): nothing changes */
  applied: boolean;
}

/** Orders that can no longer change. */
export const FINAL_ORDER_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['resolved', 'rejected', 'cancelled']);

const TARGET: Readonly<Record<OrderAction, OrderStatus>> = {
  send: 'sent',
  accept: 'accepted',
  reject: 'rejected',
  'en-route': 'en-route',
  'on-scene': 'on-scene',
  resolve: 'resolved',
  cancel: 'cancelled',
};

/** The statuses from which an action moves the order on. */
const FROM: Readonly<Record<OrderAction, readonly OrderStatus[]>> = {
  send: ['created'],
  accept: ['sent'],
  reject: ['sent'],
  'en-route': ['accepted'],
  'on-scene': ['en-route'],
  resolve: ['on-scene'],
  cancel: ['created', 'sent', 'accepted', 'en-route', 'on-scene'],
};

/**
 * The statuses an order in a given status has certainly passed through, itself included. An action whose
 * target is among them has already taken effect, so repeating it is a no-op rather than an error. A cancelled
 * order may or may not have been sent, so only `created` counts as passed.
 */
const PASSED: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  created: ['created'],
  sent: ['created', 'sent'],
  accepted: ['created', 'sent', 'accepted'],
  rejected: ['created', 'sent', 'rejected'],
  'en-route': ['created', 'sent', 'accepted', 'en-route'],
  'on-scene': ['created', 'sent', 'accepted', 'en-route', 'on-scene'],
  resolved: ['created', 'sent', 'accepted', 'en-route', 'on-scene', 'resolved'],
  cancelled: ['created', 'cancelled'],
};

const UNIT_STATUS: Readonly<Record<OrderStatus, UnitStatus>> = {
  created: 'assigned',
  sent: 'assigned',
  accepted: 'assigned',
  'en-route': 'en-route',
  'on-scene': 'on-scene',
  resolved: 'returning',
  rejected: 'available',
  cancelled: 'available',
};

function isCommand(actor: OrderActor): boolean {
  return actor.role === 'operator' || actor.role === 'supervisor';
}

function isOrderUnit(order: DispatchOrder, actor: OrderActor): boolean {
  return actor.role === 'unit' && actor.unitId !== undefined && actor.unitId === order.unitId;
}

/** Whether this actor may take this action on this order at all, whatever its status. */
export function mayTakeAction(order: DispatchOrder, action: OrderAction, actor: OrderActor): boolean {
  switch (action) {
    case 'send':
      return actor.role === 'system' || isCommand(actor);
    case 'accept':
    case 'reject':
    case 'en-route':
    case 'on-scene':
      return isOrderUnit(order, actor);
    case 'resolve':
      return isOrderUnit(order, actor) || isCommand(actor);
    case 'cancel':
      return isCommand(actor);
  }
}

function forbiddenMessage(order: DispatchOrder, action: OrderAction, actor: OrderActor): string {
  if (actor.role === 'unit' && actor.unitId !== order.unitId) {
    return `unit ${actor.unitId ?? '(no id)'} cannot ${action} order ${order.id}: it is for unit ${order.unitId}`;
  }
  return `${actor.role} ${actor.name} cannot ${action} order ${order.id}`;
}

/**
 * Applies an action; idempotent: repeating an action whose result the order already has (same target status,
 * e.g. accept on an accepted order by the same unit) returns applied:false and the unchanged order instead of
 * throwing. An action whose result lies behind the order in the chain sent → accepted → en-route → on-scene →
 * resolved (accept on an en-route order) is a no-op too. Checks run in this order: the actor's right to the
 * action (`forbidden`), the repeat (no-op), the status (`bad-transition`), the outcome of a resolve
 * (`missing-outcome`: absent or blank; it is stored trimmed).
 */
export function applyOrderAction(
  order: DispatchOrder,
  action: OrderAction,
  actor: OrderActor,
  atMs: number,
  opts: { outcome?: string; note?: string } = {},
): OrderStep {
  if (!Object.hasOwn(TARGET, action)) {
    throw new OrderTransitionError(`unknown order action ${String(action)}`, 'bad-transition');
  }
  if (!mayTakeAction(order, action, actor)) {
    throw new OrderTransitionError(forbiddenMessage(order, action, actor), 'forbidden');
  }
  const to = TARGET[action];
  const from = order.status;
  const note = opts.note ? { note: opts.note } : {};
  if (PASSED[from].includes(to)) return { order, from, to: from, actor, atMs, ...note, applied: false };
  if (!FROM[action].includes(from)) {
    throw new OrderTransitionError(`order ${order.id} is ${from}: it cannot ${action}`, 'bad-transition');
  }
  let outcome = order.outcome;
  if (action === 'resolve') {
    outcome = opts.outcome?.trim() ?? '';
    if (outcome === '') throw new OrderTransitionError(`resolving order ${order.id} needs an outcome`, 'missing-outcome');
  }
  const next: DispatchOrder = { ...order, status: to, outcome, updatedAtMs: Math.max(order.updatedAtMs, atMs) };
  return { order: next, from, to, actor, atMs, ...note, applied: true };
}

/** The actions this actor can take now that would change the order (the buttons to show). */
export function availableActions(order: DispatchOrder, actor: OrderActor): OrderAction[] {
  return ORDER_ACTIONS.filter((a) => FROM[a].includes(order.status) && mayTakeAction(order, a, actor));
}

/**
 * The unit status that follows an order status: sent→assigned, accepted→assigned, en-route→en-route,
 * on-scene→on-scene, resolved→returning, rejected/cancelled→available. A created order already holds its unit:
 * created→assigned.
 */
export function unitStatusFor(status: OrderStatus): UnitStatus {
  return UNIT_STATUS[status];
}

/**
 * Orders still waiting for the unit's answer (sent, not accepted) for `acceptTimeoutMs` or longer: the operator
 * must be told. The wait counts from `updatedAtMs`, which the send step set. Oldest first, ties by id.
 */
export function overdueOrders(orders: Iterable<DispatchOrder>, nowMs: number, acceptTimeoutMs: number): DispatchOrder[] {
  const overdue: DispatchOrder[] = [];
  for (const o of orders) if (o.status === 'sent' && nowMs - o.updatedAtMs >= acceptTimeoutMs) overdue.push(o);
  return overdue.sort((a, b) => a.updatedAtMs - b.updatedAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
