import { Role } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { PERMISSIONS, scopeOf } from '../auth/permissions';
import { ROUTE_RULES, matchRoute } from './route-permissions';

describe('route rules', () => {
  it('match literal paths before parameters, and nothing unknown', () => {
    expect(matchRoute('GET', '/api/orders/suggestions')?.access).toBe('orders.create');
    expect(matchRoute('GET', '/api/orders/ord-1')?.access).toBe('orders.read');
    expect(matchRoute('POST', '/api/orders/ord-1/accept')?.access).toBe('orders.respond');
    expect(matchRoute('POST', '/api/login')?.access).toBe('public');
    expect(matchRoute('DELETE', '/api/orders/ord-1')).toBeUndefined();
    expect(matchRoute('GET', '/api/orders/ord-1/accept/extra')).toBeUndefined();
    expect(matchRoute('GET', '/api/tracks/a/b/c')).toBeUndefined();
  });

  it('name only permissions the matrix knows, each route once', () => {
    for (const r of ROUTE_RULES) if (r.access !== 'public') expect(Object.keys(PERMISSIONS)).toContain(r.access);
    const keys = ROUTE_RULES.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keep the whole picture and user management away from crews', () => {
    for (const role of ['unit', 'drone-crew'] as const) {
      expect(scopeOf(role, 'alerts.read')).toBeNull();
      expect(scopeOf(role, 'users.manage')).toBeNull();
      expect(scopeOf(role, 'orders.create')).toBeNull();
      expect(scopeOf(role, 'tracks.read')).toBe('own');
    }
    expect(scopeOf('operator', 'users.manage')).toBeNull();
    expect(Role.options.every((r) => scopeOf(r, 'me.read') === 'all')).toBe(true);
  });
});
