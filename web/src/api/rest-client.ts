import { clearSession, loadSession } from '../auth/session';

/** A refused or failed API call: the server's `message` (else its `error` code), its code and the HTTP status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(message: string, options: { status: number; code: string; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
  }
}

export interface RestClientOptions {
  /** The session token to send; default: the one saved in this browser. */
  token?: () => string | null;
  /** The server refused the session (401); default: forget it and reload into the login form. */
  onUnauthorized?: () => void;
  fetchImpl?: typeof fetch;
}

type Query = Readonly<Record<string, string | number | undefined>>;

/** The server's JSON error body (`{error, message?, issues?}`) as one line for the person at the keyboard. */
export function errorMessageOf(status: number, body: unknown): { code: string; message: string } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as { error?: unknown; message?: unknown; issues?: unknown };
  const code = typeof b.error === 'string' ? b.error : `http-${status}`;
  const issues = Array.isArray(b.issues) ? b.issues.filter((i): i is string => typeof i === 'string') : [];
  const message = typeof b.message === 'string' && b.message !== '' ? b.message : issues.length > 0 ? `${code}: ${issues.join('; ')}` : typeof b.error === 'string' ? b.error : `HTTP ${status}`;
  return { code, message };
}

/** The path with its query string; undefined values are left out. */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * The console's one way to the REST API: the session's bearer token on every call, JSON in and out, the
 * server's error as an `ApiError`. A 401 means the session is gone: it is cleared and the page goes back to
 * the login form.
 */
export class RestClient {
  readonly #token: () => string | null;
  readonly #onUnauthorized: () => void;
  readonly #fetch: typeof fetch;

  constructor(options: RestClientOptions = {}) {
    this.#token = options.token ?? (() => loadSession()?.token ?? null);
    this.#onUnauthorized =
      options.onUnauthorized ??
      (() => {
        clearSession();
        window.location.reload();
      });
    this.#fetch = options.fetchImpl ?? ((input, init) => fetch(input, init));
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.#token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.#fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (cause) {
      throw new ApiError(cause instanceof Error ? cause.message : String(cause), { status: 0, code: 'network', cause });
    }
    const text = await res.text();
    let parsed: unknown = null;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (res.status === 401) {
      this.#onUnauthorized();
      throw new ApiError(errorMessageOf(401, parsed).message, { status: 401, code: 'unauthorized' });
    }
    if (!res.ok) {
      const { code, message } = errorMessageOf(res.status, parsed);
      throw new ApiError(message, { status: res.status, code });
    }
    return parsed as T;
  }
}
