import type { DispatchOrder, DroneTelemetry, Track, TrackId, Unit, UnitStatus } from '@seawall/contracts';
import type { Session } from '../auth/session';
import { FrameBatcher } from '../state/frame-batcher';
import { TrackStore } from '../state/track-store';
import { Alerter } from './alerter';
import { Banner } from './banner';
import { CommandQueue, type QueuedCommand } from './command-queue';
import { formatLatLon } from './crew-format';
import { CrewHeader } from './crew-header';
import { CrewLink, type LinkState } from './crew-link';
import { loadOrders, loadUnit, queueKey, saveOrders, saveUnit, signOut } from './crew-session';
import { currentOf, type CrewAction } from './order-actions';
import { OrderBook, type OrderBookChange } from './order-book';
import { OrderCard } from './order-card';
import { OrderList } from './order-list';

export interface CrewAppOptions {
  session: Session;
  /** Words for this crew's orders: 指令 orders for a unit, 任务 missions for a drone crew. */
  words: { none: string; others: string };
  onTelemetry?: (telemetry: DroneTelemetry) => void;
  /** Where the crew is now (distances on the card are measured from it). */
  ownPosition?: () => { lon: number; lat: number } | null;
}

export type CrewAppListener = () => void;

const REFUSALS: Readonly<Record<string, string>> = {
  'bad-transition': '指令状态已变 The order has moved on',
  forbidden: '无权操作 Not allowed',
  'not-found': '找不到 Not found',
  'missing-outcome': '需填写处置结果 Outcome required',
};

/**
 * What a unit's page and a drone crew's page share: the link, the orders (card and list), the outbox, the
 * header, the new-order alarm. Each page adds its own parts (map, own position, telemetry) and lays out
 * the elements. Redraws are batched to one per animation frame.
 */
export class CrewApp {
  readonly session: Session;
  readonly store = new TrackStore();
  readonly book = new OrderBook();
  readonly queue: CommandQueue;
  readonly link: CrewLink;
  readonly header: CrewHeader;
  readonly banner = new Banner();
  readonly card: OrderCard;
  readonly list: OrderList;
  readonly alerter: Alerter;
  #unit: Unit | null = null;
  #picked: string | null = null;
  readonly #listeners = new Set<CrewAppListener>();
  readonly #redraw: FrameBatcher;
  readonly #emptyText: string;
  readonly #ownPosition: () => { lon: number; lat: number } | null;

  constructor(options: CrewAppOptions) {
    const { session } = options;
    this.session = session;
    this.#redraw = new FrameBatcher(() => this.#render());
    this.queue = new CommandQueue({
      storage: localStorage,
      storageKey: queueKey(session),
      onRefused: (command, error, message) => this.#refused(command, error, message),
    });
    this.alerter = new Alerter((ready) => this.header.setSoundReady(ready));
    this.header = new CrewHeader(session.user.displayName || session.user.username, {
      onSetStatus: (status) => this.setStatus(status),
      onSignOut: () => this.#signOut(),
      onEnableSound: () => this.alerter.unlock(),
    });
    this.header.setSoundReady(false);
    // In the sticky header, so a new order's banner is in view wherever the crew has scrolled.
    this.header.element.append(this.banner.element);
    this.card = new OrderCard({ onAction: (id, action, outcome) => this.act(id, action, outcome) });
    this.list = new OrderList(options.words.others, (id) => {
      this.#picked = id;
      this.request();
      this.card.element.scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
    this.#emptyText = options.words.none;
    this.#ownPosition = options.ownPosition ?? (() => null);

    this.link = new CrewLink({
      token: session.token,
      store: this.store,
      handlers: {
        onState: (state) => this.#linkState(state),
        onUnauthorized: () => signOut(session),
        onPendingOrders: (orders) => this.#ordersChanged(this.book.replacePending(orders)),
        onOrder: (order) => this.#ordersChanged(this.book.upsert(order)),
        onUnits: (units) => {
          const mine = units.find((u) => u.id === session.user.unitId);
          if (mine) {
            this.#unit = mine;
            saveUnit(session, mine);
          }
          this.request();
        },
        ...(options.onTelemetry ? { onTelemetry: options.onTelemetry } : {}),
      },
    });

    this.#unit = loadUnit(session);
    this.book.restore(loadOrders(session));
    this.book.subscribe(() => {
      saveOrders(session, this.book.pending());
      this.request();
    });
    this.queue.subscribe(() => this.request());
    this.store.subscribe(() => this.request());
    // Ages and distances on the card move on even when nothing arrives.
    setInterval(() => this.request(), 5_000);
  }

  start(): void {
    this.link.start();
    this.request();
  }

  get unit(): Unit | null {
    return this.#unit;
  }

  /** The order on the card. */
  current(): DispatchOrder | null {
    return currentOf(this.book.pending(), this.#picked);
  }

  /** The live track of an order's target, when the crew may see it. */
  targetTrackOf(order: DispatchOrder | null): Track | null {
    return order?.trackId ? (this.store.get(order.trackId as TrackId) ?? null) : null;
  }

  /** Listen to every redraw (pages draw their own parts then). */
  onRender(listener: CrewAppListener): void {
    this.#listeners.add(listener);
  }

  request(): void {
    this.#redraw.request();
  }

  /** A step on an order: into the outbox, and out at once when the link is up. */
  act(orderId: string, action: CrewAction, outcome?: string): void {
    this.#picked = orderId;
    this.banner.clearNewOrders();
    this.queue.enqueue({ kind: 'respond', response: { orderId: orderId as DispatchOrder['id'], action, ...(outcome ? { outcome } : {}) } });
    this.#flush();
  }

  setStatus(status: UnitStatus): void {
    this.queue.enqueue({ kind: 'report', report: { status } });
    this.#flush();
  }

  reportPosition(lon: number, lat: number): void {
    this.queue.enqueue({ kind: 'report', report: { lon, lat } });
    this.#flush();
  }

  #flush(): void {
    if (this.link.connected) void this.queue.flush((command) => this.link.send(command));
  }

  #linkState(state: LinkState): void {
    this.header.setConnection(state);
    if (state === 'online') this.#flush();
    this.request();
  }

  #ordersChanged(change: OrderBookChange): void {
    for (const order of change.unconfirmed) this.link.confirm(order.id);
    // A new target the crew may now see: ask for it rather than wait until it next moves.
    if ([...change.arrived, ...change.unconfirmed].some((o) => o.trackId && !this.store.get(o.trackId))) this.link.resync();
    if (change.arrived.length > 0) {
      this.alerter.newOrder();
      for (const order of change.arrived) {
        this.banner.show('new-order', '新指令 New order', `${formatLatLon(order.target.lat, order.target.lon)}${order.note ? ` · ${order.note}` : ''}`);
      }
    }
    for (const order of change.ended) {
      if (order.status === 'cancelled') this.banner.show('info', '指令已取消 Order cancelled', `${formatLatLon(order.target.lat, order.target.lon)} · ${order.createdBy}`);
    }
  }

  #refused(command: QueuedCommand, error: string, message: string): void {
    const what = command.command.kind === 'respond' ? command.command.response.action : 'report';
    this.banner.show('error', `未执行 Not done: ${what}`, `${REFUSALS[error] ?? error} — ${message}`);
  }

  #signOut(): void {
    const waiting = this.queue.size;
    if (waiting > 0 && !window.confirm(`还有 ${waiting} 条未发送 ${waiting} command(s) not sent yet. 退出？ Sign out?`)) return;
    signOut(this.session);
  }

  #render(): void {
    const pending = this.book.pending();
    const current = currentOf(pending, this.#picked);
    const nowMs = Date.now();
    const queuedStatus = this.queue
      .list()
      .flatMap((q) => (q.command.kind === 'report' && q.command.report.status ? [q.command.report.status] : []))
      .at(-1);
    this.header.setUnit(this.#unit, queuedStatus ?? null, pending.length > 0);
    this.header.setQueue(this.queue.size);
    this.card.render(
      current
        ? { order: current, queued: this.queue.queuedActions(current.id), targetTrack: this.targetTrackOf(current), own: this.#ownPosition(), online: this.link.connected, nowMs }
        : null,
      this.#emptyText,
    );
    this.list.render(
      pending.filter((o) => o.id !== current?.id),
      (id) => this.queue.queuedActions(id),
      nowMs,
    );
    for (const listener of this.#listeners) {
      try {
        listener();
      } catch (error) {
        console.error('crew page render failed', error);
      }
    }
  }
}
