import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskQueue } from './disk-queue';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seawall-dq-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const topicsOf = (q: DiskQueue) => Array.from({ length: q.length }, (_, i) => q.at(i)!.payload);

describe('DiskQueue', () => {
  it('keeps unacknowledged messages across a restart, in order, and forgets acknowledged ones', () => {
    const dir = tempDir();
    const q = new DiskQueue(dir, { maxBytes: 1 << 20, overflow: 'drop-oldest', segmentMessages: 3 });
    for (let i = 1; i <= 7; i++) q.append('obs/v1/ais/rx', `m${i}`);
    q.ackThrough(q.at(3)!.seq);
    q.close();

    const reopened = new DiskQueue(dir, { maxBytes: 1 << 20, overflow: 'drop-oldest', segmentMessages: 3 });
    expect(topicsOf(reopened)).toEqual(['m5', 'm6', 'm7']);
    reopened.append('obs/v1/ais/rx', 'm8');
    expect(reopened.at(3)!.seq).toBe(reopened.at(2)!.seq + 1);
    reopened.ackThrough(reopened.at(3)!.seq);
    reopened.close();
    expect(new DiskQueue(dir, { maxBytes: 1 << 20, overflow: 'drop-oldest' }).length).toBe(0);
    // Fully acknowledged segments are deleted; only the last open one may remain.
    expect(readdirSync(dir).filter((f) => f.endsWith('.seg')).length).toBeLessThanOrEqual(1);
  });

  it('drops the oldest past its bound and reports each drop', () => {
    let dropped = 0;
    const q = new DiskQueue(tempDir(), { maxBytes: 30, overflow: 'drop-oldest', onDrop: (n) => (dropped += n) });
    for (let i = 1; i <= 5; i++) q.append('t', `payload-${i}`); // 10 bytes each
    expect(topicsOf(q)).toEqual(['payload-3', 'payload-4', 'payload-5']);
    expect(dropped).toBe(2);
    q.close();
  });

  it('refuses the newest past its bound under drop-newest and reports it', () => {
    let dropped = 0;
    const q = new DiskQueue(tempDir(), { maxBytes: 30, overflow: 'drop-newest', onDrop: (n) => (dropped += n) });
    const accepted = [1, 2, 3, 4].map((i) => q.append('t', `payload-${i}`));
    expect(accepted).toEqual([true, true, true, false]);
    expect(dropped).toBe(1);
    q.close();
  });

  it('survives a line torn by a crash in the middle of a write', () => {
    const dir = tempDir();
    const q = new DiskQueue(dir, { maxBytes: 1 << 20, overflow: 'drop-oldest' });
    q.append('t', 'whole');
    q.close();
    const seg = readdirSync(dir).find((f) => f.endsWith('.seg'))!;
    appendFileSync(join(dir, seg), '[2,"t","tor');
    expect(topicsOf(new DiskQueue(dir, { maxBytes: 1 << 20, overflow: 'drop-oldest' }))).toEqual(['whole']);
  });

  it('reads back payloads with line breaks and tabs, lines of earlier versions, and drops a torn line of either form', () => {
    const dir = tempDir();
    const q = new DiskQueue(dir, { maxBytes: 1 << 20, overflow: 'drop-oldest' });
    q.append('obs/v1/ais/rx\t1', '{"a":"x\ty"}');
    q.append('t', 'two\nlines');
    q.close();
    const seg = readdirSync(dir).find((f) => f.endsWith('.seg'))!;
    appendFileSync(join(dir, seg), '[3,"t","written by an earlier version"]\n');
    appendFileSync(join(dir, seg), '4\t"t"\t20\t{"torn":');
    const reopened = new DiskQueue(dir, { maxBytes: 1 << 20, overflow: 'drop-oldest' });
    expect(topicsOf(reopened)).toEqual(['{"a":"x\ty"}', 'two\nlines', 'written by an earlier version']);
    expect(reopened.at(0)!.topic).toBe('obs/v1/ais/rx\t1');
    reopened.close();
  });
});
