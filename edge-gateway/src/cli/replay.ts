import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { FeedLine } from '@seawall/contracts';
import { connectAsync, type MqttClient } from 'mqtt';
import { feedPayload } from '../scenario/feed-line';
import type { CommandIo } from './decode';
import { MqttUrl, loadReplayConfig } from './replay-config';

export const REPLAY_USAGE = `Usage: seawall replay [--speed N|max] [--mqtt URL] [--quiet] FILE|-

Republishes a recorded raw feed (JSON Lines, one MQTT message per line:
{"t":<epoch ms>,"topic":"sensors/...","payload":"..."} or "payloadBase64" for binary) to an MQTT broker,
each message at its t relative to the first line's, divided by the speed, in file order, at QoS 1.
Payloads go out unchanged: AIS and radar keep the times in their tag blocks. A bad line is reported
on stderr with its line number and skipped. A summary goes to stdout at the end.

Options:
  --speed N     time scale: 1 = real time (default), 60 = a minute a second; 0 or max = as fast as possible
  --mqtt URL    the broker; default $MQTT_URL, else mqtt://127.0.0.1:1883
  -q, --quiet   no summary
  -h, --help    this text
`;

/** What one replay did. */
export interface ReplaySummary {
  /** Lines read, blank ones included. */
  lines: number;
  published: number;
  /** Bad lines, skipped. */
  skipped: number;
  /** Lines whose t is earlier than the line before's: published at once, in file order. */
  outOfOrder: number;
  /** Published messages by `<first>/<second>` topic level (`sensors/ais`, ...). */
  byTopic: Record<string, number>;
  /** Feed time from the first line to the last, ms. */
  feedSpanMs: number;
  /** Wall time the replay took, ms. */
  wallMs: number;
}

/** Where replayed messages go: resolves when the broker has the message (QoS 1 PUBACK). */
export type PublishFn = (topic: string, payload: Buffer) => Promise<void>;

/** Options of {@link replayFeed}. */
export interface ReplayOptions {
  /** Time scale; Infinity: as fast as possible. */
  speed: number;
  publish: PublishFn;
  /** Called for each bad line (1-based line number), which is then skipped. */
  onBadLine(lineNumber: number, reason: string): void;
  /** Publishes not yet acknowledged before reading on; 256 by default. */
  maxInFlight?: number;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A line longer than this is not one MQTT message of a sensor feed. */
const MAX_LINE_CHARS = 1 << 20;

/** Why a line is not a feed line, or null when it is one. */
function checkLine(text: string): { line: FeedLine } | { reason: string } {
  if (text.length > MAX_LINE_CHARS) return { reason: `line longer than ${MAX_LINE_CHARS} characters` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { reason: `not JSON: ${(err as Error).message}` };
  }
  const parsed = FeedLine.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { reason: `not a feed line: ${issue ? `${issue.path.join('.') || '(line)'}: ${issue.message}` : 'invalid'}` };
  }
  const line = parsed.data;
  if (/[+#\u0000]/.test(line.topic)) return { reason: `topic ${JSON.stringify(line.topic)} has a wildcard or NUL` };
  if ('payloadBase64' in line && !BASE64.test(line.payloadBase64)) return { reason: 'payloadBase64 is not base64' };
  return { line };
}

/**
 * Reads feed lines from `input` and publishes each at `t` relative to the first line's `t`, divided by
 * `speed`, in file order. Publishes are pipelined (up to `maxInFlight` awaiting their acknowledgement);
 * the MQTT client sends them in call order, so they arrive in order. Resolves once every publish is
 * acknowledged.
 */
export async function replayFeed(input: Readable, options: ReplayOptions): Promise<ReplaySummary> {
  const { speed, publish, onBadLine, maxInFlight = 256 } = options;
  const started = performance.now();
  let origin = started;
  const summary: ReplaySummary = { lines: 0, published: 0, skipped: 0, outOfOrder: 0, byTopic: {}, feedSpanMs: 0, wallMs: 0 };
  const inFlight: Promise<void>[] = [];
  let firstT: number | null = null;
  let lastT = -Infinity;
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const text of lines) {
    summary.lines++;
    if (text.trim() === '') continue;
    const checked = checkLine(text);
    if ('reason' in checked) {
      summary.skipped++;
      onBadLine(summary.lines, checked.reason);
      continue;
    }
    const { line } = checked;
    if (firstT === null) {
      firstT = line.t;
      origin = performance.now();
    }
    if (line.t < lastT) summary.outOfOrder++;
    lastT = Math.max(lastT, line.t);
    summary.feedSpanMs = Math.max(summary.feedSpanMs, line.t - firstT);
    if (Number.isFinite(speed)) {
      const waitMs = origin + (line.t - firstT) / speed - performance.now();
      if (waitMs >= 1) await sleep(waitMs);
    }
    const published = publish(line.topic, feedPayload(line));
    // Awaited below in order; a failure further back must not surface as an unhandled rejection first.
    published.catch(() => {});
    inFlight.push(published);
    if (inFlight.length >= maxInFlight) await inFlight.shift();
    summary.published++;
    const key = line.topic.split('/').slice(0, 2).join('/');
    summary.byTopic[key] = (summary.byTopic[key] ?? 0) + 1;
  }
  await Promise.all(inFlight);
  summary.wallMs = performance.now() - started;
  return summary;
}

/** The stdout summary: totals, then messages by topic, most first. */
export function formatReplaySummary(s: ReplaySummary, speed: number): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  let text = `seawall replay: ${s.published} messages published from ${s.lines} lines (${s.skipped} bad, skipped`;
  text += `${s.outOfOrder > 0 ? `; ${s.outOfOrder} out of time order` : ''}), `;
  text += `${seconds(s.feedSpanMs)} of feed in ${seconds(s.wallMs)} at speed ${Number.isFinite(speed) ? speed : 'max'}\n`;
  for (const [topic, n] of Object.entries(s.byTopic).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    text += `  ${topic}: ${n}\n`;
  }
  return text;
}

/** `seawall replay`: returns the exit code (0 done, 1 input or broker unusable, 2 bad usage or configuration). */
export async function run(args: readonly string[], io: CommandIo = processIo(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let speed = 1;
  let mqttUrl: string | undefined;
  let quiet = false;
  let input: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? args[++i];
    if (name === '-h' || name === '--help') {
      io.stdout.write(REPLAY_USAGE);
      return 0;
    } else if (name === '-q' || name === '--quiet') quiet = true;
    else if (name === '--speed') {
      const v = value();
      const n = v === 'max' ? 0 : v === undefined || v.trim() === '' ? NaN : Number(v);
      if (!Number.isFinite(n) || n < 0) return usageError(io, `--speed wants a number ≥ 0 or max, got ${v ?? 'nothing'}`);
      speed = n === 0 ? Infinity : n;
    } else if (name === '--mqtt') {
      const v = MqttUrl.safeParse(value() ?? '');
      if (!v.success) return usageError(io, `--mqtt: ${v.error.issues[0]?.message ?? 'not a URL'}`);
      mqttUrl = v.data;
    } else if (arg.startsWith('-') && arg !== '-') return usageError(io, `unknown option ${arg}`);
    else if (input !== null) return usageError(io, `one input only, got ${input} and ${arg}`);
    else input = arg;
  }
  if (input === null) return usageError(io, 'no FILE (use - for stdin)');
  if (mqttUrl === undefined) {
    try {
      mqttUrl = loadReplayConfig(env).mqttUrl;
    } catch (err) {
      io.stderr.write(`seawall replay: ${(err as Error).message}\n`);
      return 2;
    }
  }

  const source = input === '-' ? io.stdin : createReadStream(input);
  const opened = input === '-' ? Promise.resolve() : new Promise<void>((resolve, reject) => source.once('open', () => resolve()).once('error', reject));
  try {
    await opened;
  } catch (err) {
    io.stderr.write(`seawall replay: ${input}: ${(err as Error).message}\n`);
    return 1;
  }

  let client: MqttClient;
  try {
    client = await connectAsync(mqttUrl, {
      clientId: `seawall-replay-${process.pid}-${Date.now().toString(36)}`,
      connectTimeout: 10_000,
      reconnectPeriod: 1_000,
    });
  } catch (err) {
    source.destroy();
    io.stderr.write(`seawall replay: cannot connect to ${mqttUrl}: ${(err as Error).message}\n`);
    return 1;
  }
  let warned = false;
  client.on('offline', () => {
    if (warned) return;
    warned = true;
    io.stderr.write(`seawall replay: lost ${mqttUrl}; holding messages until it is back\n`);
  });
  const name = input === '-' ? 'stdin' : input;
  try {
    const summary = await replayFeed(source, {
      speed,
      publish: async (topic, payload) => {
        await client.publishAsync(topic, payload, { qos: 1 });
      },
      onBadLine: (n, reason) => io.stderr.write(`seawall replay: ${name}:${n}: ${reason}\n`),
    });
    if (!quiet) io.stdout.write(formatReplaySummary(summary, speed));
    return 0;
  } catch (err) {
    io.stderr.write(`seawall replay: ${name}: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await client.endAsync();
  }
}

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`seawall replay: ${message}\n\n${REPLAY_USAGE}`);
  return 2;
}

function processIo(): CommandIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
}
