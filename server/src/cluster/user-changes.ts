import type { RequestListener } from 'node:http';

const USER_WRITES = /^\/api\/users(\/|\?|$)/;

/**
 * Calls `changed` after each successful write to `/api/users` answered here: every instance keeps the users in
 * memory (auth-service.ts), and the others must reload them for a new user to log in there, or a disabled one
 * to be refused there.
 */
export function watchUserChanges(app: RequestListener, changed: () => void): RequestListener {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && USER_WRITES.test(req.url ?? '')) {
      res.once('finish', () => {
        if (res.statusCode < 300) changed();
      });
    }
    app(req, res);
  };
}
