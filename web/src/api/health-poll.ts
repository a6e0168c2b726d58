/** What the page knows of the server's health: its own word, or that it did not answer. */
export type ServerHealth = 'unknown' | 'ok' | 'degraded' | 'unreachable';

export type HealthListener = (health: ServerHealth) => void;

export interface HealthPollOptions {
  url?: string;
  intervalMs?: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** Reads `GET /health` now and then; `{ status: 'ok' | 'degraded' }` is all it looks at. */
export class HealthPoll {
  readonly #url: string;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #listeners = new Set<HealthListener>();
  #health: ServerHealth = 'unknown';
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;

  constructor(options: HealthPollOptions = {}) {
    this.#url = options.url ?? '/health';
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#timeoutMs = options.timeoutMs ?? 4_000;
    this.#fetch = options.fetchImpl ?? ((input, init) => fetch(input, init));
  }

  get health(): ServerHealth {
    return this.#health;
  }

  onChange(listener: HealthListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#tick();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Ask once and report the result. */
  async check(): Promise<ServerHealth> {
    let health: ServerHealth;
    try {
      const response = await this.#fetch(this.#url, {
        cache: 'no-store',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      // A degraded server may answer 503 with a body; read the body either way.
      const body: unknown = await response.json();
      const status = typeof body === 'object' && body !== null ? (body as { status?: unknown }).status : undefined;
      health = status === 'ok' || status === 'degraded' ? status : response.ok ? 'ok' : 'degraded';
    } catch {
      health = 'unreachable';
    }
    this.#set(health);
    return health;
  }

  async #tick(): Promise<void> {
    await this.check();
    if (this.#running) this.#timer = setTimeout(() => void this.#tick(), this.#intervalMs);
  }

  #set(health: ServerHealth): void {
    if (health === this.#health) return;
    this.#health = health;
    for (const listener of this.#listeners) {
      try {
        listener(health);
      } catch (error) {
        console.error('health listener failed', error);
      }
    }
  }
}
