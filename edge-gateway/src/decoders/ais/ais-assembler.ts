import type { AisSentence } from './nmea-sentence';
import { ok, reject, type Result } from '../result';

/** Tuning for {@link AisAssembler}. */
export interface AisAssemblerOptions {
  /** A group whose first fragment is older than this (by observation time) is dropped. Default 30 s. */
  timeoutMs?: number;
  /** At most this many incomplete groups are kept; the oldest is dropped first. Default 128. */
  maxPending?: number;
}

/** Counters for metrics; every dropped fragment group is counted once, under its reason. */
export interface AisAssemblerStats {
  /** Messages completed, single-sentence ones included. */
  completed: number;
  /** Fragments of multi-sentence messages accepted. */
  fragments: number;
  /** Fragments rejected because no group was waiting for them. */
  outOfOrder: number;
  /** Groups dropped because their next fragment did not come within the timeout. */
  timedOut: number;
  /** Groups dropped to stay within `maxPending`. */
  evicted: number;
  /** Incomplete groups replaced by a new first fragment with the same key. */
  superseded: number;
  /** Incomplete groups dropped because a fragment arrived out of order. */
  interrupted: number;
  /** Groups waiting for fragments now. */
  pending: number;
}

export type AssemblyRejectReason = 'fragment-out-of-order';

interface PendingGroup {
  startedAtMs: number;
  fragments: AisSentence[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_PENDING = 128;

/**
 * Joins multi-sentence AIS messages (IEC 61162-1 VDM/VDO fragments) by talker, channel and
 * sequential message id, plus the tag-block group id when present. Fragments must arrive in
 * order; time comes only from the caller's `nowMs`.
 */
export class AisAssembler {
  readonly #timeoutMs: number;
  readonly #maxPending: number;
  // Insertion order is arrival order, so the oldest groups are first.
  readonly #groups = new Map<string, PendingGroup>();
  readonly #counts: Omit<AisAssemblerStats, 'pending'> = {
    completed: 0,
    fragments: 0,
    outOfOrder: 0,
    timedOut: 0,
    evicted: 0,
    superseded: 0,
    interrupted: 0,
  };

  constructor(options: AisAssemblerOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#maxPending = Math.max(1, options.maxPending ?? DEFAULT_MAX_PENDING);
  }

  /**
   * Adds one sentence observed at `nowMs`. Returns the sentences of a completed message in
   * order, null while a message still waits for fragments, or a rejection.
   */
  push(sentence: AisSentence, nowMs: number): Result<readonly AisSentence[] | null, AssemblyRejectReason> {
    if (this.#groups.size > 0) this.expire(nowMs);
    if (sentence.fragmentCount === 1) {
      this.#counts.completed++;
      return ok([sentence]);
    }

    const key = groupKey(sentence);
    let group = this.#groups.get(key);
    // expire() stops at the first fresh group, so a stale one can remain if time ran backwards.
    if (group && nowMs - group.startedAtMs > this.#timeoutMs) {
      this.#groups.delete(key);
      this.#counts.timedOut++;
      group = undefined;
    }

    if (sentence.fragmentNumber === 1) {
      if (group) {
        this.#groups.delete(key);
        this.#counts.superseded++;
      }
      if (this.#groups.size >= this.#maxPending) this.#evictOldest();
      this.#groups.set(key, { startedAtMs: nowMs, fragments: [sentence] });
      this.#counts.fragments++;
      return ok(null);
    }

    const { fragmentNumber, fragmentCount } = sentence;
    if (!group || group.fragments.length + 1 !== fragmentNumber || group.fragments[0]!.fragmentCount !== fragmentCount) {
      this.#counts.outOfOrder++;
      if (group) {
        this.#groups.delete(key);
        this.#counts.interrupted++;
      }
      const expected = group ? `expected fragment ${group.fragments.length + 1}` : 'no first fragment';
      return reject('fragment-out-of-order', `fragment ${fragmentNumber}/${fragmentCount}, ${expected}`);
    }

    group.fragments.push(sentence);
    this.#counts.fragments++;
    if (fragmentNumber < fragmentCount) return ok(null);
    this.#groups.delete(key);
    this.#counts.completed++;
    return ok(group.fragments);
  }

  /** Drops groups older than the timeout at `nowMs`; returns how many were dropped. */
  expire(nowMs: number): number {
    let dropped = 0;
    for (const [key, group] of this.#groups) {
      if (nowMs - group.startedAtMs <= this.#timeoutMs) break;
      this.#groups.delete(key);
      dropped++;
    }
    this.#counts.timedOut += dropped;
    return dropped;
  }

  /** A snapshot of the counters. */
  get stats(): AisAssemblerStats {
    return { ...this.#counts, pending: this.#groups.size };
  }

  #evictOldest(): void {
    for (const key of this.#groups.keys()) {
      this.#groups.delete(key);
      this.#counts.evicted++;
      return;
    }
  }
}

function groupKey(s: AisSentence): string {
  return `${s.talker}${s.formatter},${s.channel},${s.seqId ?? ''},${s.tagBlock?.group?.id ?? ''}`;
}
