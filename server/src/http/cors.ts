import type { NextFunction, Request, Response } from 'express';

const ALLOWED_METHODS = 'GET, POST, PATCH';
const ALLOWED_HEADERS = 'Authorization, Content-Type';

/**
 * CORS for /api: same-origin only unless origins are listed (CORS_ORIGINS). A listed origin gets its own
 * origin back (never `*`; no credentials, the API takes bearer tokens, not cookies) and its preflights
 * answered here; any other origin gets no CORS headers, so the browser keeps the answer from its page.
 */
export function corsPolicy(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (allowed.size === 0) return next();
    res.vary('Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
