import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics } from '@seawall/contracts';
import mqtt from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../server/src/mqtt/embedded-broker';
import { services } from './support/services';
import { eventually } from './support/system';

const ROOT = new URL('..', import.meta.url).pathname;

describe(`gateway liveness on status/gateway/<id> (${services.mqttUrl ? 'Mosquitto' : 'embedded broker'})`, () => {
  let broker: EmbeddedBroker | undefined;
  let mqttUrl: string;
  const queueDir = mkdtempSync(join(tmpdir(), 'seawall-gw-status-'));

  beforeAll(async () => {
    if (services.mqttUrl) mqttUrl = services.mqttUrl;
    else {
      broker = await startEmbeddedBroker('127.0.0.1', 0, pino({ level: 'silent' }));
      mqttUrl = broker.url;
    }
  });
  afterAll(async () => {
    await broker?.close();
    rmSync(queueDir, { recursive: true, force: true });
  });

  it('is retained as online while the gateway runs, and the broker marks it offline when the process is killed', { timeout: 120_000 }, async () => {
    const gatewayId = `gw-status-${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'edge-gateway/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, MQTT_URL: mqttUrl, GATEWAY_ID: gatewayId, GATEWAY_HTTP_PORT: '0', GATEWAY_QUEUE_DIR: queueDir, LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    const states: string[] = [];
    const watcher = await mqtt.connectAsync(mqttUrl, { clientId: `status-watch-${process.pid}-${Date.now()}` });
    try {
      watcher.on('message', (_t, p) => {
        if (p.length > 0) states.push(JSON.parse(p.toString()).state);
      });
      await watcher.subscribeAsync(topics.gatewayStatus(gatewayId), { qos: 1 });
      await eventually(() => (states.includes('online') ? true : undefined), 30_000, 'online status');

      // A late subscriber gets the retained state.
      const late = await mqtt.connectAsync(mqttUrl, { clientId: `status-late-${process.pid}-${Date.now()}` });
      const retained = await new Promise<string>((resolve) => {
        late.on('message', (_t, p) => {
          if (p.length > 0) resolve(JSON.parse(p.toString()).state);
        });
        void late.subscribeAsync(topics.gatewayStatus(gatewayId), { qos: 1 });
      });
      await late.endAsync();
      expect(retained).toBe('online');

      child.kill('SIGKILL');
      await eventually(() => (states.at(-1) === 'offline' ? true : undefined), 60_000, 'offline status from the last will');
    } finally {
      child.kill('SIGKILL');
      // Leave no retained message behind on a shared broker.
      await watcher.publishAsync(topics.gatewayStatus(gatewayId), '', { qos: 1, retain: true });
      await watcher.endAsync();
    }
  });
});
