import { z } from 'zod';

/** Maritime Mobile Service Identity: up to nine decimal digits (ITU-R M.585). */
export const Mmsi = z.number().int().min(0).max(999_999_999).brand<'Mmsi'>();
export type Mmsi = z.infer<typeof Mmsi>;

/** A track id names its source and key, e.g. `ais:413000001`, `radar:rdr-haikou:7`, `drone:uav-sanya:1`, `unit:pb-01`. */
export const TrackId = z.string().min(3).max(128).brand<'TrackId'>();
export type TrackId = z.infer<typeof TrackId>;

export const SensorId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'sensor ids are letters, digits, dot, dash and underscore')
  .brand<'SensorId'>();
export type SensorId = z.infer<typeof SensorId>;

export const UnitId = z.string().min(1).max(64).brand<'UnitId'>();
export type UnitId = z.infer<typeof UnitId>;

export const AlertId = z.string().min(1).max(128).brand<'AlertId'>();
export type AlertId = z.infer<typeof AlertId>;

export const OrderId = z.string().min(1).max(128).brand<'OrderId'>();
export type OrderId = z.infer<typeof OrderId>;

/** Epoch milliseconds: every time on the wire. */
export const EpochMs = z.number().int().min(0).max(8_640_000_000_000_000);

export const Longitude = z.number().min(-180).max(180);
export const Latitude = z.number().min(-90).max(90);

export function trackIdOf(source: string, ...key: (string | number)[]): TrackId {
  return [source, ...key].join(':') as TrackId;
}
