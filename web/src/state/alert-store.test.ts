import type { Alert, AlertId, RiskLevel, Ring, TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { AlertStore, compareAlerts, countAlerts, type AlertStoreChange } from './alert-store';

function alert(id: string, level: RiskLevel, raisedAtMs: number, patch: Partial<Alert> = {}): Alert {
  return {
    id: id as AlertId,
    rule: 'unidentified-target',
    level,
    status: 'open',
    trackIds: [`radar:rdr-1:${id}` as TrackId],
    ring: 'near-sea' as Ring,
    lon: 110.3,
    lat: 20.1,
    raisedAtMs,
    updatedAtMs: raisedAtMs,
    summary: 'Radar target without AIS identity in the near-sea ring',
    evidence: {},
    ...patch,
  };
}

function recording(store: AlertStore): AlertStoreChange[] {
  const changes: AlertStoreChange[] = [];
  store.subscribe((c) => changes.push(c));
  return changes;
}

describe('alert order', () => {
  it('puts red before orange before yellow before blue, and the newest first within a level', () => {
    const list = [alert('b1', 'blue', 9), alert('y1', 'yellow', 5), alert('r-old', 'red', 1), alert('o1', 'orange', 7), alert('r-new', 'red', 3)];
    expect(list.sort(compareAlerts).map((a) => a.id)).toEqual(['r-new', 'r-old', 'o1', 'y1', 'b1']);
  });

  it('counts alerts per level and per ring, an alert without a ring under none', () => {
    const counts = countAlerts([
      alert('a', 'red', 1, { ring: 'inland' }),
      alert('b', 'red', 2, { ring: 'shoreline', status: 'acknowledged' }),
      alert('c', 'yellow', 3),
      alert('d', 'blue', 4, { ring: null }),
    ]);
    expect(counts.total).toBe(4);
    expect(counts.byLevel).toEqual({ red: 2, orange: 0, yellow: 1, blue: 1 });
    expect(counts.byRing).toEqual({ 'near-sea': 1, shoreline: 1, inland: 1, outside: 0, none: 1 });
    expect(counts.openRed).toBe(1);
  });
});

describe('AlertStore', () => {
  it('holds the listed alerts sorted, and drops closed ones from the list it is given', () => {
    const store = new AlertStore();
    store.replaceAll([alert('y', 'yellow', 10), alert('r', 'red', 5), alert('x', 'orange', 7, { status: 'resolved' })]);
    expect(store.list().map((a) => a.id)).toEqual(['r', 'y']);
    expect(store.counts().byLevel.red).toBe(1);
  });

  it('when a red alert is raised after the first load, the change names it as new red; the first load never does', () => {
    const store = new AlertStore();
    const changes = recording(store);
    store.replaceAll([alert('r0', 'red', 1)]);
    store.apply(alert('r1', 'red', 2));
    store.apply(alert('o1', 'orange', 3));
    expect(changes.map((c) => c.newRed.map((a) => a.id))).toEqual([[], ['r1'], []]);
  });

  it('an orange alert escalated to red counts as new red once; its later updates do not', () => {
    const store = new AlertStore();
    const changes = recording(store);
    store.replaceAll([]);
    store.apply(alert('a', 'orange', 1));
    store.apply(alert('a', 'red', 1, { updatedAtMs: 2 }));
    store.apply(alert('a', 'red', 1, { updatedAtMs: 3, summary: 'still there' }));
    expect(changes.map((c) => c.newRed.length)).toEqual([0, 0, 1, 0]);
    expect(store.get('a' as AlertId)?.summary).toBe('still there');
  });

  it('an acknowledged alert stays listed; a resolved or false-alarm one leaves', () => {
    const store = new AlertStore();
    store.replaceAll([alert('a', 'red', 1), alert('b', 'yellow', 1)]);
    store.apply(alert('a', 'red', 1, { status: 'acknowledged', updatedAtMs: 2 }));
    store.apply(alert('b', 'yellow', 1, { status: 'false-alarm', updatedAtMs: 2 }));
    expect(store.list().map((a) => `${a.id}:${a.status}`)).toEqual(['a:acknowledged']);
  });

  it('ignores an update older than the copy it holds, and a payload that breaks the contract', () => {
    const store = new AlertStore();
    store.replaceAll([alert('a', 'red', 1, { status: 'acknowledged', updatedAtMs: 5 })]);
    expect(store.apply(alert('a', 'red', 1, { status: 'open', updatedAtMs: 4 }))).toBe(false);
    expect(store.apply({ id: 'x', level: 'purple' })).toBe(false);
    expect(store.get('a' as AlertId)?.status).toBe('acknowledged');
    expect(store.dropped).toBe(1);
  });

  it('a list fetched while the socket spoke keeps what the socket said since (closed stays closed, raised stays raised)', () => {
    const store = new AlertStore();
    store.replaceAll([alert('a', 'red', 1), alert('b', 'orange', 1)]);
    const mark = store.mark();
    // While GET /api/alerts is on its way: b is closed, c is raised.
    store.apply(alert('b', 'orange', 1, { status: 'resolved', updatedAtMs: 9 }));
    store.apply(alert('c', 'yellow', 8));
    // The list was read before those changes.
    store.replaceAll([alert('a', 'red', 1), alert('b', 'orange', 1)], mark);
    expect(store.list().map((a) => a.id)).toEqual(['a', 'c']);
  });

  it('a list fetched after a reconnect drops alerts closed while the link was down', () => {
    const store = new AlertStore();
    store.replaceAll([alert('a', 'red', 1), alert('b', 'orange', 1)]);
    store.replaceAll([alert('a', 'red', 1)], store.mark());
    expect(store.list().map((a) => a.id)).toEqual(['a']);
  });

  it('list() is the same array between changes and a new one after', () => {
    const store = new AlertStore();
    store.replaceAll([alert('a', 'red', 1)]);
    const first = store.list();
    expect(store.list()).toBe(first);
    store.apply(alert('b', 'blue', 2));
    expect(store.list()).not.toBe(first);
  });
});
