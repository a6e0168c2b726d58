import { describe, expect, it } from 'vitest';
import { DuplicateFilter } from './duplicate-filter';

describe('DuplicateFilter', () => {
  it('lets an observation id through once and stops its redeliveries', () => {
    const filter = new DuplicateFilter();
    expect(filter.seen('a1b2c3d4e5f60718')).toBe(false);
    expect(filter.seen('a1b2c3d4e5f60718')).toBe(true);
    expect(filter.seen('0000000000000001')).toBe(false);
  });

  it('forgets the oldest ids past its capacity', () => {
    const filter = new DuplicateFilter(2);
    filter.seen('a');
    filter.seen('b');
    filter.seen('c');
    expect(filter.seen('a')).toBe(false);
    expect(filter.seen('c')).toBe(true);
  });

  it('keeps exactly the latest ids, in arrival order, however many pass through', () => {
    const filter = new DuplicateFilter(3);
    for (let i = 0; i < 10; i++) expect(filter.seen(`id${i}`)).toBe(false);
    expect(filter.seen('id9')).toBe(true);
    expect(filter.seen('id8')).toBe(true);
    expect(filter.seen('id7')).toBe(true);
    expect(filter.seen('id6')).toBe(false); // forgotten; now the newest, id7 goes
    expect(filter.seen('id7')).toBe(false);
    expect(filter.seen('id6')).toBe(true);
  });

  it('lists the most recent ids oldest first, before and after the ring wraps', () => {
    const filter = new DuplicateFilter(4);
    for (const id of ['a', 'b', 'c']) filter.seen(id);
    expect(filter.recent(2)).toEqual(['b', 'c']);
    for (const id of ['d', 'e', 'f']) filter.seen(id);
    expect(filter.recent(10)).toEqual(['c', 'd', 'e', 'f']);
    expect(filter.recent(3)).toEqual(['d', 'e', 'f']);
  });
});
