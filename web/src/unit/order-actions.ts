import type { DispatchOrder, OrderResponse, OrderStatus } from '@seawall/contracts';

/** What a crew can do to its order (the contract's `order:respond` actions). */
export type CrewAction = OrderResponse['action'];

/** One button on the order card. */
export interface ActionButton {
  action: CrewAction;
  /** Chinese first, then English. */
  label: string;
  tone: 'go' | 'danger' | 'step';
  /** Resolving needs the outcome in words (the server refuses it without). */
  needsOutcome: boolean;
  /** Asks for a second tap: a rejected order cannot be taken back. */
  needsConfirm: boolean;
}

const BUTTONS: Readonly<Record<CrewAction, ActionButton>> = {
  accept: { action: 'accept', label: '接受 Accept', tone: 'go', needsOutcome: false, needsConfirm: false },
  reject: { action: 'reject', label: '拒绝 Reject', tone: 'danger', needsOutcome: false, needsConfirm: true },
  'en-route': { action: 'en-route', label: '出发 En route', tone: 'step', needsOutcome: false, needsConfirm: false },
  'on-scene': { action: 'on-scene', label: '到达 On scene', tone: 'step', needsOutcome: false, needsConfirm: false },
  resolve: { action: 'resolve', label: '处置完毕 Resolved', tone: 'go', needsOutcome: true, needsConfirm: false },
};

/** The crew's next steps from each status (server/src/dispatch/order-machine.ts decides; this mirrors it). */
const NEXT: Readonly<Record<OrderStatus, readonly CrewAction[]>> = {
  created: [],
  sent: ['accept', 'reject'],
  accepted: ['en-route'],
  'en-route': ['on-scene'],
  'on-scene': ['resolve'],
  resolved: [],
  rejected: [],
  cancelled: [],
};

/** The status each action leads to. */
const RESULT: Readonly<Record<CrewAction, OrderStatus>> = {
  accept: 'accepted',
  reject: 'rejected',
  'en-route': 'en-route',
  'on-scene': 'on-scene',
  resolve: 'resolved',
};

/** Orders that can no longer change. */
export const FINAL_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['resolved', 'rejected', 'cancelled']);

export function isFinal(status: OrderStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/** The buttons an order in this status shows, in the order they are laid out. */
export function actionsFor(status: OrderStatus): readonly ActionButton[] {
  return NEXT[status].map((a) => BUTTONS[a]);
}

/**
 * The status the order will have once the crew's queued actions (sent while offline, not yet answered)
 * have reached the server, applied in order; an action that does not fit is skipped, as the server would
 * refuse it.
 */
export function projectStatus(status: OrderStatus, queued: readonly CrewAction[]): OrderStatus {
  let s = status;
  for (const action of queued) if (NEXT[s].includes(action)) s = RESULT[action];
  return s;
}

const STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  created: '已创建 Created',
  sent: '待接受 Awaiting answer',
  accepted: '已接受 Accepted',
  rejected: '已拒绝 Rejected',
  'en-route': '出发中 En route',
  'on-scene': '已到达 On scene',
  resolved: '已处置 Resolved',
  cancelled: '已取消 Cancelled',
};

export function orderStatusLabel(status: OrderStatus): string {
  return STATUS_LABELS[status];
}

/** In progress first (the job at hand), then awaiting an answer; oldest first within each. */
function rank(o: DispatchOrder): number {
  if (o.status === 'on-scene' || o.status === 'en-route' || o.status === 'accepted') return 0;
  if (o.status === 'sent' || o.status === 'created') return 1;
  return 2;
}

/** Unfinished orders in the order the crew works them. */
export function sortPending(orders: Iterable<DispatchOrder>): DispatchOrder[] {
  return [...orders].filter((o) => !isFinal(o.status)).sort((a, b) => rank(a) - rank(b) || a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : 1));
}

/** The order on the card: the one the crew picked while it is unfinished, else the first to work on. */
export function currentOf(pending: readonly DispatchOrder[], pickedId: string | null): DispatchOrder | null {
  return (pickedId !== null ? pending.find((o) => o.id === pickedId) : undefined) ?? pending[0] ?? null;
}
