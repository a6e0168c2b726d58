import { topics, type Track } from '@seawall/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestSystem, type TestSystem } from './support/system';

const T0 = Date.UTC(2026, 0, 15, 2, 0, 0);

describe('REST API over real storage', () => {
  let system: TestSystem;
  let sensor: MqttClient;
  const unit = `pb-api-${process.pid}`;
  const get = (path: string) => system.api(path);

  beforeAll(async () => {
    system = await startTestSystem();
    sensor = await mqtt.connectAsync(system.mqttUrl, { clientId: `api-sensor-${process.pid}-${Date.now()}` });
    // A patrol boat reporting its position as a JSON sensor, once a minute for ten minutes, heading east.
    const reports = Array.from({ length: 10 }, (_, i) => ({ kind: 'unit.position', observedAtMs: T0 + i * 60_000, unitId: unit, lon: 110.3 + i * 0.005, lat: 20.1, sogKn: 16, cogDeg: 90 }));
    await sensor.publishAsync(topics.sensor('json', unit), JSON.stringify(reports), { qos: 1 });
    await eventually(async () => ((await (await get(`/api/tracks/unit:${unit}`)).json()).track?.updates === 10 ? true : undefined), 15_000, 'ten unit reports');
    await system.server.flush();
  }, 180_000);

  afterAll(async () => {
    await sensor?.endAsync();
    await system?.stop();
  });

  it('filters the picture by bbox and source, and refuses a malformed bbox with a clear 400', async () => {
    const inBox = (await (await get('/api/tracks?bbox=110.2,20.0,110.5,20.2&source=unit')).json()).tracks as Track[];
    expect(inBox.map((t) => t.id)).toContain(`unit:${unit}`);
    const elsewhere = (await (await get('/api/tracks?bbox=109,18,109.5,18.5')).json()).tracks as Track[];
    expect(elsewhere.map((t) => t.id)).not.toContain(`unit:${unit}`);
    const bad = await get('/api/tracks?bbox=1,2,three');
    expect(bad.status).toBe(400);
    expect((await bad.json()).issues[0]).toMatch(/^bbox/);
    expect((await get('/api/tracks?source=submarine')).status).toBe(400);
    expect((await get('/api/tracks?surprise=1')).status).toBe(400);
  });

  it('serves a track with its open alerts, and 404 for one it does not know', async () => {
    const body = await (await get(`/api/tracks/unit:${unit}`)).json();
    expect(body).toMatchObject({ track: { id: `unit:${unit}`, kind: 'unit', sogKn: 16, lastSeenMs: T0 + 9 * 60_000 }, alerts: [] });
    expect((await get('/api/tracks/ais:999999999')).status).toBe(404);
  });

  it('serves the history from PostGIS as GeoJSON: a line and a point per fix, within the window', async () => {
    const all = await (await get(`/api/tracks/unit:${unit}/history?from=${T0}&to=${T0 + 9 * 60_000}`)).json();
    expect(all.type).toBe('FeatureCollection');
    expect(all.features[0].geometry.type).toBe('LineString');
    expect(all.features[0].geometry.coordinates).toHaveLength(10);
    expect(all.features.slice(1).map((f: { properties: { atMs: number } }) => f.properties.atMs)).toEqual(Array.from({ length: 10 }, (_, i) => T0 + i * 60_000));
    const part = await (await get(`/api/tracks/unit:${unit}/history?from=${T0 + 2 * 60_000}&to=${T0 + 4 * 60_000}`)).json();
    expect(part.features).toHaveLength(4); // the line and three fixes
    expect((await get(`/api/tracks/unit:${unit}/history?from=${T0 + 1}&to=${T0}`)).status).toBe(400);
    expect((await get(`/api/tracks/unit:${unit}/history?from=yesterday`)).status).toBe(400);
  });

  it('answers alert queries and actions with clear errors for bad input', async () => {
    expect((await (await get('/api/alerts?status=open&level=red,orange')).json())).toEqual({ alerts: expect.any(Array) });
    expect((await get('/api/alerts?level=purple')).status).toBe(400);
    const post = (path: string, body: string) => system.api(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post('/api/alerts/nope/ack', '{}')).status).toBe(404);
    const broken = await post('/api/alerts/nope/ack', '{"actor":');
    expect(broken.status).toBe(400);
    expect((await broken.json()).error).toBe('entity.parse.failed');
    expect((await post('/api/alerts/nope/ack', JSON.stringify({ actor: 'x'.repeat(10_000) }))).status).toBe(413);
    expect((await get('/api/events?limit=abc')).status).toBe(400);
    expect((await get('/api/nothing-here')).status).toBe(404);
  });

  it('describes itself in an OpenAPI document whose schemas come from the wire contract', async () => {
    const doc = await (await get('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/tracks', '/api/tracks/{id}', '/api/tracks/{id}/history', '/api/alerts', '/api/alerts/{id}/ack', '/api/events']));
    expect(doc.components.schemas.Track.properties.kind.enum).toEqual(['ais', 'radar', 'fused', 'drone', 'unit']);
    expect(doc.components.schemas.Alert.required).toContain('evidence');
  });
});
