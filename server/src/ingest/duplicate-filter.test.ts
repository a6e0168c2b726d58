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
});
