import type { TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { AlertBook, AlertTransitionError, type Finding } from './alert-book';

const T0 = Date.UTC(2026, 0, 15, 14, 0, 0);
const boat = 'radar:rdr-sanya:9' as TrackId;
function finding(level: Finding['level'], atMs: number, ring: Finding['ring'] = 'near-sea'): Finding {
  return { rule: 'unidentified-target', level, trackIds: [boat], ring, lon: 109.6, lat: 18.2, atMs, summary: `radar-only target (${level})`, evidence: { updates: 6 } };
}

describe('AlertBook', () => {
  it('keeps one open alert per rule and track: a repeat finding updates it, a higher level escalates it', () => {
    const book = new AlertBook();
    const raised = book.raise(finding('yellow', T0));
    expect(raised).toMatchObject({ type: 'raised', alert: { level: 'yellow', status: 'open', raisedAtMs: T0 } });
    expect(book.raise(finding('yellow', T0 + 10_000))).toMatchObject({ type: 'updated', escalated: false });
    const escalated = book.raise(finding('orange', T0 + 20_000, 'shoreline'));
    expect(escalated).toMatchObject({ type: 'updated', escalated: true, alert: { level: 'orange', ring: 'shoreline', updatedAtMs: T0 + 20_000 } });
    expect(escalated!.alert.evidence).toMatchObject({ escalatedFrom: 'yellow', escalatedAtMs: T0 + 20_000 });
    expect(book.raise(finding('yellow', T0 + 30_000))!.alert.level).toBe('orange');
    expect(book.all()).toHaveLength(1);
  });

  it('gives the same alert id for the same finding, so a replayed feed raises identical alerts', () => {
    expect(new AlertBook().raise(finding('yellow', T0))!.alert.id).toBe(new AlertBook().raise(finding('yellow', T0))!.alert.id);
  });

  it('follows the lifecycle open → acknowledged → resolved, and a closed alert makes room for a new one', () => {
    const book = new AlertBook();
    const { alert } = book.raise(finding('red', T0))!;
    expect(book.transition(alert.id, 'acknowledged', 'op-li', T0 + 60_000)).toMatchObject({ type: 'status', from: 'open', actor: 'op-li' });
    expect(() => book.transition(alert.id, 'open', 'op-li', T0)).toThrow(AlertTransitionError);
    book.transition(alert.id, 'resolved', 'op-li', T0 + 120_000);
    expect(book.openFor('unidentified-target', [boat])).toBeUndefined();
    expect(book.raise(finding('yellow', T0 + 180_000))).toMatchObject({ type: 'raised' });
  });
});
