import { LoginRequest, NewUser, UserPatch } from '@seawall/contracts';
import { Router } from 'express';
import type { AuthService } from '../auth/auth-service';
import { UsernameTakenError } from '../store/user-store';
import { requestAuth } from './authorize';
import { jsonBody } from './json-body';
import { sendIssues } from './send-issues';

/** Login, who am I, and (supervisors) users. */
export function authRoutes(auth: AuthService, now: () => number, onLoginFailed?: () => void): Router {
  const router = Router();
  const body = jsonBody('8kb');

  router.post('/login', body, async (req, res) => {
    const q = LoginRequest.safeParse(req.body ?? {});
    if (!q.success) return sendIssues(res, 'bad-body', q.error.issues);
    const session = await auth.login(q.data.username, q.data.password, now());
    if (!session) {
      onLoginFailed?.();
      res.status(401).json({ error: 'bad-credentials', message: 'wrong username or password' });
      return;
    }
    res.json(session);
  });

  router.get('/me', (_req, res) => {
    const { principal } = requestAuth(res);
    const user = auth.listUsers().find((u) => u.id === principal.userId);
    res.json({ user, expiresAtMs: principal.expMs });
  });

  router.get('/users', (_req, res) => {
    res.json({ users: auth.listUsers() });
  });

  router.post('/users', body, async (req, res) => {
    const q = NewUser.safeParse(req.body ?? {});
    if (!q.success) return sendIssues(res, 'bad-body', q.error.issues);
    try {
      res.status(201).json({ user: await auth.createUser(q.data) });
    } catch (err) {
      if (!(err instanceof UsernameTakenError)) throw err;
      res.status(409).json({ error: 'username-taken', message: err.message });
    }
  });

  router.patch('/users/:id', body, async (req, res) => {
    const q = UserPatch.safeParse(req.body ?? {});
    if (!q.success) return sendIssues(res, 'bad-body', q.error.issues);
    const user = await auth.updateUser(req.params.id, q.data);
    if (!user) {
      res.status(404).json({ error: 'not-found' });
      return;
    }
    res.json({ user });
  });
  return router;
}
