import { connect } from 'mqtt';
import { feedPayload } from './feed-line';
import { scenarioMessages } from './hainan-scenario';

/** The logger the runner writes to: pino's or anything with the same three methods. */
export interface ScenarioLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  mqttUrl: string;
  log: ScenarioLogger;
  /** How often to publish the messages of the last window; 1 s by default. */
  tickMs?: number;
  /**
   * Scenario time at the first connection; the wall clock then by default. Scenario time advances
   * with the wall clock from there, and is the observation time in the tag blocks.
   */
  startMs?: number;
}

/** A running scenario publisher. */
export interface ScenarioRunner {
  /** Stops publishing and closes the MQTT connection; safe to call more than once. */
  stop(): Promise<void>;
}

/** A gap longer than this (a stalled process, a suspended laptop) is skipped rather than replayed. */
const MAX_CATCH_UP_MS = 60_000;

/**
 * Publishes the built-in Hainan scenario to an MQTT broker as a live feed, at QoS 0 like the sensors
 * themselves: every `tickMs` it sends the messages (AIS, radar, JSON as text; MAVLink as binary)
 * observed since the previous tick. The clock starts
 * at the first connection; messages that fall due while the broker is unreachable are dropped.
 */
export function runScenario({ mqttUrl, log, tickMs = 1000, startMs }: RunScenarioOptions): ScenarioRunner {
  const client = connect(mqttUrl, {
    clientId: `seawall-scenario-${process.pid}-${Date.now().toString(36)}`,
    reconnectPeriod: 1000,
    queueQoSZero: false,
  });
  let timer: NodeJS.Timeout | undefined;
  let clock: { wallMs: number; sceneMs: number } | undefined;
  let lastMs = 0;
  let published = 0;
  let dropped = 0;
  let stopping: Promise<void> | undefined;

  const tick = () => {
    try {
      const nowMs = clock!.sceneMs + (Date.now() - clock!.wallMs);
      if (nowMs - lastMs > MAX_CATCH_UP_MS) {
        log.warn({ skippedMs: nowMs - tickMs - lastMs }, 'scenario fell behind; skipping ahead');
        lastMs = nowMs - tickMs;
      }
      const messages = scenarioMessages(lastMs, nowMs, { startMs: clock!.sceneMs });
      lastMs = nowMs;
      if (!client.connected) {
        dropped += messages.length;
        return;
      }
      for (const m of messages) client.publish(m.topic, feedPayload(m), { qos: 0 });
      published += messages.length;
    } catch (err) {
      log.error({ err }, 'scenario tick failed');
    }
  };

  client.on('connect', () => {
    lastError = '';
    if (stopping) return;
    if (clock) {
      log.info({ mqttUrl, dropped }, 'scenario reconnected');
      return;
    }
    const wallMs = Date.now();
    clock = { wallMs, sceneMs: startMs ?? wallMs };
    lastMs = clock.sceneMs;
    timer = setInterval(tick, tickMs);
    log.info({ mqttUrl, tickMs, startMs: clock.sceneMs }, 'scenario started');
  });
  client.on('offline', () => {
    if (!stopping) log.warn({ mqttUrl }, 'scenario broker unreachable; dropping messages until it is back');
  });
  // Reconnection retries every second; report each distinct error once per outage.
  let lastError = '';
  client.on('error', (err) => {
    if (err.message === lastError) return;
    lastError = err.message;
    log.error({ err, mqttUrl }, 'scenario MQTT error');
  });

  return {
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await client.endAsync();
        log.info({ published, dropped }, 'scenario stopped');
      })();
      return stopping;
    },
  };
}
