import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AisAssembler } from './ais-assembler';
import { parseAisSentence, type AisSentence } from './nmea-sentence';
import { sentence } from './test-support';

const FIXTURES = new URL('../../../../../shared/fixtures/ais/', import.meta.url);
const fixtureLines = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8').split('\n').filter((l) => l.trim() !== '');

function parsed(line: string): AisSentence {
  const r = parseAisSentence(line);
  if (!r.ok) throw new Error(`${r.reason}: ${line}`);
  return r.value;
}

// Message 5 in two fragments, from pyais-mixed.txt.
const PART1 = '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C';
const PART2 = '!AIVDM,2,2,1,A,88888888880,2*25';
/** A fragment `n` of `count` with sequence id `seq` on `channel`. */
const fragment = (n: number, count = 2, seq = '3', channel = 'A', tag?: string) =>
  parsed(sentence(`AIVDM,${count},${n},${seq},${channel},${n === count ? '88888888880,2' : '55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0'}`, tag));
const T0 = 1_700_000_000_000;

const outcome = (r: ReturnType<AisAssembler['push']>) => (r.ok ? (r.value === null ? 'pending' : `complete ${r.value.length}`) : r.reason);

describe('AisAssembler', () => {
  it('passes a single-sentence message straight through', () => {
    const a = new AisAssembler();
    const s = parsed('!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23');
    expect(a.push(s, T0)).toEqual({ ok: true, value: [s] });
    expect(a.stats).toMatchObject({ completed: 1, fragments: 0, pending: 0 });
  });

  it('joins fragments that arrive in order', () => {
    const a = new AisAssembler();
    expect(a.push(parsed(PART1), T0)).toEqual({ ok: true, value: null });
    const r = a.push(parsed(PART2), T0 + 5);
    expect(r.ok && r.value?.map((s) => s.line)).toEqual([PART1, PART2]);
    expect(a.stats).toMatchObject({ completed: 1, fragments: 2, pending: 0 });
  });

  it('rejects fragments that arrive out of order and counts them', () => {
    const a = new AisAssembler();
    expect(outcome(a.push(parsed(PART2), T0))).toBe('fragment-out-of-order');
    expect(outcome(a.push(parsed(PART1), T0 + 1))).toBe('pending');
    expect(a.stats).toMatchObject({ outOfOrder: 1, pending: 1, completed: 0 });
  });

  it('drops a group when a fragment skips ahead, so a later fragment cannot join the wrong message', () => {
    const a = new AisAssembler();
    expect(outcome(a.push(fragment(1, 3), T0))).toBe('pending');
    expect(outcome(a.push(fragment(3, 3), T0 + 1))).toBe('fragment-out-of-order');
    expect(outcome(a.push(fragment(2, 3), T0 + 2))).toBe('fragment-out-of-order');
    expect(a.stats).toMatchObject({ outOfOrder: 2, interrupted: 1, pending: 0 });
  });

  it('rejects a fragment whose fragment count differs from its group', () => {
    const a = new AisAssembler();
    a.push(fragment(1, 2), T0);
    expect(outcome(a.push(fragment(2, 3), T0 + 1))).toBe('fragment-out-of-order');
  });

  it('times out a group whose next fragment is later than 30 s by observation time', () => {
    const a = new AisAssembler();
    a.push(parsed(PART1), T0);
    expect(outcome(a.push(parsed(PART2), T0 + 30_001))).toBe('fragment-out-of-order');
    expect(a.stats).toMatchObject({ timedOut: 1, outOfOrder: 1, pending: 0 });

    const b = new AisAssembler();
    b.push(parsed(PART1), T0);
    expect(outcome(b.push(parsed(PART2), T0 + 30_000))).toBe('complete 2');
  });

  it('sweeps stale groups on expire() and on unrelated pushes, with a configurable timeout', () => {
    const a = new AisAssembler({ timeoutMs: 1_000 });
    a.push(fragment(1, 2, '1'), T0);
    a.push(fragment(1, 2, '2'), T0 + 600);
    expect(a.expire(T0 + 1_001)).toBe(1);
    expect(a.stats.pending).toBe(1);
    a.push(parsed('!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23'), T0 + 2_000);
    expect(a.stats).toMatchObject({ timedOut: 2, pending: 0 });
  });

  it('still times out a stale group when observation time ran backwards in between', () => {
    const a = new AisAssembler();
    a.push(fragment(1, 2, '1'), T0 + 100_000);
    a.push(fragment(1, 2, '2'), T0);
    expect(outcome(a.push(fragment(2, 2, '2'), T0 + 60_000))).toBe('fragment-out-of-order');
    expect(a.stats.timedOut).toBe(1);
  });

  it('keeps interleaved messages apart by sequence id, channel and talker', () => {
    const a = new AisAssembler();
    a.push(fragment(1, 2, '1', 'A'), T0);
    a.push(fragment(1, 2, '2', 'A'), T0);
    a.push(fragment(1, 2, '1', 'B'), T0);
    a.push(parsed(sentence('BSVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0')), T0);
    expect(a.stats.pending).toBe(4);
    for (const [seq, ch] of [['2', 'A'], ['1', 'B'], ['1', 'A']] as const) {
      expect(outcome(a.push(fragment(2, 2, seq, ch), T0 + 1))).toBe('complete 2');
    }
    expect(a.stats).toMatchObject({ completed: 3, pending: 1 });
  });

  it('keeps groups with the same sequence id apart by tag-block group id', () => {
    const a = new AisAssembler();
    a.push(fragment(1, 2, '6', 'A', 'g:1-2-1604'), T0);
    a.push(fragment(1, 2, '6', 'A', 'g:1-2-1605'), T0);
    expect(outcome(a.push(fragment(2, 2, '6', 'A', 'g:2-2-1604'), T0 + 1))).toBe('complete 2');
    expect(outcome(a.push(fragment(2, 2, '6', 'A', 'g:2-2-1605'), T0 + 1))).toBe('complete 2');
  });

  it('joins the libais tag-block corpus, whose fragments are carried in g: groups with other messages between', () => {
    const a = new AisAssembler();
    const outcomes = fixtureLines('libais-tagblock.nmea').map((l, i) => outcome(a.push(parsed(l), T0 + i)));
    expect(outcomes).toEqual(['pending', 'complete 1', 'complete 2', 'complete 1', 'complete 1']);
  });

  it('replaces an incomplete group when its first fragment comes again', () => {
    const a = new AisAssembler();
    a.push(fragment(1), T0);
    a.push(fragment(1), T0 + 1);
    expect(outcome(a.push(fragment(2), T0 + 2))).toBe('complete 2');
    expect(a.stats).toMatchObject({ superseded: 1, completed: 1 });
  });

  it('bounds the pending groups, dropping the oldest and counting it', () => {
    const a = new AisAssembler({ maxPending: 2 });
    a.push(fragment(1, 2, '1'), T0);
    a.push(fragment(1, 2, '2'), T0 + 1);
    a.push(fragment(1, 2, '3'), T0 + 2);
    expect(a.stats).toMatchObject({ evicted: 1, pending: 2 });
    expect(outcome(a.push(fragment(2, 2, '1'), T0 + 3))).toBe('fragment-out-of-order');
    expect(outcome(a.push(fragment(2, 2, '3'), T0 + 3))).toBe('complete 2');
  });
});
