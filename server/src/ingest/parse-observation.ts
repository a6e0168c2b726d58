import { MAX_OBSERVATIONS_PER_MESSAGE, safeParseObservation, type Observation } from '@seawall/contracts';
import { isStorableText } from '../storable-text';

export type RejectReason = 'oversize' | 'bad-json' | 'schema' | 'bad-text' | 'time-range';
export type ParseResult = { ok: true; value: Observation } | { ok: false; reason: RejectReason; detail: string };

/** An observation is a few hundred bytes; anything far larger is hostile or broken. */
export const MAX_OBSERVATION_BYTES = 16 * 1024;

/**
 * The latest time stored: 9999-12-31. The contract's EpochMs goes to JavaScript's limit (year 275760), where
 * the month after cannot be named and PostgreSQL's timestamps end: one such observation would fail every
 * history write it is part of, and those behind it.
 */
export const MAX_STORED_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Validates one `obs/v1/...` payload against the contract: one observation (a JSON object) or a batch of them
 * (a JSON array of at most MAX_OBSERVATIONS_PER_MESSAGE), each judged on its own, so one bad observation in a
 * batch is rejected and the rest live. A payload that cannot be read at all is one rejection. Never throws.
 */
export function parseObservations(payload: Uint8Array): ParseResult[] {
  // A batch may average what a single observation may weigh.
  if (payload.byteLength > MAX_OBSERVATION_BYTES * MAX_OBSERVATIONS_PER_MESSAGE) {
    return [{ ok: false, reason: 'oversize', detail: `${payload.byteLength} bytes` }];
  }
  const batch = payload[0] === 0x5b; /* [ */
  if (!batch && payload.byteLength > MAX_OBSERVATION_BYTES) return [{ ok: false, reason: 'oversize', detail: `${payload.byteLength} bytes` }];
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (err) {
    return [{ ok: false, reason: 'bad-json', detail: (err as Error).message.slice(0, 200) }];
  }
  if (!Array.isArray(json)) return [checkObservation(json)];
  if (json.length === 0 || json.length > MAX_OBSERVATIONS_PER_MESSAGE || payload.byteLength > MAX_OBSERVATION_BYTES * json.length) {
    return [{ ok: false, reason: json.length === 0 ? 'schema' : 'oversize', detail: `a batch of ${json.length} observations in ${payload.byteLength} bytes` }];
  }
  return json.map(checkObservation);
}

/** One observation, parsed from JSON, against the contract and what the database can store. */
function checkObservation(json: unknown): ParseResult {
  const parsed = safeParseObservation(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: 'schema', detail: first ? `${first.path.join('.')}: ${first.message}` : 'invalid' };
  }
  if (parsed.data.observedAtMs > MAX_STORED_MS || parsed.data.receivedAtMs > MAX_STORED_MS) {
    return { ok: false, reason: 'time-range', detail: `observedAtMs ${parsed.data.observedAtMs}, receivedAtMs ${parsed.data.receivedAtMs}: after 9999-12-31` };
  }
  // A name or id PostgreSQL cannot store would fail every batch write it is part of (see storable-text.ts).
  const fields = parsed.data as Record<string, unknown>;
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === 'string' && mayBeUnstorable(value) && !isStorableText(value)) return { ok: false, reason: 'bad-text', detail: `${key}: U+0000 or a lone surrogate` };
  }
  return { ok: true, value: parsed.data };
}

/** Whether the text holds U+0000 or a surrogate at all; only then is the exact check (a regular expression) needed. */
function mayBeUnstorable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0 || (code >= 0xd800 && code <= 0xdfff)) return true;
  }
  return false;
}
