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
});
export type DispatchOrder = z.infer<typeof DispatchOrder>;
