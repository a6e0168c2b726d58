import pino from 'pino';
import { loadSimulatorConfig } from './config';
import { runScenario } from './scenario/run-scenario';
import { onShutdown } from './shutdown';
import { redactUrl } from './redact-url';


const config = loadSimulatorConfig();
const log = pino({ name: 'seawall-scenario', level: config.logLevel, redact: { paths: ['mqttUrl'], censor: redactUrl } });
const scenario = await runScenario({ mqttUrl: config.mqttUrl, log, tickMs: config.tickMs });
log.info({ mqttUrl: config.mqttUrl }, 'Hainan scenario publishing');

onShutdown(() => scenario.stop());
