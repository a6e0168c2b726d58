/** A position fix from the phone. */
export interface Fix {
  lon: number;
  lat: number;
  /** Radius of 95 % confidence, metres (Geolocation API `accuracy`). */
  accuracyM: number;
  atMs: number;
}

/** What to do with a fix: send this one now, and/or look again at `retryAtMs` for the one held back. */
export interface ThrottleDecision {
  send: Fix | null;
  retryAtMs: number | null;
}

export const REPORT_INTERVAL_MS = 15_000;
/** Coarser than this (a phone locating by cell towers) is not worth telling the command centre. */
export const MAX_ACCURACY_M = 500;

/**
 * At most one position report every `intervalMs`: the first fix goes at once, later ones wait, and only the
 * latest waiting fix is sent when the interval is up (`due`). Fixes too coarse to plan an intercept with are
 * ignored.
 */
export class PositionThrottle {
  readonly #intervalMs: number;
  readonly #maxAccuracyM: number;
  #lastSentMs: number | null = null;
  #held: Fix | null = null;

  constructor(intervalMs = REPORT_INTERVAL_MS, maxAccuracyM = MAX_ACCURACY_M) {
    this.#intervalMs = intervalMs;
    this.#maxAccuracyM = maxAccuracyM;
  }

  /** A new fix at `nowMs`. */
  offer(fix: Fix, nowMs: number): ThrottleDecision {
    if (!(fix.accuracyM <= this.#maxAccuracyM)) return { send: null, retryAtMs: this.#held ? this.#dueAt() : null };
    this.#held = fix;
    return this.due(nowMs);
  }

  /** The held fix, if its time has come. */
  due(nowMs: number): ThrottleDecision {
    if (!this.#held) return { send: null, retryAtMs: null };
    if (this.#lastSentMs !== null && nowMs - this.#lastSentMs < this.#intervalMs) return { send: null, retryAtMs: this.#dueAt() };
    const send = this.#held;
    this.#held = null;
    this.#lastSentMs = nowMs;
    return { send, retryAtMs: null };
  }

  #dueAt(): number {
    return (this.#lastSentMs ?? 0) + this.#intervalMs;
  }
}
