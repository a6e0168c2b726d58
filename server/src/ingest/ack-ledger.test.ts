import { describe, expect, it } from 'vitest';
import { AckLedger } from './ack-ledger';

describe('AckLedger', () => {
  it('releases exactly what arrived before the mark, in order, once', () => {
    const ledger = new AckLedger();
    ledger.add(7, ['a']);
    ledger.add(8, []);
    const mark = ledger.mark();
    ledger.add(9, ['b']);
    expect(ledger.take(mark)).toEqual([7, 8]);
    expect(ledger.take(mark)).toEqual([]);
    expect(ledger.held).toBe(1);
    expect(ledger.take(ledger.mark())).toEqual([9]);
    expect(ledger.held).toBe(0);
  });

  it('knows which observations still wait, counting one sent twice until both are released', () => {
    const ledger = new AckLedger();
    ledger.add(1, ['x']);
    const first = ledger.mark();
    ledger.add(2, ['x']);
    expect(ledger.holds('x')).toBe(true);
    ledger.take(first);
    expect(ledger.holds('x')).toBe(true);
    ledger.take(ledger.mark());
    expect(ledger.holds('x')).toBe(false);
  });

  it('holds every observation of a batch until its one message is released', () => {
    const ledger = new AckLedger();
    ledger.add(4, ['p', 'q', 'r']);
    expect(['p', 'q', 'r'].map((id) => ledger.holds(id))).toEqual([true, true, true]);
    expect(ledger.held).toBe(1);
    expect(ledger.take(ledger.mark())).toEqual([4]);
    expect(['p', 'q', 'r'].some((id) => ledger.holds(id))).toBe(false);
  });

  it('forgets a lost connection: a mark taken before it releases nothing of the next one', () => {
    const ledger = new AckLedger();
    ledger.add(1, ['a']);
    const before = ledger.mark();
    ledger.clear();
    expect(ledger.holds('a')).toBe(false);
    ledger.add(1, ['b']);
    expect(ledger.take(before)).toEqual([]);
    expect(ledger.take(ledger.mark())).toEqual([1]);
  });
});
