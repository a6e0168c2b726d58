import type { LoginResponse } from '@seawall/contracts';

const KEY = 'seawall.session';

export type Session = LoginResponse;

/** The signed-in session kept in this browser, or null when there is none or it has expired. */
export function loadSession(nowMs = Date.now()): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    if (typeof s.token !== 'string' || typeof s.expiresAtMs !== 'number' || s.expiresAtMs <= nowMs) return null;
    return s;
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}

/** Asks the server for a session; the error message is for the person at the keyboard. */
export async function login(username: string, password: string): Promise<Session> {
  const res = await fetch('/api/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (res.status === 401) throw new Error('用户名或密码错误 Wrong username or password');
  if (!res.ok) throw new Error(`登录失败 Login failed (${res.status})`);
  return (await res.json()) as Session;
}
