import type { Role } from '@seawall/contracts';

/** The operator console's page (served at `/` from index.html). */
export const CONSOLE_HOME = '/';
/** The patrol unit client. */
export const UNIT_HOME = '/unit.html';
/** The drone crew client. */
export const DRONE_HOME = '/drone.html';

/** The page each role works on: operators and supervisors the console, a unit's crew and a drone crew their own. */
export function homeFor(role: Role): string {
  switch (role) {
    case 'unit':
      return UNIT_HOME;
    case 'drone-crew':
      return DRONE_HOME;
    case 'operator':
    case 'supervisor':
      return CONSOLE_HOME;
  }
}

/** Whether `pathname` is the page `home` names (`/` and `/index.html` are the same page). */
export function isHomePath(home: string, pathname: string): boolean {
  const normal = (p: string) => (p === '/index.html' ? '/' : p);
  return normal(home) === normal(pathname);
}

/** Where a signed-in user on `pathname` belongs instead, or null when this page is theirs. */
export function redirectFor(role: Role, pathname: string): string | null {
  const home = homeFor(role);
  return isHomePath(home, pathname) ? null : home;
}
