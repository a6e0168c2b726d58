import { topics, type Observation, type Track } from '@seawall/contracts';
import { createClassifier } from '@seawall/geodata';
import mqtt from 'mqtt';
import { createAisHandler } from '../../edge-gateway/src/pipeline/ais-handler';
import { scenarioMessages, type ScenarioTextMessage } from '../../edge-gateway/src/scenario/hainan-scenario';
import { AlertBook } from '../../server/src/alerts/alert-book';
import type { HistoryRow } from '../../server/src/fusion/track-table';
import { TrackTable } from '../../server/src/fusion/track-table';
import { Pipeline } from '../../server/src/pipeline';
import { loadRuleConfig } from '../../server/src/rules/rule-config';

// What the fault tests (test/fault-*.int.test.ts) share: a feed of raw AIS from the built-in scenario with the
// observations it must yield, a sensor that publishes it at a steady rate, the history rows the server's
// pipeline makes of what it applied, and the counting.

export interface Feed {
  messages: ScenarioTextMessage[];
  /** The observations the gateway decodes from `messages`, in order. */
  observations: Observation[];
  /** How many observations each message yields. */
  yields: number[];
}

/**
 * Raw AIVDM from the start of the Hainan scenario's day (each with its NMEA 4.0 tag block, so the gateway's
 * duplicate filter decides on receiver time, as here), up to `size` observations.
 */
export function buildAisFeed(size: number, gatewayId: string): Feed {
  const start = Date.UTC(2026, 0, 15, 0, 0, 0);
  const decode = createAisHandler(gatewayId);
  const feed: Feed = { messages: [], observations: [], yields: [] };
  for (const m of scenarioMessages(start, start + 12 * 3600_000, { kinds: ['ais'] })) {
    const decoded = decode.handle(m.topic.split('/')[2]!, Buffer.from(m.payload), 0).observations;
    if (feed.observations.length + decoded.length > size) break;
    feed.messages.push(m);
    feed.observations.push(...decoded);
    feed.yields.push(decoded.length);
  }
  return feed;
}

/** The feed cut after the message that brings it to `observations` observations (or just past). */
export function splitFeed(feed: Feed, observations: number): [Feed, Feed] {
  let n = 0;
  let i = 0;
  while (i < feed.messages.length && n < observations) n += feed.yields[i++]!;
  return [
    { messages: feed.messages.slice(0, i), observations: feed.observations.slice(0, n), yields: feed.yields.slice(0, i) },
    { messages: feed.messages.slice(i), observations: feed.observations.slice(n), yields: feed.yields.slice(i) },
  ];
}

export interface SteadyPublisher {
  /** Messages published (and acknowledged by the broker) so far. */
  published(): number;
  /** Holds the feed; resolves once the message being published is acknowledged. */
  pause(): Promise<void>;
  /** Carries on at the same rate. */
  resume(): void;
  done: Promise<void>;
}

/** One sensor connection publishing `messages` at QoS 1 at about `perSecond` messages a second. */
export async function publishSteadily(url: string, clientId: string, messages: readonly ScenarioTextMessage[], perSecond: number): Promise<SteadyPublisher> {
  const sensor = await mqtt.connectAsync(url, { clientId, reconnectPeriod: 500 });
  let published = 0;
  let t0 = Date.now();
  // Set while paused: `opened` resolves on resume; `idle` is called once the loop stands still.
  const hold: { gate: { opened: Promise<void>; open: () => void; pausedAt: number } | null; idle: (() => void) | null; finished: boolean } = {
    gate: null,
    idle: null,
    finished: false,
  };
  const done = (async () => {
    try {
      for (const m of messages) {
        if (hold.gate) {
          hold.idle?.();
          await hold.gate.opened;
        }
        await sensor.publishAsync(m.topic, m.payload, { qos: 1 });
        published++;
        const due = t0 + (published * 1000) / perSecond;
        if (due > Date.now()) await sleep(due - Date.now());
      }
    } finally {
      hold.finished = true;
      hold.idle?.();
      await sensor.endAsync();
    }
  })();
  return {
    published: () => published,
    pause() {
      if (hold.gate) throw new Error('already paused');
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      hold.gate = { opened, open, pausedAt: Date.now() };
      return hold.finished ? Promise.resolve() : new Promise<void>((resolve) => (hold.idle = resolve));
    },
    resume() {
      if (!hold.gate) return;
      t0 += Date.now() - hold.gate.pausedAt;
      const { open } = hold.gate;
      hold.gate = null;
      hold.idle = null;
      open();
    },
    done,
  };
}

/**
 * Resolves once the gateway reads the sensors' broker: a gateway subscribes after it connects, and what a sensor
 * publishes before that reaches nobody. A line that is not NMEA goes to the sensor topic until its dead letter
 * comes out on the central broker.
 */
export async function gatewayListening(sensorUrl: string, centralUrl: string, gatewayId: string): Promise<void> {
  const watcher = await mqtt.connectAsync(centralUrl, { clientId: `probe-watch-${gatewayId}-${process.pid}` });
  const probe = await mqtt.connectAsync(sensorUrl, { clientId: `probe-${gatewayId}-${process.pid}` });
  try {
    let seen = false;
    watcher.on('message', () => void (seen = true));
    await watcher.subscribeAsync(topics.deadLetter(gatewayId, 'ais'), { qos: 1 });
    const until = Date.now() + 20_000;
    while (!seen) {
      if (Date.now() > until) throw new Error(`gateway ${gatewayId} did not read the sensors' broker within 20 s`);
      await probe.publishAsync(topics.sensor('ais', 'probe'), 'not nmea', { qos: 1 });
      await sleep(200);
    }
  } finally {
    await probe.endAsync();
    await watcher.endAsync();
  }
}

/** Observations the first `messages` messages of the feed yield. */
export const observationsIn = (feed: Feed, messages: number): number => feed.yields.slice(0, messages).reduce((a, b) => a + b, 0);

/** The history rows the server's pipeline makes of these observations, applied in this order, in the order it makes them. */
export function historyRowsOf(observations: readonly Observation[]): HistoryRow[] {
  const rows: HistoryRow[] = [];
  const pipeline = new Pipeline(new TrackTable(), new AlertBook(), loadRuleConfig(), createClassifier(), {
    trackChanged: (_t: Track, h: HistoryRow | null) => void (h && rows.push(h)),
    tracksRemoved: () => undefined,
    event: () => undefined,
    alert: () => undefined,
  });
  for (const o of observations) pipeline.handle(o);
  return rows;
}

/** The key `track_history` is unique on, as the tests compare it. */
export const historyKey = (trackId: string, observedAtMs: number): string => `${trackId}|${observedAtMs}`;

/** Every history row of the database as keys (SQL for both PostgreSQL and PGlite). */
export const HISTORY_KEYS_SQL = `SELECT track_id, (extract(epoch FROM observed_at) * 1000)::float8 AS ms FROM track_history`;

export interface Tally {
  sent: number;
  received: number;
  lost: number;
  duplicated: number;
}

/** What arrived (ids, repeats included) against what was sent. */
export function tally(sent: readonly string[], received: readonly string[]): Tally {
  const got = new Set(received);
  const lost = new Set(sent).size - [...new Set(sent)].filter((id) => got.has(id)).length;
  return { sent: sent.length, received: received.length, lost, duplicated: received.length - got.size };
}

/** `sent …, received …, lost …, duplicated …`, or with other words for the first two (`expected`, `written`). */
export const formatTally = (t: Tally, words: [string, string] = ['sent', 'received']): string =>
  `${words[0]} ${t.sent}, ${words[1]} ${t.received}, lost ${t.lost}, duplicated ${t.duplicated}`;

/** The sum over all label sets of one Prometheus metric. */
export async function readMetric(baseUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
