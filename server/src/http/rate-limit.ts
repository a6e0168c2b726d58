/** How many requests a key may make per window, with the window's worth available at once as a burst. */
export interface RateLimitOptions {
  /** Requests per window, and the bucket's size: a client that was quiet may send this many at once. */
  limit: number;
  windowMs: number;
  now: () => number;
  /** Keys remembered at most; past it the least recently seen is forgotten (its next request starts full). */
  maxKeys?: number;
}

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  atMs: number;
}

/**
 * A token bucket per key (a user, an address, an address and a username): `limit` tokens, refilled evenly
 * over `windowMs`, one taken per request. Pure apart from the injected clock; memory bounded by `maxKeys`.
 */
export class RateLimiter {
  readonly #limit: number;
  readonly #perMs: number;
  readonly #now: () => number;
  readonly #maxKeys: number;
  /** In order of last use (a key is moved to the end on each request), so the first is the stalest. */
  readonly #buckets = new Map<string, Bucket>();

  constructor(opts: RateLimitOptions) {
    if (!(opts.limit >= 1) || !(opts.windowMs > 0)) throw new RangeError('a rate limit needs limit >= 1 and windowMs > 0');
    this.#limit = opts.limit;
    this.#perMs = opts.limit / opts.windowMs;
    this.#now = opts.now;
    this.#maxKeys = opts.maxKeys ?? 100_000;
  }

  /** Takes one token for `key`: ok, or how long until one is available. */
  take(key: string): RateDecision {
    const now = this.#now();
    const bucket = this.#buckets.get(key);
    let tokens = this.#limit;
    if (bucket) {
      // A clock that steps back refills nothing (and takes nothing back).
      tokens = Math.min(this.#limit, bucket.tokens + Math.max(0, now - bucket.atMs) * this.#perMs);
      this.#buckets.delete(key);
    }
    if (tokens < 1) {
      this.#buckets.set(key, { tokens, atMs: now });
      return { ok: false, retryAfterMs: Math.ceil((1 - tokens) / this.#perMs) };
    }
    this.#buckets.set(key, { tokens: tokens - 1, atMs: now });
    if (this.#buckets.size > this.#maxKeys) this.#buckets.delete(this.#buckets.keys().next().value!);
    return { ok: true };
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.#buckets.size;
  }
}
