import {
  AisAssembler,
  type AisAssemblerOptions,
  type AisAssemblerStats,
  type AssemblyRejectReason,
} from './ais-assembler';
import { decodeAisPayload, type AisMessage, type AisPayloadRejectReason } from './decode-ais-payload';
import { parseAisSentence, type AisSentence, type NmeaRejectReason } from './nmea-sentence';
import { ok, reject, type Result } from '../result';
import { unarmour } from './sixbit';

/** One decoded AIS message with where and when it came from. */
export interface DecodedAis {
  message: AisMessage;
  /** The lines that carried it, in fragment order, trimmed; the basis of observation ids. */
  lines: readonly string[];
  talker: string;
  formatter: 'VDM' | 'VDO';
  channel: string;
  /** Tag-block `s:` of the first fragment that has one. */
  source: string | null;
  /** Tag-block `c:` of the first fragment that has one, epoch milliseconds. */
  sourceTimeMs: number | null;
  /** When the gateway received the line that completed the message. */
  receivedAtMs: number;
}

export type AisRejectReason = NmeaRejectReason | AssemblyRejectReason | AisPayloadRejectReason;

/** Counters for metrics. */
export interface AisDecoderStats {
  lines: number;
  decoded: number;
  /** Rejected lines and messages by reason. */
  rejected: Readonly<Partial<Record<AisRejectReason, number>>>;
  assembler: AisAssemblerStats;
}

/**
 * Stateful decoder for one AIS sentence stream (one sensor): parses each line, joins fragments and
 * decodes the payload. Pure apart from its own state; never throws on bad input.
 */
export class AisDecoder {
  readonly #assembler: AisAssembler;
  readonly #rejected: Partial<Record<AisRejectReason, number>> = {};
  #lines = 0;
  #decoded = 0;

  constructor(options: AisAssemblerOptions = {}) {
    this.#assembler = new AisAssembler(options);
  }

  /**
   * Feeds one line received at `receivedAtMs`. Returns the decoded message when the line completes
   * one, null while a multi-sentence message waits for more fragments, or why the line was rejected.
   */
  push(line: string, receivedAtMs: number): Result<DecodedAis | null, AisRejectReason> {
    const parsed = parseAisSentence(line);
    if (!parsed.ok) {
      this.#lines++;
      return this.#count(parsed.reason, parsed.detail);
    }
    return this.pushSentence(parsed.value, receivedAtMs);
  }

  /** `push` for a line the caller has parsed already (with `parseAisSentence`). */
  pushSentence(sentence: AisSentence, receivedAtMs: number): Result<DecodedAis | null, AisRejectReason> {
    this.#lines++;
    const assembled = this.#assembler.push(sentence, receivedAtMs);
    if (!assembled.ok) return this.#count(assembled.reason, assembled.detail);
    const sentences = assembled.value;
    if (sentences === null) return ok(null);

    // Characters were validated by the parser, so only the fill bits can still be wrong.
    const payload = unarmour(sentences);
    if (!payload.ok) return this.#count(payload.reason, payload.detail);
    const decoded = decodeAisPayload(payload.value);
    if (!decoded.ok) return this.#count(decoded.reason, decoded.detail);

    const first = sentences[0]!;
    let source: string | null = null;
    let sourceTimeMs: number | null = null;
    const lines: string[] = [];
    for (let i = 0; i < sentences.length; i++) {
      const s = sentences[i]!;
      lines.push(s.line);
      if (s.tagBlock === null) continue;
      source ??= s.tagBlock.source;
      sourceTimeMs ??= s.tagBlock.timeMs;
    }
    this.#decoded++;
    return ok({
      message: decoded.value,
      lines,
      talker: first.talker,
      formatter: first.formatter,
      channel: first.channel,
      source,
      sourceTimeMs,
      receivedAtMs,
    });
  }

  /** Drops fragment groups that timed out by `nowMs` (also done on every push). */
  expire(nowMs: number): number {
    return this.#assembler.expire(nowMs);
  }

  /** A snapshot of the counters. */
  get stats(): AisDecoderStats {
    return {
      lines: this.#lines,
      decoded: this.#decoded,
      rejected: { ...this.#rejected },
      assembler: this.#assembler.stats,
    };
  }

  #count(reason: AisRejectReason, detail?: string) {
    this.#rejected[reason] = (this.#rejected[reason] ?? 0) + 1;
    return reject(reason, detail);
  }
}

/** A line turned away, shaped for the dead-letter topic. */
export interface AisLineRejection {
  reason: AisRejectReason;
  detail?: string;
  raw: string;
}

/** What one multi-line payload produced. */
export interface AisTextResult {
  messages: DecodedAis[];
  rejections: AisLineRejection[];
}

/**
 * Decodes a payload holding one or more lines (an MQTT message from a receiver), in order,
 * through `decoder` so fragments may span payloads. Blank lines are skipped.
 */
export function decodeAisText(decoder: AisDecoder, text: string, receivedAtMs: number): AisTextResult {
  const result: AisTextResult = { messages: [], rejections: [] };
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    const line = text.slice(from, to);
    from = to + 1;
    if (line.trim().length === 0) continue;
    const r = decoder.push(line, receivedAtMs);
    if (r.ok) {
      if (r.value) result.messages.push(r.value);
    } else {
      const { reason, detail } = r;
      result.rejections.push(detail === undefined ? { reason, raw: line } : { reason, detail, raw: line });
    }
  }
  return result;
}
