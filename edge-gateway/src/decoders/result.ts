/** A rejection: a short kebab-case reason (a metrics label) and an optional human detail. */
export interface Rejected<R extends string = string> {
  ok: false;
  reason: R;
  detail?: string;
}

/** What every decoder step returns instead of throwing. */
export type Result<T, R extends string = string> = { ok: true; value: T } | Rejected<R>;

/** Wraps a value as a successful result. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** Builds a rejection; `detail` is left out rather than set to undefined. */
export function reject<R extends string>(reason: R, detail?: string): Rejected<R> {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail };
}
