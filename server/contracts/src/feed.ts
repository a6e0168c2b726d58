import { z } from 'zod';
import { EpochMs } from './ids';

/**
 * One line of a recorded raw feed (JSON Lines): one MQTT message, text or base64 payload.
 * `seawall replay` publishes each to its topic at `t`, scaled by the speed factor.
 */
export const FeedLine = z.union([
  z.object({ t: EpochMs, topic: z.string().min(1), payload: z.string() }),
  z.object({ t: EpochMs, topic: z.string().min(1), payloadBase64: z.string() }),
]);
export type FeedLine = z.infer<typeof FeedLine>;
