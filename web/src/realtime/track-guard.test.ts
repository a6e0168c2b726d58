import { describe, expect, it } from 'vitest';
import { parseTrackIdBatch } from './track-guard';

describe('parseTrackIdBatch (tracks:removed)', () => {
  it('keeps track ids and drops what cannot be one', () => {
    expect(parseTrackIdBatch(['ais:1', 7, '', 'x'.repeat(129), null, 'radar:rdr-haikou:9'])).toEqual({
      items: ['ais:1', 'radar:rdr-haikou:9'],
      dropped: 4,
    });
  });

  it('a payload that is not an array is one drop', () => {
    expect(parseTrackIdBatch({ ids: ['ais:1'] })).toEqual({ items: [], dropped: 1 });
    expect(parseTrackIdBatch('ais:1')).toEqual({ items: [], dropped: 1 });
  });
});
