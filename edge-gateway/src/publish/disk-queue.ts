import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** One message waiting for the uplink broker's acknowledgement. */
export interface QueuedMessage {
  seq: number;
  topic: string;
  payload: string;
  bytes: number;
}

export type OverflowPolicy = 'drop-oldest' | 'drop-newest';

export interface DiskQueueOptions {
  /** Bound on the bytes of unacknowledged messages; past it `overflow` decides what is dropped. */
  maxBytes: number;
  overflow: OverflowPolicy;
  /** Messages per segment file before a new one is started. */
  segmentMessages?: number;
  /** Called for each message dropped by the bound (never silent: the caller counts it). */
  onDrop?: (count: number) => void;
}

const HEAD_FILE = 'head.json';
const SEGMENT_SUFFIX = '.seg';

/**
 * An ordered, bounded, file-backed queue: every message is appended to segment files (JSON lines) before
 * it is sent, and stays until acknowledged. A restarted process reloads what was not acknowledged.
 * Writes are batched per event-loop turn; they reach the operating system (surviving a killed process),
 * not necessarily the platter (no fsync per message: that would cap the rate at the disk's IOPS).
 */
export class DiskQueue {
  private readonly items: QueuedMessage[] = [];
  private start = 0;
  private bytes = 0;
  private nextSeq = 1;
  private ackedSeq = 0;
  private fd: number | null = null;
  private segmentFirstSeq = 0;
  private segmentCount = 0;
  private readonly segments: { firstSeq: number; lastSeq: number; file: string }[] = [];
  private pendingLines: string[] = [];
  private flushScheduled = false;
  private headDirty = false;
  private headTimer: NodeJS.Timeout | undefined;
  private readonly segmentMessages: number;

  constructor(
    private readonly dir: string,
    private readonly opts: DiskQueueOptions,
  ) {
    this.segmentMessages = opts.segmentMessages ?? 50_000;
    mkdirSync(dir, { recursive: true });
    this.load();
  }

  /** Unacknowledged messages. */
  get length(): number {
    return this.items.length - this.start;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  /** The i-th unacknowledged message, oldest first. */
  at(i: number): QueuedMessage | undefined {
    return this.items[this.start + i];
  }

  /** Appends a message; returns false when the bound refused it (drop-newest). */
  append(topic: string, payload: string): boolean {
    const bytes = topic.length + payload.length;
    if (this.bytes + bytes > this.opts.maxBytes) {
      if (this.opts.overflow === 'drop-newest' || this.length === 0) {
        this.opts.onDrop?.(1);
        return false;
      }
      let dropped = 0;
      while (this.length > 0 && this.bytes + bytes > this.opts.maxBytes) {
        this.ackThrough(this.items[this.start]!.seq);
        dropped++;
      }
      this.opts.onDrop?.(dropped);
    }
    const msg: QueuedMessage = { seq: this.nextSeq++, topic, payload, bytes };
    this.items.push(msg);
    this.bytes += bytes;
    this.writeLine(msg);
    return true;
  }

  /** Acknowledges every message up to and including `seq`. */
  ackThrough(seq: number): void {
    if (seq <= this.ackedSeq) return;
    while (this.length > 0 && this.items[this.start]!.seq <= seq) {
      this.bytes -= this.items[this.start]!.bytes;
      this.start++;
    }
    this.ackedSeq = seq;
    if (this.start > 4096 && this.start * 2 > this.items.length) {
      this.items.splice(0, this.start);
      this.start = 0;
    }
    this.headDirty = true;
    this.headTimer ??= setTimeout(() => this.persistHead(), 200);
  }

  /** Writes pending appends and the acknowledged position now; closes the files. */
  close(): void {
    this.flushLines();
    this.persistHead();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private writeLine(msg: QueuedMessage): void {
    this.pendingLines.push(JSON.stringify([msg.seq, msg.topic, msg.payload]));
    if (this.segmentCount === 0) this.segmentFirstSeq = msg.seq;
    this.segmentCount++;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushLines());
    }
    if (this.segmentCount >= this.segmentMessages) {
      this.flushLines();
      this.rotate();
    }
  }

  private flushLines(): void {
    this.flushScheduled = false;
    if (this.pendingLines.length === 0) return;
    if (this.fd === null) this.openSegment();
    writeSync(this.fd!, this.pendingLines.join('\n') + '\n');
    this.pendingLines = [];
    const current = this.segments[this.segments.length - 1]!;
    current.lastSeq = this.nextSeq - 1;
  }

  private openSegment(): void {
    const firstSeq = this.segmentFirstSeq || this.nextSeq;
    const file = join(this.dir, `${String(firstSeq).padStart(16, '0')}${SEGMENT_SUFFIX}`);
    this.fd = openSync(file, 'a');
    this.segments.push({ firstSeq, lastSeq: firstSeq - 1, file });
  }

  private rotate(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    this.segmentCount = 0;
    this.segmentFirstSeq = 0;
  }

  private persistHead(): void {
    clearTimeout(this.headTimer);
    this.headTimer = undefined;
    if (!this.headDirty) return;
    this.headDirty = false;
    const tmp = join(this.dir, `${HEAD_FILE}.tmp`);
    writeFileSync(tmp, JSON.stringify({ ackedSeq: this.ackedSeq }));
    renameSync(tmp, join(this.dir, HEAD_FILE));
    // Whole segments that are acknowledged are done with; the open one stays until it is rotated.
    while (this.segments.length > 1 && this.segments[0]!.lastSeq <= this.ackedSeq) {
      unlinkSync(this.segments.shift()!.file);
    }
  }

  private load(): void {
    const headPath = join(this.dir, HEAD_FILE);
    if (existsSync(headPath)) {
      try {
        this.ackedSeq = Number(JSON.parse(readFileSync(headPath, 'utf8')).ackedSeq) || 0;
      } catch {
        this.ackedSeq = 0; // a torn head file: resend everything still on disk (duplicates are dropped downstream)
      }
    }
    const files = readdirSync(this.dir).filter((f) => f.endsWith(SEGMENT_SUFFIX)).sort();
    let maxSeq = this.ackedSeq;
    for (const f of files) {
      const file = join(this.dir, f);
      let lastSeq = 0;
      const text = statSync(file).size > 0 ? readFileSync(file, 'utf8') : '';
      for (const line of text.split('\n')) {
        if (!line) continue;
        let entry: unknown;
        try {
          entry = JSON.parse(line);
        } catch {
          continue; // a line torn by a crash mid-write
        }
        if (!Array.isArray(entry) || typeof entry[0] !== 'number' || typeof entry[1] !== 'string' || typeof entry[2] !== 'string') continue;
        const [seq, topic, payload] = entry as [number, string, string];
        lastSeq = Math.max(lastSeq, seq);
        if (seq <= this.ackedSeq) continue;
        this.items.push({ seq, topic, payload, bytes: topic.length + payload.length });
        this.bytes += topic.length + payload.length;
      }
      maxSeq = Math.max(maxSeq, lastSeq);
      if (lastSeq <= this.ackedSeq) unlinkSync(file);
      else this.segments.push({ firstSeq: Number(f.slice(0, -SEGMENT_SUFFIX.length)), lastSeq, file });
    }
    this.nextSeq = maxSeq + 1;
    // New appends go to a fresh segment: never append after a possibly torn last line.
  }
}
