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
/**
 * How often the acknowledged position is written (a file written and renamed). After a crash what was
 * acknowledged since is sent again, and the server drops it as a duplicate.
 */
const HEAD_PERSIST_MS = 1_000;
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
    this.headTimer ??= setTimeout(() => this.persistHead(), HEAD_PERSIST_MS);
  }

  /** Hands the appends of this turn to the operating system now (they survive a killed process from here on). */
  flush(): void {
    this.flushLines();
  }

  /** Writes pending appends and the acknowledged position now; closes the files. */
  close(): void {
    this.flushLines();
    this.persistHead();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private writeLine(msg: QueuedMessage): void {
    this.pendingLines.push(encodeLine(msg));
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
        const entry = decodeLine(line);
        if (!entry) continue; // a line torn by a crash mid-write
        const [seq, topic, payload] = entry;
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

/**
 * One message as a line: `seq TAB topic-as-JSON TAB payload-length TAB payload`. A payload is JSON already (an
 * observation, a dead letter), and escaping it once more into a JSON array cost as much as making it; the length
 * tells a line torn by a crash from a whole one. A payload with a line break in it goes as a JSON array
 * `[seq, topic, payload]`, the format of earlier versions, which is read as well.
 */
function encodeLine(msg: QueuedMessage): string {
  if (msg.payload.includes('\n')) return JSON.stringify([msg.seq, msg.topic, msg.payload]);
  return `${msg.seq}\t${JSON.stringify(msg.topic)}\t${msg.payload.length}\t${msg.payload}`;
}

function decodeLine(line: string): [seq: number, topic: string, payload: string] | null {
  if (line.startsWith('[')) {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return null;
    }
    if (!Array.isArray(entry) || typeof entry[0] !== 'number' || typeof entry[1] !== 'string' || typeof entry[2] !== 'string') return null;
    return entry as [number, string, string];
  }
  const t1 = line.indexOf('\t');
  const t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
  const t3 = t2 < 0 ? -1 : line.indexOf('\t', t2 + 1);
  if (t3 < 0) return null;
  const seq = Number(line.slice(0, t1));
  const length = Number(line.slice(t2 + 1, t3));
  const payload = line.slice(t3 + 1);
  if (!Number.isSafeInteger(seq) || payload.length !== length) return null;
  let topic: unknown;
  try {
    topic = JSON.parse(line.slice(t1 + 1, t2));
  } catch {
    return null;
  }
  return typeof topic === 'string' ? [seq, topic, payload] : null;
}
