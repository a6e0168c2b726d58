import type { DeadLetter } from '@seawall/contracts';
import type { Rejection } from '../pipeline/sensor-handler';

const MAX_RAW_BYTES = 64 * 1024;

/** The dead-letter record for one rejection; the raw payload as text when it is UTF-8, else base64. */
export function toDeadLetter(
  gatewayId: string,
  sensorId: string,
  kind: string,
  topic: string,
  rejection: Rejection,
  receivedAtMs: number,
): DeadLetter {
  const raw = typeof rejection.raw === 'string' ? Buffer.from(rejection.raw, 'utf8') : Buffer.from(rejection.raw);
  const clipped = raw.subarray(0, MAX_RAW_BYTES);
  const text = typeof rejection.raw === 'string' || isUtf8Text(clipped) ? clipped.toString('utf8') : null;
  return {
    gatewayId,
    sensorId,
    kind,
    topic,
    reason: rejection.reason,
    ...(rejection.detail === undefined ? {} : { detail: rejection.detail.slice(0, 1024) }),
    receivedAtMs,
    payload: text,
    payloadBase64: text === null ? clipped.toString('base64') : null,
  };
}

function isUtf8Text(buf: Buffer): boolean {
  const text = buf.toString('utf8');
  // U+FFFD marks bytes that were not UTF-8; control characters other than tab/CR/LF mark binary.
  return !/[\uFFFD\u0000-\u0008\u000E-\u001F]/.test(text);
}
