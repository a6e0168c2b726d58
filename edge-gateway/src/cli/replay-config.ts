import { z } from 'zod';

/** An MQTT broker URL: mqtt, mqtts, ws, wss or tcp, with a host. */
export const MqttUrl = z
  .string()
  .trim()
  .url()
  .refine((u) => /^(mqtts?|wss?|tcp):\/\/[^/:]/.test(u), 'an mqtt://, mqtts://, ws://, wss:// or tcp:// URL with a host');

const ReplayEnv = z.object({
  MQTT_URL: MqttUrl.default('mqtt://127.0.0.1:1883'),
});

/** Settings of `seawall replay` that come from the environment. */
export type ReplayConfig = Readonly<{ mqttUrl: string }>;

/**
 * Parses the environment once (only `MQTT_URL`, default `mqtt://127.0.0.1:1883`); throws one error
 * listing every bad variable.
 */
export function loadReplayConfig(env: NodeJS.ProcessEnv): ReplayConfig {
  const parsed = ReplayEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid replay configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze({ mqttUrl: parsed.data.MQTT_URL });
}
