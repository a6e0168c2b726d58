import type { Permission } from '../auth/permissions';

export interface RouteRule {
  method: 'GET' | 'POST' | 'PATCH';
  /** Express-style path under the server root, `:name` for a parameter. */
  path: string;
  access: Permission | 'public';
}

/**
 * Every REST route and what it needs. A request under /api that matches no rule is refused (404) before any
 * handler runs, so a route added without a rule cannot be reached. The authorization test walks this list.
 */
export const ROUTE_RULES: readonly RouteRule[] = [
  { method: 'GET', path: '/api/openapi.json', access: 'public' },
  { method: 'POST', path: '/api/login', access: 'public' },
  { method: 'GET', path: '/api/me', access: 'me.read' },
  { method: 'GET', path: '/api/geo/land', access: 'geo.read' },
  { method: 'GET', path: '/api/rings', access: 'geo.read' },
  { method: 'GET', path: '/api/zones', access: 'geo.read' },
  { method: 'GET', path: '/api/tracks', access: 'tracks.read' },
  { method: 'GET', path: '/api/tracks/:id', access: 'tracks.read' },
  { method: 'GET', path: '/api/tracks/:id/history', access: 'tracks.read' },
  { method: 'GET', path: '/api/events', access: 'events.read' },
  { method: 'GET', path: '/api/alerts', access: 'alerts.read' },
  { method: 'POST', path: '/api/alerts/:id/ack', access: 'alerts.act' },
  { method: 'POST', path: '/api/alerts/:id/resolve', access: 'alerts.act' },
  { method: 'POST', path: '/api/alerts/:id/false-alarm', access: 'alerts.act' },
  { method: 'GET', path: '/api/units', access: 'units.read' },
  { method: 'POST', path: '/api/units', access: 'units.manage' },
  { method: 'POST', path: '/api/units/:id/report', access: 'units.report' },
  { method: 'GET', path: '/api/orders', access: 'orders.read' },
  { method: 'GET', path: '/api/orders/suggestions', access: 'orders.create' },
  { method: 'GET', path: '/api/orders/:id', access: 'orders.read' },
  { method: 'POST', path: '/api/orders', access: 'orders.create' },
  { method: 'POST', path: '/api/orders/:id/cancel', access: 'orders.cancel' },
  { method: 'POST', path: '/api/orders/:id/resolve', access: 'orders.resolve' },
  { method: 'POST', path: '/api/orders/:id/accept', access: 'orders.respond' },
  { method: 'POST', path: '/api/orders/:id/reject', access: 'orders.respond' },
  { method: 'POST', path: '/api/orders/:id/en-route', access: 'orders.respond' },
  { method: 'POST', path: '/api/orders/:id/on-scene', access: 'orders.respond' },
  { method: 'POST', path: '/api/orders/:id/received', access: 'orders.respond' },
  { method: 'GET', path: '/api/audit', access: 'audit.read' },
  { method: 'GET', path: '/api/users', access: 'users.manage' },
  { method: 'POST', path: '/api/users', access: 'users.manage' },
  { method: 'PATCH', path: '/api/users/:id', access: 'users.manage' },
];

const compiled = ROUTE_RULES.map((r) => ({
  rule: r,
  // Case-insensitive, as express routes are: /api/orders/SUGGESTIONS must meet the suggestions rule.
  re: new RegExp(`^${r.path.replace(/[.]/g, '\\.').replace(/:[a-z]+/g, '[^/]+')}/?$`, 'i'),
}));

/** The rule for a request (literal paths win over parameters: `/api/orders/suggestions` is not an order id). */
export function matchRoute(method: string, path: string): RouteRule | undefined {
  const hits = compiled.filter((c) => c.rule.method === method && c.re.test(path));
  return hits.find((h) => !h.rule.path.includes(':'))?.rule ?? hits[0]?.rule;
}
