import { DispatchOrder, Unit } from '@seawall/contracts';
import { showLogin } from '../auth/login-view';
import { redirectFor } from '../auth/role-home';
import { clearSession, loadSession, type Session } from '../auth/session';

/**
 * Starts a crew page: the login form when nobody is signed in, the right page for the role when someone
 * else's page was opened (operators and supervisors go to the console at `/`), else `start`.
 */
export function bootCrewPage(root: HTMLElement, start: (session: Session) => void): void {
  const session = loadSession();
  if (!session) {
    showLogin(root, (signedIn) => {
      const elsewhere = redirectFor(signedIn.user.role, window.location.pathname);
      if (elsewhere) window.location.replace(elsewhere);
      else window.location.reload();
    });
    return;
  }
  const elsewhere = redirectFor(session.user.role, window.location.pathname);
  if (elsewhere) {
    window.location.replace(elsewhere);
    return;
  }
  start(session);
}

/** Back to the login form (a refused or expired session, or the crew signing out). */
export function signOut(session: Session): void {
  forgetOrders(session);
  clearSession();
  window.location.reload();
}

/** Storage key of the crew's outbox (kept across sign-outs: the commands are still owed to the server). */
export function queueKey(session: Session): string {
  return `seawall.crew.${session.user.id}.queue`;
}

const ordersKey = (session: Session) => `seawall.crew.${session.user.id}.orders`;
const unitKey = (session: Session) => `seawall.crew.${session.user.id}.unit`;

/** The crew's unit as last seen (name and status for a start without a link). */
export function loadUnit(session: Session): Unit | null {
  try {
    const raw = localStorage.getItem(unitKey(session));
    const r = raw ? Unit.safeParse(JSON.parse(raw)) : null;
    return r?.success ? r.data : null;
  } catch {
    return null;
  }
}

export function saveUnit(session: Session, unit: Unit): void {
  try {
    localStorage.setItem(unitKey(session), JSON.stringify(unit));
  } catch {
    // Storage full or blocked: only the offline start loses its copy.
  }
}

/** The crew's unfinished orders as last seen, for a start without a link (the app shell works offline). */
export function loadOrders(session: Session): DispatchOrder[] {
  try {
    const raw = localStorage.getItem(ordersKey(session));
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((o) => {
      const r = DispatchOrder.safeParse(o);
      return r.success ? [r.data] : [];
    });
  } catch {
    return [];
  }
}

export function saveOrders(session: Session, orders: readonly DispatchOrder[]): void {
  try {
    localStorage.setItem(ordersKey(session), JSON.stringify(orders));
  } catch {
    // Storage full or blocked: only the offline start loses its copy.
  }
}

function forgetOrders(session: Session): void {
  try {
    localStorage.removeItem(ordersKey(session));
    localStorage.removeItem(unitKey(session));
  } catch {
    // nothing kept
  }
}
