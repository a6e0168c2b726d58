import { z } from 'zod';
import { AlertId, EpochMs, Latitude, Longitude, OrderId, TrackId, UnitId } from './ids';

export const OrderStatus = z.enum([
  'created',
  'sent',
  'accepted',
  'rejected',
  'en-route',
  'on-scene',
  'resolved',
  'cancelled',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

/** An order from the command centre to one unit. */
export const DispatchOrder = z.object({
  id: OrderId,
  unitId: UnitId,
  alertId: AlertId.nullable(),
  trackId: TrackId.nullable(),
  target: z.object({ lon: Longitude, lat: Latitude }),
  status: OrderStatus,
  note: z.string().max(1024).nullable(),
  outcome: z.string().max(1024).nullable(),
  createdAtMs: EpochMs,
  updatedAtMs: EpochMs,
  createdBy: z.string().max(128),
  /** When the unit's client confirmed it had the order (delivery is retried until then). */
  deliveredAtMs: EpochMs.nullable().optional(),
  /** When the command centre was told the unit had not accepted in time. */
  escalatedAtMs: EpochMs.nullable().optional(),
});
export type DispatchOrder = z.infer<typeof DispatchOrder>;

/** What an operator sends to dispatch a unit: to an alert, a track, or a point on the map. */
export const NewOrder = z
  .object({
    unitId: UnitId,
    alertId: AlertId.optional(),
    trackId: TrackId.optional(),
    target: z.object({ lon: Longitude, lat: Latitude }).optional(),
    note: z.string().max(1024).optional(),
    /** Makes a repeated request (a retry after a timeout) create one order, not two. */
    requestId: z.string().min(8).max(128).optional(),
  })
  .strict()
  .refine((o) => o.alertId !== undefined || o.trackId !== undefined || o.target !== undefined, {
    message: 'an order needs an alertId, a trackId or a target',
  });
export type NewOrder = z.infer<typeof NewOrder>;

/** A unit's answer or progress report on its order. */
export const OrderResponse = z
  .object({
    orderId: OrderId,
    action: z.enum(['accept', 'reject', 'en-route', 'on-scene', 'resolve']),
    outcome: z.string().min(1).max(1024).optional(),
    note: z.string().max(1024).optional(),
  })
  .strict();
export type OrderResponse = z.infer<typeof OrderResponse>;
