import { z } from 'zod';
import { EpochMs, Latitude, Longitude, UnitId } from './ids';

export const UnitKind = z.enum(['patrol-boat', 'shore-vehicle', 'drone-team']);
export type UnitKind = z.infer<typeof UnitKind>;

export const Capability = z.enum(['sea', 'land', 'air']);
export type Capability = z.infer<typeof Capability>;

export const UnitStatus = z.enum(['available', 'assigned', 'en-route', 'on-scene', 'returning', 'off-duty']);
export type UnitStatus = z.infer<typeof UnitStatus>;

/** A patrol unit that can be dispatched. */
export const Unit = z.object({
  id: UnitId,
  name: z.string().min(1).max(128),
  kind: UnitKind,
  capabilities: z.array(Capability).min(1),
  status: UnitStatus,
  homeBase: z.string().max(128).nullable(),
  speedKn: z.number().positive(),
  lon: Longitude.nullable(),
  lat: Latitude.nullable(),
  positionAtMs: EpochMs.nullable(),
});
export type Unit = z.infer<typeof Unit>;
