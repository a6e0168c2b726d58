import type { Role } from '@seawall/contracts';

/** `all`: everything of that kind; `own`: what the user's unit (or drone) is concerned with. */
export type Scope = 'all' | 'own';

/**
 * The role matrix: for each permission, which roles hold it and how far. The only place access is decided;
 * every REST route (route-permissions.ts) and socket.io event (realtime) names one of these.
 */
export const PERMISSIONS = {
  'me.read': { operator: 'all', supervisor: 'all', unit: 'all', 'drone-crew': 'all' },
  'geo.read': { operator: 'all', supervisor: 'all', unit: 'all', 'drone-crew': 'all' },
  // A unit sees its own track and the targets of its orders; a drone crew also its drone.
  'tracks.read': { operator: 'all', supervisor: 'all', unit: 'own', 'drone-crew': 'own' },
  'events.read': { operator: 'all', supervisor: 'all' },
  'alerts.read': { operator: 'all', supervisor: 'all' },
  'alerts.act': { operator: 'all', supervisor: 'all' },
  'units.read': { operator: 'all', supervisor: 'all', unit: 'own', 'drone-crew': 'own' },
  'units.manage': { supervisor: 'all' },
  // Status and position reports from a unit's own client; the command centre may correct either.
  'units.report': { operator: 'all', supervisor: 'all', unit: 'own', 'drone-crew': 'own' },
  'orders.read': { operator: 'all', supervisor: 'all', unit: 'own', 'drone-crew': 'own' },
  'orders.create': { operator: 'all', supervisor: 'all' },
  'orders.cancel': { operator: 'all', supervisor: 'all' },
  // Accept, reject, en route, on scene: only the unit the order is for.
  'orders.respond': { unit: 'own', 'drone-crew': 'own' },
  'orders.resolve': { operator: 'all', supervisor: 'all', unit: 'own', 'drone-crew': 'own' },
  'audit.read': { operator: 'all', supervisor: 'all' },
  'users.manage': { supervisor: 'all' },
} as const satisfies Record<string, Partial<Record<Role, Scope>>>;

export type Permission = keyof typeof PERMISSIONS;

/** How far `role` holds `permission`, or null when it does not. */
export function scopeOf(role: Role, permission: Permission): Scope | null {
  return (PERMISSIONS[permission] as Partial<Record<Role, Scope>>)[role] ?? null;
}
