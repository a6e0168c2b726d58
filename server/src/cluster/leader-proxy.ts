import { request, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** REST routes answered from the leader's memory: live tracks, alerts and their transitions, dispatch. */
const LEADER_ROUTES = /^\/api\/(tracks|alerts|orders|units)(\/|\?|$)/;
/** Set on a forwarded request: an instance that is not the leader either answers 503 rather than pass it on. */
const FORWARDED_BY = 'x-seawall-forwarded-by';
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);
const PROXY_TIMEOUT_MS = 15_000;

export interface LeaderProxyOptions {
  instanceId: string;
  isLeader(): boolean;
  /** The leader's base URL, or undefined when none is known (or it would be this instance). */
  leaderUrl(): Promise<string | undefined>;
  log: Logger;
}

function unavailable(res: ServerResponse, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
  res.end(JSON.stringify({ error: 'leader-unavailable', message }));
}

/**
 * In front of the REST app: on a standby, requests that need the fusion leader's memory are passed to the
 * leader as they came (its own checks, rate limits and answers apply); everything else is answered here.
 */
export function routeToLeader(app: RequestListener, opts: LeaderProxyOptions): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (opts.isLeader() || !LEADER_ROUTES.test(req.url ?? '')) {
      app(req, res);
      return;
    }
    if (req.headers[FORWARDED_BY]) {
      unavailable(res, 'this instance no longer leads fusion; try again');
      return;
    }
    opts.leaderUrl().then(
      (base) => {
        if (!base) return unavailable(res, 'no fusion leader right now (a standby is taking over); try again');
        forward(req, res, base, opts);
      },
      (err: unknown) => {
        opts.log.warn({ err }, 'could not look up the fusion leader');
        unavailable(res, 'the fusion leader could not be looked up; try again');
      },
    );
  };
}

function forward(req: IncomingMessage, res: ServerResponse, base: string, opts: LeaderProxyOptions): void {
  const target = new URL(req.url ?? '/', base);
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  headers[FORWARDED_BY] = opts.instanceId;
  const forwardedFor = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  const out = request(target, { method: req.method, headers, timeout: PROXY_TIMEOUT_MS }, (answer) => {
    const back: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) back[k] = v;
    res.writeHead(answer.statusCode ?? 502, back);
    answer.pipe(res);
  });
  out.on('timeout', () => out.destroy(new Error('the leader did not answer in time')));
  out.on('error', (err) => {
    opts.log.warn({ err: err.message, url: target.pathname }, 'forwarding to the fusion leader failed');
    unavailable(res, 'the fusion leader did not answer; try again');
  });
  req.pipe(out);
}
