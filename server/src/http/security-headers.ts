import type { NextFunction, Request, Response } from 'express';

/**
 * The pages' Content-Security-Policy: the `<meta>` of web/index.html, unit.html and drone.html, plus what a
 * meta element cannot say (frame-ancestors) and what the crew pages need (their service worker, their web
 * manifest, maplibre's workers from blob: URLs). A browser applies both, so the header must not be narrower
 * than the meta: keep them in step.
 */
export function contentSecurityPolicy(extraOrigins: readonly string[] = []): string {
  const extra = extraOrigins.length > 0 ? ` ${extraOrigins.join(' ')}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${extra}`,
    `connect-src 'self'${extra}`,
    "worker-src 'self' blob:",
    'child-src blob:',
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** HSTS for two years; sent only on requests that came over https (never on plain http, where it means nothing). */
const HSTS = 'max-age=63072000; includeSubDomains';

/** Whether the request reached us, or the proxy in front of us, over https. */
function overHttps(req: Request): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/**
 * Security headers on every answer (pages, static files, the API): the CSP above, no MIME sniffing, no
 * referrer, no framing, an opener policy of our own; Strict-Transport-Security only over https.
 * `extraOrigins` (CSP_EXTRA_ORIGINS) are the online tile services a deployment's basemap uses.
 */
export function securityHeaders(extraOrigins: readonly string[] = []) {
  const csp = contentSecurityPolicy(extraOrigins);
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    if (overHttps(req)) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}
