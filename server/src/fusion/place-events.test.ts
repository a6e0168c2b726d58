import type { TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { placeEvents } from './place-events';

const id = 'ais:413521110' as TrackId;

describe('ring and zone events', () => {
  it('a ferry leaving Xiuying port: leaves the port zone, then the shoreline ring for near-sea', () => {
    const inPort = { ring: 'shoreline' as const, zones: ['port:haikou-xiuying'] };
    const offPort = { ring: 'shoreline' as const, zones: [] };
    expect(placeEvents(id, 1, 110.27, 20.03, inPort, offPort).map((e) => [e.kind, e.place])).toEqual([['zone-leave', 'port:haikou-xiuying']]);
    expect(placeEvents(id, 2, 110.27, 20.06, offPort, { ring: 'near-sea', zones: [] }).map((e) => [e.kind, e.place])).toEqual([
      ['ring-leave', 'shoreline'],
      ['ring-enter', 'near-sea'],
    ]);
  });

  it('a track first seen in a ring enters it; nothing happens while it stays; outside is not a ring', () => {
    expect(placeEvents(id, 1, 110, 20, undefined, { ring: 'near-sea', zones: [] }).map((e) => e.kind)).toEqual(['ring-enter']);
    expect(placeEvents(id, 2, 110, 20, { ring: 'near-sea', zones: [] }, { ring: 'near-sea', zones: [] })).toEqual([]);
    expect(placeEvents(id, 3, 111, 17, { ring: 'near-sea', zones: [] }, { ring: 'outside', zones: [] }).map((e) => [e.kind, e.place])).toEqual([['ring-leave', 'near-sea']]);
  });
});
