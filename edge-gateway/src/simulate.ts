import pino from 'pino';
import { loadSimulatorConfig } from './config';
import { runScenario } from './scenario/run-scenario';
import { onShutdown } from './shutdown';

/** The broker URL without its password (MQTT_URL carries the simulator identity's login where the broker requires one). */
function redactUrl(url: unknown): unknown {
  if (typeof url !== 'string') return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'invalid-url';
  }
}

const config = loadSimulatorConfig();
const log = pino({ name: 'seawall-scenario', level: config.logLevel, redact: { paths: ['mqttUrl'], censor: redactUrl } });
const scenario = await runScenario({ mqttUrl: config.mqttUrl, log, tickMs: config.tickMs });
log.info({ mqttUrl: config.mqttUrl }, 'Hainan scenario publishing');

onShutdown(() => scenario.stop());
