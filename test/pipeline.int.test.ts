import { readFileSync } from 'node:fs';
import { topics, type Track } from '@seawall/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, services } from './support/services';
import { eventually, startTestSystem, type TestSystem } from './support/system';
import { followTracks, type TrackFeed } from './support/track-feed';

// A live capture and gpsd's decode of it: the first two class A position reports.
const capture = readFileSync(fixturePath('ais/gpsd-ais-raw-messages.log'), 'utf8')
  .split(/\r?\n/)
  .filter((l) => l.startsWith('!AIVDM'));
const reference = readFileSync(fixturePath('ais/gpsd-ais-raw-messages.gpsdecode.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { mmsi: number; lon: number; lat: number; speed: number; course: number });

if (services.ci && (!services.mqttUrl || !services.databaseUrl)) {
  throw new Error('CI must set MQTT_URL and DATABASE_URL: this test runs on real Mosquitto and PostGIS there');
}

describe(`raw AIS on MQTT → gateway → server → socket.io and PostGIS (${services.mqttUrl ? 'Mosquitto' : 'embedded broker'}, ${services.databaseUrl ? 'PostGIS' : 'PGlite'})`, () => {
  let system: TestSystem;
  let sensor: MqttClient;
  let socket: Socket;
  let feed: TrackFeed;
  /** The latest state of every track the socket was sent (as a console holds the picture). */
  const seen = (id: string): Track | undefined => feed.tracks.get(id as Track['id']);
  const sensorTopic = topics.sensor('ais', `test-${process.pid}`);

  beforeAll(async () => {
    // The machine's broker itself (MQTT_URL), as deployed; other tests get private ones.
    system = await startTestSystem({ sharedBroker: true });
    sensor = await mqtt.connectAsync(system.mqttUrl, { clientId: `sensor-${process.pid}-${Date.now()}` });
    socket = io(system.server.url, { transports: ['websocket'], auth: { token: system.token } });
    feed = followTracks(socket);
    await eventually(() => (socket.connected ? true : undefined), 10_000, 'socket.io connection');
  }, 180_000);

  afterAll(async () => {
    socket?.close();
    await sensor?.endAsync();
    await system?.stop();
  });

  it('a real AIVDM sentence becomes a track pushed over socket.io with the right MMSI and position', async () => {
    const ref = reference[0]!;
    await sensor.publishAsync(sensorTopic, capture[0]!, { qos: 1 });
    const track = await eventually(() => seen(`ais:${ref.mmsi}`), 15_000, `track ais:${ref.mmsi} over socket.io`);
    expect(track.mmsi).toBe(ref.mmsi);
    expect(track.lon).toBeCloseTo(ref.lon, 6);
    expect(track.lat).toBeCloseTo(ref.lat, 6);
    expect(track.sogKn).toBeCloseTo(ref.speed, 1);
    expect(track.cogDeg).toBeCloseTo(ref.course, 1);
    expect(track.sources).toContain(sensorTopic.split('/')[2]);
  });

  it('the track history row is in the database with a geometry that ST_AsText reads back', async () => {
    const ref = reference[0]!;
    const row = await eventually(async () => {
      await system.server.flush();
      const { rows } = await system.server.db.query<{ wkt: string; srid: number }>(
        'SELECT ST_AsText(geom) AS wkt, ST_SRID(geom) AS srid FROM track_history WHERE track_id = $1',
        [`ais:${ref.mmsi}`],
      );
      return rows[0];
    }, 15_000, 'history row');
    const match = /^POINT\(([-\d.]+) ([-\d.]+)\)$/.exec(row.wkt);
    expect(match, row.wkt).not.toBeNull();
    expect(Number(match![1])).toBeCloseTo(ref.lon, 6);
    expect(Number(match![2])).toBeCloseTo(ref.lat, 6);
    expect(row.srid).toBe(4326);
  });

  it('garbage on sensor and observation topics is dead-lettered and counted, and the next valid sentence still arrives', async () => {
    const gatewayId = (await (await fetch(`${system.gateway.httpUrl}/health`)).json()).gatewayId as string;
    const letters: { reason: string; payload: string | null; payloadBase64: string | null }[] = [];
    const watcher = await mqtt.connectAsync(system.mqttUrl, { clientId: `dlq-watch-${process.pid}-${Date.now()}` });
    watcher.on('message', (_t, p) => letters.push(JSON.parse(p.toString())));
    await watcher.subscribeAsync(topics.deadLetter(gatewayId, 'ais'), { qos: 1 });
    try {
      const badChecksum = capture[1]!.replace(/\*[0-9A-F]{2}$/, '*00');
      await sensor.publishAsync(sensorTopic, 'this is not NMEA', { qos: 1 });
      await sensor.publishAsync(sensorTopic, badChecksum, { qos: 1 });
      await sensor.publishAsync(sensorTopic, Buffer.from([0x00, 0xff, 0xfe, 0x21, 0x41, 0x49, 0x00]), { qos: 1 });
      await sensor.publishAsync(topics.observation('ais', 'garbage'), '{"broken', { qos: 1 });
      await sensor.publishAsync(topics.observation('ais', 'garbage'), '{"kind":"ais.position","mmsi":"<script>"}', { qos: 1 });
      await sensor.publishAsync(sensorTopic, capture[1]!, { qos: 1 });

      const ref = reference[1]!;
      const track = await eventually(() => seen(`ais:${ref.mmsi}`), 15_000, 'the valid sentence after the garbage');
      expect(track.lon).toBeCloseTo(ref.lon, 6);
      expect(track.lat).toBeCloseTo(ref.lat, 6);

      await eventually(() => (letters.length >= 3 ? true : undefined), 10_000, 'three dead letters');
      expect(letters.some((l) => l.payload === badChecksum && /checksum/.test(l.reason))).toBe(true);
      expect(letters.some((l) => l.payload === 'this is not NMEA')).toBe(true);
      expect(letters.some((l) => l.payloadBase64 === Buffer.from([0x00, 0xff, 0xfe, 0x21, 0x41, 0x49, 0x00]).toString('base64'))).toBe(true);

      const gatewayMetrics = await (await fetch(`${system.gateway.httpUrl}/metrics`)).text();
      expect(counter(gatewayMetrics, 'seawall_gateway_dead_letters_total')).toBeGreaterThanOrEqual(3);
      const serverMetrics = await (await fetch(`${system.server.url}/metrics`)).text();
      expect(counter(serverMetrics, 'seawall_server_observations_rejected_total', 'reason="bad-json"')).toBeGreaterThanOrEqual(1);
      expect(counter(serverMetrics, 'seawall_server_observations_rejected_total', 'reason="schema"')).toBeGreaterThanOrEqual(1);
      // Both /health pages say it too: the gateway by reason, the server by reason.
      const gatewayHealth = (await (await fetch(`${system.gateway.httpUrl}/health`)).json()) as { input: { lastAgeS: number; deadLetters: Record<string, number> } };
      expect(Object.values(gatewayHealth.input.deadLetters).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3);
      expect(gatewayHealth.input.lastAgeS).toBeLessThan(60);
      const serverHealth = (await (await fetch(`${system.server.url}/health`)).json()) as { ingest: { rejected: Record<string, number> } };
      expect(serverHealth.ingest.rejected['bad-json']).toBeGreaterThanOrEqual(1);
      expect(serverHealth.ingest.rejected.schema).toBeGreaterThanOrEqual(1);
    } finally {
      await watcher.endAsync();
    }
  });

  it('a socket.io client on HTTP long-polling gets the snapshot, and the server keeps serving', async () => {
    const polling = io(system.server.url, { transports: ['polling'], auth: { token: system.token } });
    try {
      // Binary frames over polling go base64-encoded; they read the same.
      const snapshot = await followTracks(polling).nextSnapshot();
      expect(snapshot.map((t) => t.id)).toContain(`ais:${reference[0]!.mmsi}`);
    } finally {
      polling.close();
    }
    expect((await system.api('/api/tracks')).status).toBe(200);
    expect((await fetch(`${system.server.url}/api/tracks`)).status).toBe(401);
  });

  it('/health tells the truth about the broker and the database', async () => {
    const res = await fetch(`${system.server.url}/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'ok',
      database: { backend: services.databaseUrl ? 'pg' : 'pglite', ok: true },
      mqtt: { connected: true, embedded: !services.mqttUrl },
    });
    expect(body.tracks).toBeGreaterThanOrEqual(2);
  });
});

/** Sum of a Prometheus counter's samples, optionally only those whose labels contain `labelFilter`. */
function counter(text: string, name: string, labelFilter = ''): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(name) && l.includes(labelFilter))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
