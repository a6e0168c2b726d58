/**
 * One line of a recorded raw feed (ARCHITECTURE.md): JSON Lines, one MQTT message per line,
 * `{"t":<epoch ms>,"topic":"sensors/…","payload":"…"}`, or `"payloadBase64":"…"` instead for binary.
 */
import type { FeedLine } from '@seawall/contracts';

/** The bytes to publish for a feed line: its text as UTF-8, or its base64 decoded. */
export function feedPayload(line: FeedLine): Buffer {
  return 'payload' in line ? Buffer.from(line.payload, 'utf8') : Buffer.from(line.payloadBase64, 'base64');
}

/** A feed line as JSON, fields in the documented order, without the newline. */
export function formatFeedLine(line: FeedLine): string {
  return 'payload' in line
    ? JSON.stringify({ t: line.t, topic: line.topic, payload: line.payload })
    : JSON.stringify({ t: line.t, topic: line.topic, payloadBase64: line.payloadBase64 });
}
