import { z } from 'zod';
import { TrackId, UnitId } from './ids';

/**
 * Who a person is to the system. Operators and supervisors see the whole picture (supervisors also manage
 * users and units); a patrol unit's crew is bound to one unit and sees its orders and their targets; a drone
 * crew is bound to one drone team (a unit) and its drone.
 */
export const Role = z.enum(['operator', 'supervisor', 'unit', 'drone-crew']);
export type Role = z.infer<typeof Role>;

export const Username = z
  .string()
  .min(2)
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'usernames are letters, digits, dot, dash, underscore and @');

/** A user as the API shows it: never the password hash. */
export const User = z.object({
  id: z.string(),
  username: Username,
  displayName: z.string().max(128),
  role: Role,
  /** The unit a patrol or drone crew is bound to. */
  unitId: UnitId.nullable(),
  /** The drone (its track id) a drone crew flies. */
  droneTrackId: TrackId.nullable(),
  disabled: z.boolean(),
});
export type User = z.infer<typeof User>;

/** At least 12 characters: the one rule that matters most for a password typed by people. */
export const Password = z.string().min(12).max(256);

export const LoginRequest = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict();
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({ token: z.string(), expiresAtMs: z.number().int(), user: User });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const NewUser = z
  .object({
    username: Username,
    displayName: z.string().min(1).max(128).optional(),
    password: Password,
    role: Role,
    unitId: UnitId.nullable().optional(),
    droneTrackId: TrackId.nullable().optional(),
  })
  .strict()
  .refine((u) => (u.role === 'unit' || u.role === 'drone-crew') === Boolean(u.unitId), {
    message: 'unit and drone-crew users are bound to a unit (unitId); operators and supervisors are not',
    path: ['unitId'],
  });
export type NewUser = z.infer<typeof NewUser>;

export const UserPatch = z
  .object({ displayName: z.string().min(1).max(128), password: Password, disabled: z.boolean() })
  .partial()
  .strict();
export type UserPatch = z.infer<typeof UserPatch>;
