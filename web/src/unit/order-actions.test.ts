import { describe, expect, it } from 'vitest';
import { actionsFor, currentOf, projectStatus, sortPending } from './order-actions';
import { orderFixture } from './test-orders';

const actions = (status: Parameters<typeof actionsFor>[0]) => actionsFor(status).map((b) => b.action);

describe('actionsFor', () => {
  it('an order awaiting an answer offers accept and reject, and only reject asks for a second tap', () => {
    expect(actions('sent')).toEqual(['accept', 'reject']);
    expect(actionsFor('sent').find((b) => b.action === 'reject')?.needsConfirm).toBe(true);
    expect(actionsFor('sent').find((b) => b.action === 'accept')?.needsConfirm).toBe(false);
  });

  it('an accepted order goes en route, then on scene, then resolved with an outcome', () => {
    expect(actions('accepted')).toEqual(['en-route']);
    expect(actions('en-route')).toEqual(['on-scene']);
    expect(actions('on-scene')).toEqual(['resolve']);
    expect(actionsFor('on-scene')[0]?.needsOutcome).toBe(true);
  });

  it('a finished order, or one not yet sent, offers nothing', () => {
    for (const s of ['created', 'resolved', 'rejected', 'cancelled'] as const) expect(actions(s)).toEqual([]);
  });

  it('labels are Chinese first, then English', () => {
    expect(actionsFor('sent').map((b) => b.label)).toEqual(['接受 Accept', '拒绝 Reject']);
  });
});

describe('projectStatus', () => {
  it('applies the steps queued offline in order', () => {
    expect(projectStatus('sent', ['accept'])).toBe('accepted');
    expect(projectStatus('sent', ['accept', 'en-route'])).toBe('en-route');
    expect(projectStatus('accepted', ['en-route', 'on-scene', 'resolve'])).toBe('resolved');
  });

  it('skips a queued step the order has already passed, as the server would', () => {
    expect(projectStatus('en-route', ['accept', 'en-route', 'on-scene'])).toBe('on-scene');
    expect(projectStatus('cancelled', ['accept'])).toBe('cancelled');
  });
});

describe('sortPending and currentOf', () => {
  const waiting = orderFixture('o-new', 'sent', { createdAtMs: 3 });
  const older = orderFixture('o-old', 'sent', { createdAtMs: 1 });
  const working = orderFixture('o-work', 'en-route', { createdAtMs: 2 });
  const done = orderFixture('o-done', 'resolved');

  it('puts the order in progress first, then those awaiting an answer oldest first, and leaves out finished ones', () => {
    expect(sortPending([waiting, done, older, working]).map((o) => o.id)).toEqual(['o-work', 'o-old', 'o-new']);
  });

  it('the card shows the order the crew picked while it is unfinished, else the first to work on', () => {
    const pending = sortPending([waiting, older, working]);
    expect(currentOf(pending, null)?.id).toBe('o-work');
    expect(currentOf(pending, 'o-new')?.id).toBe('o-new');
    expect(currentOf(pending, 'o-done')?.id).toBe('o-work');
    expect(currentOf([], null)).toBeNull();
  });
});
