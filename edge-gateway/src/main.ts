import pino from 'pino';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway';
import { createAisHandler } from './pipeline/ais-handler';
import { createDroneHandler } from './pipeline/drone-handler';
import { createJsonHandler } from './pipeline/json-handler';
import { createRadarHandler } from './pipeline/radar-handler';
import { loadRadarSites } from './normalize/radar-observation-sites';
import { onShutdown } from './shutdown';

const config = loadGatewayConfig();
const log = pino({ name: 'seawall-gateway', level: config.logLevel });
const gateway = await startGateway({
  mqttUrl: config.mqttUrl,
  sensorMqttUrl: config.sensorMqttUrl,
  gatewayId: config.gatewayId,
  handlers: {
    ais: createAisHandler(config.gatewayId, config.aisDuplicateWindowMs),
    radar: createRadarHandler(config.gatewayId, loadRadarSites(config.radarSitesPath)),
    drone: createDroneHandler(config.gatewayId),
    json: createJsonHandler(config.gatewayId),
  },
  queue: config.queue,
  log,
  http: config.http,
});
log.info({ gatewayId: config.gatewayId, http: gateway.httpUrl }, 'edge gateway running');

onShutdown(() => gateway.close());
