import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Aedes } from 'aedes';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { feedPayload, formatFeedLine } from '../scenario/feed-line';
import { scenarioMessages } from '../scenario/hainan-scenario';
import type { CommandIo } from './decode';
import { loadReplayConfig } from './replay-config';
import { replayFeed, run } from './replay';

const SEAWALL = fileURLToPath(new URL('../../bin/seawall.mjs', import.meta.url));

/** Captures a command's stdout and stderr. */
function captureIo(stdin: Readable = Readable.from([])): CommandIo & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  stdout.on('data', (b: Buffer) => chunks.out.push(b));
  stderr.on('data', (b: Buffer) => chunks.err.push(b));
  return {
    stdin,
    stdout,
    stderr,
    out: () => Buffer.concat(chunks.out).toString('utf8'),
    err: () => Buffer.concat(chunks.err).toString('utf8'),
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seawall-replay-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('seawall replay on an in-process broker', () => {
  let broker: Aedes;
  let server: Server;
  let url: string;
  let subscriber: MqttClient;
  let received: { topic: string; payload: Buffer; atMs: number }[];

  beforeEach(async () => {
    broker = await Aedes.createBroker();
    server = createServer(broker.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    subscriber = await connectAsync(url);
    await subscriber.subscribeAsync('sensors/#', { qos: 1 });
    received = [];
    subscriber.on('message', (topic, payload) => received.push({ topic, payload: Buffer.from(payload), atMs: performance.now() }));
  });

  afterEach(async () => {
    await subscriber.endAsync();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('publishes every message of a recorded feed in order, text and binary, with its timing scaled by the speed', async () => {
    // Four seconds of the scenario during a drone sortie: AIS, radar, JSON and MAVLink.
    const from = Date.UTC(2026, 0, 15, 1, 20, 0);
    const feed = scenarioMessages(from, from + 4_000);
    expect(new Set(feed.map((m) => m.topic.split('/')[1]))).toEqual(new Set(['ais', 'radar', 'json', 'drone']));
    const file = join(dir, 'feed.jsonl');
    writeFileSync(file, feed.map((m) => `${formatFeedLine(m)}\n`).join(''));
    const io = captureIo();
    const started = performance.now();
    expect(await run([file, '--speed', '4', '--mqtt', url], io)).toBe(0);
    await new Promise((r) => setTimeout(r, 100));

    expect(received.map(({ topic, payload }) => ({ topic, payload }))).toEqual(feed.map((m) => ({ topic: m.topic, payload: feedPayload(m) })));
    // Each message at its feed time / 4 after the first, give or take the event loop and the first
    // message's longer trip through a fresh connection.
    const t0 = received[0]!.atMs;
    expect(t0 - started).toBeLessThan(1_000);
    feed.forEach((m, i) => {
      const dueMs = (m.t - feed[0]!.t) / 4;
      expect(received[i]!.atMs - t0, `message ${i}`).toBeGreaterThanOrEqual(dueMs - 60);
      expect(received[i]!.atMs - t0, `message ${i}`).toBeLessThan(dueMs + 250);
    });
    expect(received.at(-1)!.atMs - t0).toBeGreaterThan(800);
    expect(io.err()).toBe('');
    expect(io.out()).toMatch(new RegExp(`^seawall replay: ${feed.length} messages published from ${feed.length} lines \\(0 bad, skipped\\), 3\\.5 s of feed in 0\\.\\d s at speed 4\\n`));
    expect(io.out()).toContain('  sensors/drone: 8\n');
  });

  it('reports each bad line with its number on stderr, skips it, and replays the rest as fast as it can', async () => {
    const good = (t: number, n: number) => formatFeedLine({ t, topic: `sensors/json/pb-${n}`, payload: `{"n":${n}}` });
    const lines = [
      good(1_000_000, 1),
      'not json',
      '{"t":1000100,"topic":"sensors/ais/rx"}',
      '',
      '{"t":1000200,"topic":"sensors/ais/+","payload":"x"}',
      '{"t":1000300,"topic":"sensors/drone/d","payloadBase64":"%%%"}',
      good(3_000_000, 2),
      good(2_000_000, 3),
    ];
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, lines.join('\n'));
    const io = captureIo();
    const started = performance.now();
    expect(await run([`--speed=max`, file, '--mqtt', url], io)).toBe(0);
    expect(performance.now() - started).toBeLessThan(2_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((m) => m.payload.toString())).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    const errors = io.err().trim().split('\n');
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(new RegExp(`^seawall replay: ${file}:2: not JSON`));
    expect(errors[1]).toMatch(new RegExp(`^seawall replay: ${file}:3: not a feed line`));
    expect(errors[2]).toBe(`seawall replay: ${file}:5: topic "sensors/ais/+" has a wildcard or NUL`);
    expect(errors[3]).toBe(`seawall replay: ${file}:6: payloadBase64 is not base64`);
    expect(io.out()).toMatch(/^seawall replay: 3 messages published from 8 lines \(4 bad, skipped; 1 out of time order\)/);
  });

  it('reads stdin for -, and takes the broker from MQTT_URL', async () => {
    const stdin = Readable.from([`${formatFeedLine({ t: 5, topic: 'sensors/ais/rx-test', payload: '!AIVDM' })}\n`]);
    const io = captureIo(stdin);
    expect(await run(['-', '--quiet', '--speed', '0'], io, { MQTT_URL: url })).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((m) => m.topic)).toEqual(['sensors/ais/rx-test']);
    expect(io.out()).toBe('');
  });
});

describe('seawall replay usage', () => {
  it('refuses bad options and configuration with exit code 2, and an unreadable file or broker with 1', async () => {
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, `${formatFeedLine({ t: 1, topic: 'sensors/ais/x', payload: 'x' })}\n`);
    const cases: [string[], NodeJS.ProcessEnv, number, RegExp][] = [
      [[], {}, 2, /no FILE/],
      [[file, '--speed', '-1'], {}, 2, /--speed wants a number/],
      [[file, '--speed', 'fast'], {}, 2, /--speed wants a number/],
      [[file, '--mqtt', 'http://example.org'], {}, 2, /--mqtt: an mqtt:\/\//],
      [[file, '--frobnicate'], {}, 2, /unknown option --frobnicate/],
      [[file], { MQTT_URL: 'not a url' }, 2, /invalid replay configuration:\n {2}MQTT_URL: /],
      [[join(dir, 'missing.jsonl')], {}, 1, /ENOENT/],
      [[file, '--mqtt', 'mqtt://127.0.0.1:1'], {}, 1, /cannot connect to mqtt:\/\/127\.0\.0\.1:1/],
    ];
    for (const [args, env, code, message] of cases) {
      const io = captureIo();
      expect(await run(args, io, env), args.join(' ')).toBe(code);
      expect(io.err(), args.join(' ')).toMatch(message);
    }
  });

  it('defaults the broker to mqtt://127.0.0.1:1883', () => {
    expect(loadReplayConfig({})).toEqual({ mqttUrl: 'mqtt://127.0.0.1:1883' });
    expect(loadReplayConfig({ MQTT_URL: ' mqtts://broker.example:8883 ' })).toEqual({ mqttUrl: 'mqtts://broker.example:8883' });
  });

  it('is a command of the seawall bin', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [SEAWALL, 'replay', '--help'], { stdio: ['ignore', 'pipe', 'inherit'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => chunks.push(b));
      child.on('error', reject);
      child.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    expect(out).toMatch(/^Usage: seawall replay \[--speed N\|max\]/);
  });

  it('streams a feed through replayFeed with a publisher of its own', async () => {
    const lines = [0, 10, 20].map((t) => formatFeedLine({ t, topic: 'sensors/json/u', payload: String(t) }));
    const got: string[] = [];
    const summary = await replayFeed(Readable.from([lines.join('\n')]), {
      speed: Infinity,
      publish: async (topic, payload) => void got.push(`${topic} ${payload.toString()}`),
      onBadLine: () => expect.unreachable(),
    });
    expect(got).toEqual(['sensors/json/u 0', 'sensors/json/u 10', 'sensors/json/u 20']);
    expect(summary).toMatchObject({ lines: 3, published: 3, skipped: 0, outOfOrder: 0, feedSpanMs: 20, byTopic: { 'sensors/json': 3 } });
  });
});
