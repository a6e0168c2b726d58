import { AisDecoder, parseAisSentence, type AisSentence } from '../decoders/ais';
import { toAisObservations } from '../normalize/ais-observation';
import { SensorDecoders } from './sensor-decoders';
import type { HandleResult, SensorHandler } from './sensor-handler';

/** A feed larger than this in one MQTT message is not a receiver's output. */
const MAX_AIS_PAYLOAD_BYTES = 256 * 1024;

/** The same sentence from another receiver within this window is a duplicate (counted, then dropped). */
export const DEFAULT_DUPLICATE_WINDOW_MS = 10_000;

/** Reasons a decoded message yields no observation although the input was valid. */
const NOT_BAD_INPUT = new Set(['no-position', 'not-a-position-report', 'not-a-static-report']);

/**
 * AIS receivers: NMEA text, one or more `!AIVDM`/`!AIVDO` lines per message. One decoder per sensor, so
 * fragments of a multi-sentence message may arrive in separate MQTT messages.
 */
export function createAisHandler(gatewayId: string, duplicateWindowMs = DEFAULT_DUPLICATE_WINDOW_MS): SensorHandler {
  const recent = new SentenceWindow(duplicateWindowMs);
  const decoders = new SensorDecoders(
    () => new AisDecoder(),
    (d) => {
      const { timedOut, evicted, superseded, interrupted, outOfOrder } = d.stats.assembler;
      return { 'fragments-timed-out': timedOut, 'fragments-evicted': evicted, 'fragments-superseded': superseded, 'fragments-interrupted': interrupted, 'fragments-out-of-order': outOfOrder };
    },
  );
  return {
    counters: () => decoders.totals(),
    handle(sensorId, payload, receivedAtMs): HandleResult {
      if (payload.byteLength > MAX_AIS_PAYLOAD_BYTES) {
        return { observations: [], rejections: [{ reason: 'oversize', detail: `${payload.byteLength} bytes`, raw: payload.subarray(0, 1024) }] };
      }
      // NMEA is ASCII: latin1 keeps every byte, so one bad byte spoils only its own line, which then fails
      // its checksum or character check, and the other lines of the payload still decode.
      const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('latin1');
      const decoder = decoders.for(sensorId);
      const result: HandleResult = { observations: [], rejections: [], ignored: [] };
      if (text.trim().length === 0) result.rejections.push({ reason: 'empty-payload', raw: text });
      for (const raw of text.split('\n')) {
        const line = raw.trim();
        if (line.length === 0) continue;
        // Receivers add their own tag blocks; the sentence itself is what several of them hear alike. Only a
        // well-formed sentence counts as a duplicate: a repeated bad line is still dead-lettered.
        const sentence = parseAisSentence(line);
        // The window runs on the receiver's time (tag block c:) when it has one: a fast replay compresses
        // receipt times, and a moored vessel's identical reports an hour apart are not duplicates.
        if (sentence.ok && recent.seen(sentenceKey(sentence.value), sentence.value.tagBlock?.timeMs ?? receivedAtMs)) {
          result.ignored!.push('duplicate');
          continue;
        }
        // A line that did not parse goes through push() to be counted among the decoder's rejections.
        const decoded = sentence.ok ? decoder.pushSentence(sentence.value, receivedAtMs) : decoder.push(line, receivedAtMs);
        if (!decoded.ok) {
          // The raw bytes, so that a line with binary junk is dead-lettered as base64 rather than mangled text.
          result.rejections.push({ reason: decoded.reason, ...(decoded.detail ? { detail: decoded.detail } : {}), raw: Buffer.from(line, 'latin1') });
          continue;
        }
        if (!decoded.value) {
          result.ignored!.push('fragment-pending');
          continue;
        }
        const normalized = toAisObservations(decoded.value, { sensorId, gatewayId });
        // Types that carry no vessel position or identity (base stations, binary messages, …) are read and counted.
        if (normalized.observations.length === 0 && normalized.rejections.length === 0) result.ignored!.push(`type-${decoded.value.message.type}`);
        result.observations.push(...normalized.observations);
        for (const r of normalized.rejections) {
          if (NOT_BAD_INPUT.has(r.reason)) result.ignored!.push(r.reason);
          else result.rejections.push({ reason: r.reason, ...(r.detail ? { detail: r.detail } : {}), raw: decoded.value.lines.join('\r\n') });
        }
      }
      return result;
    },
  };
}

function sentenceKey(s: AisSentence): string {
  return `${s.fragmentCount},${s.fragmentNumber},${s.seqId ?? ''},${s.channel ?? ''},${s.payload},${s.fillBits}`;
}

/**
 * The sentences heard within the duplicate window (bounded in count), oldest first: what `RecentKeys` does, with
 * the order kept in arrays beside the map. A Map used as a FIFO (delete its oldest entry, append a new one) leaves
 * a hole at its front for each deletion, which every new iteration from the front walks past until the table is
 * rebuilt: at 10,000 sentences/s with 100,000 keys that cost about 20 µs a sentence, more than decoding it.
 */
export class SentenceWindow {
  // key -> its entry's position in the queue (positions count from the first entry ever queued)
  private readonly at = new Map<string, number>();
  private keys: string[] = [];
  private times: number[] = [];
  private head = 0; // queue index of the oldest entry not yet evicted
  private base = 0; // position of queue index 0

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** True when `key` was already seen within the window before `nowMs`; records it otherwise. */
  seen(key: string, nowMs: number): boolean {
    // Evict from the oldest while it is out of the window, or while there are too many; an entry whose key was
    // recorded again since is stale and only skipped.
    while (this.head < this.keys.length) {
      const k = this.keys[this.head]!;
      const live = this.at.get(k) === this.base + this.head;
      if (live && nowMs - this.times[this.head]! <= this.windowMs && this.at.size < this.maxKeys) break;
      if (live) this.at.delete(k);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.times = this.times.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
    const pos = this.at.get(key);
    if (pos !== undefined && nowMs - this.times[pos - this.base]! <= this.windowMs) return true;
    this.at.set(key, this.base + this.keys.length);
    this.keys.push(key);
    this.times.push(nowMs);
    return false;
  }
}
