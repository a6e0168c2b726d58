import type { NextFunction, Request, Response } from 'express';
import type { AuthService, Principal } from '../auth/auth-service';
import type { Scope } from '../auth/permissions';
import { matchRoute } from './route-permissions';

/** What a handler knows about the caller once the route's rule let the request through. */
export interface RequestAuth {
  principal: Principal;
  scope: Scope;
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header ?? '');
  return m?.[1];
}

/**
 * Mounted on /api before every router: finds the route's rule (none: 404), then for non-public routes
 * checks the token (401) and the role matrix (403). Handlers read `res.locals.auth`.
 */
export function authorize(auth: AuthService, now: () => number, onRefused?: (reason: string) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const rule = matchRoute(req.method === 'HEAD' ? 'GET' : req.method, req.baseUrl + req.path);
    if (!rule) {
      res.status(404).json({ error: 'not-found' });
      return;
    }
    if (rule.access === 'public') return next();
    const who = auth.authenticate(bearerToken(req.headers.authorization), now());
    if (!who.ok) {
      onRefused?.(who.failure);
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'unauthorized', reason: who.failure });
      return;
    }
    const scope = auth.scope(who.principal, rule.access);
    if (!scope) {
      onRefused?.('forbidden');
      res.status(403).json({ error: 'forbidden', message: `a ${who.principal.role} may not ${rule.access}` });
      return;
    }
    res.locals.auth = { principal: who.principal, scope } satisfies RequestAuth;
    next();
  };
}

export const requestAuth = (res: Response): RequestAuth => res.locals.auth as RequestAuth;
