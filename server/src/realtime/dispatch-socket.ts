import { OrderResponse, UnitStatus, type ClientToServerEvents, type CommandAck, type ServerToClientEvents, type OrderId, type Track, type TrackId, type UnitId } from '@seawall/contracts';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import { z } from 'zod';
import { DispatchInputError, type DispatchNotifier, type DispatchService } from '../dispatch/dispatch-service';
import { OrderTransitionError } from '../dispatch/order-machine';
import { actorOf } from '../http/dispatch-routes';
import type { ServerMetrics } from '../metrics';
import { fullTrackFrame } from './full-track-frame';
import { OPS_ROOM, principalOf, unitRoom } from './socket-auth';

const Report = z
  .object({ status: UnitStatus.optional(), lon: z.number().min(-180).max(180).optional(), lat: z.number().min(-90).max(90).optional() })
  .strict()
  .refine((r) => (r.lon === undefined) === (r.lat === undefined), 'lon and lat go together');

/** Runs a command and answers its ack: the value, or the error's code and message (never a stack). */
async function answer<T>(ack: CommandAck<T> | undefined, log: Logger, fn: () => Promise<T>): Promise<void> {
  const reply = typeof ack === 'function' ? ack : () => undefined;
  try {
    reply({ ok: true, value: await fn() });
  } catch (err) {
    if (err instanceof DispatchInputError || err instanceof OrderTransitionError) reply({ ok: false, error: err.code, message: err.message });
    else if (err instanceof z.ZodError) reply({ ok: false, error: 'bad-request', message: err.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') });
    else {
      log.error({ err }, 'dispatch command failed');
      reply({ ok: false, error: 'internal', message: 'the command failed; try again' });
    }
  }
}

/**
 * The live dispatch loop over socket.io: a unit's crew gets its unfinished orders on connecting and each
 * change as it happens (re-sent until its client confirms receipt), answers them, and reports its status
 * and position; operators see every order and unit change.
 */
export function attachDispatchSocket(
  io: Server<ClientToServerEvents, ServerToClientEvents>,
  dispatch: () => DispatchService,
  track: (id: TrackId) => Track | undefined,
  redeliverMs: number,
  log: Logger,
  metrics: Pick<ServerMetrics, 'trackFrameBytes'>,
): DispatchNotifier & { close(): void } {
  io.on('connection', (socket) => {
    const principal = principalOf(socket);
    const unitId = principal.unitId as UnitId | null;
    if (socket.rooms.has(OPS_ROOM)) socket.emit('units:snapshot', dispatch().allUnits());
    else if (unitId) {
      const unit = dispatch().unit(unitId);
      socket.emit('units:snapshot', unit ? [unit] : []);
      socket.emit('orders:pending', dispatch().pendingFor(unitId));
    }
    socket.on('order:received', (orderId, ack) =>
      void answer(ack, log, () => dispatch().delivered(z.string().max(128).parse(orderId) as OrderId, (unitId ?? '-') as UnitId)),
    );
    socket.on('order:respond', (response, ack) =>
      void answer(ack, log, () => {
        const r = OrderResponse.parse(response);
        return dispatch().act(r.orderId, r.action, actorOf(principal), { ...(r.outcome ? { outcome: r.outcome } : {}), ...(r.note ? { note: r.note } : {}) });
      }),
    );
    socket.on('unit:report', (report, ack) =>
      void answer(ack, log, () => {
        if (!unitId) throw new DispatchInputError('only a unit reports for itself here', 'not-found');
        return dispatch().report(unitId, Report.parse(report), principal.name);
      }),
    );
  });

  // At least once: an order goes out again until the unit's client says it has it.
  const timer = setInterval(() => {
    for (const o of dispatch().allOrders()) {
      if (o.deliveredAtMs || o.status !== 'sent') continue;
      io.to(unitRoom(o.unitId)).emit('order:updated', o);
    }
  }, redeliverMs);

  return {
    order(order) {
      io.to(OPS_ROOM).to(unitRoom(order.unitId)).emit('order:updated', order);
      if (!order.trackId) return;
      // The crew sees the target from the moment it has the order (not only once the target next moves),
      // and stops seeing it when its last order on it ends.
      const crew = io.to(unitRoom(order.unitId));
      if (dispatch().tracksOf(order.unitId).has(order.trackId)) {
        const target = track(order.trackId);
        if (target) crew.emit('tracks:updated', fullTrackFrame([target], 'scoped', 'updated', metrics));
      } else crew.emit('tracks:removed', [order.trackId]);
    },
    unit(unit) {
      io.to(OPS_ROOM).to(unitRoom(unit.id)).emit('unit:updated', unit);
    },
    close: () => clearInterval(timer),
  };
}
