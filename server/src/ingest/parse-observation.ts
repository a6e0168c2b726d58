import { Observation } from '@seawall/contracts';

export type ParseResult = { ok: true; value: Observation } | { ok: false; reason: 'oversize' | 'bad-json' | 'schema'; detail: string };

/** An observation is a few hundred bytes; anything far larger is hostile or broken. */
export const MAX_OBSERVATION_BYTES = 16 * 1024;

/** Validates one `obs/v1/...` payload against the contract. Never throws. */
export function parseObservation(payload: Uint8Array): ParseResult {
  if (payload.byteLength > MAX_OBSERVATION_BYTES) {
    return { ok: false, reason: 'oversize', detail: `${payload.byteLength} bytes` };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (err) {
    return { ok: false, reason: 'bad-json', detail: (err as Error).message.slice(0, 200) };
  }
  const parsed = Observation.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: 'schema', detail: first ? `${first.path.join('.')}: ${first.message}` : 'invalid' };
  }
  return { ok: true, value: parsed.data };
}
