import type { DispatchOrder, OrderId, Unit, UnitId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { DispatchBook, compareUnits, countUnitStatuses } from './unit-board';
import { parseSuggestions } from './dispatch-panel';

function unit(id: string, patch: Partial<Unit> = {}): Unit {
  return {
    id: id as UnitId,
    name: `海巡 ${id}`,
    kind: 'patrol-boat',
    capabilities: ['sea'],
    status: 'available',
    homeBase: null,
    speedKn: 28,
    lon: 110.3,
    lat: 20.05,
    positionAtMs: 1,
    ...patch,
  };
}

function order(id: string, unitId: string, patch: Partial<DispatchOrder> = {}): DispatchOrder {
  return {
    id: id as OrderId,
    unitId: unitId as UnitId,
    alertId: null,
    trackId: null,
    target: { lon: 110.3, lat: 20.1 },
    status: 'sent',
    note: null,
    outcome: null,
    createdAtMs: 10,
    updatedAtMs: 10,
    createdBy: 'operator',
    ...patch,
  };
}

describe('DispatchBook', () => {
  it('lists boats before shore vehicles before drone teams, by id within a kind', () => {
    const units = [unit('sv-b', { kind: 'shore-vehicle' }), unit('dt-a', { kind: 'drone-team' }), unit('pb-b'), unit('pb-a')];
    expect(units.sort(compareUnits).map((u) => u.id)).toEqual(['pb-a', 'pb-b', 'sv-b', 'dt-a']);
  });

  it('follows unit updates and counts units per status', () => {
    const book = new DispatchBook();
    book.replaceUnits([unit('pb-1'), unit('pb-2')]);
    book.applyUnit(unit('pb-1', { status: 'en-route' }));
    expect(book.unit('pb-1' as UnitId)?.status).toBe('en-route');
    expect(countUnitStatuses(book.units())).toMatchObject({ available: 1, 'en-route': 1, assigned: 0 });
  });

  it("a unit's current order is its newest one that is not over", () => {
    const book = new DispatchBook();
    book.replaceOrders([order('o-old', 'pb-1', { createdAtMs: 1, status: 'resolved' }), order('o-new', 'pb-1', { createdAtMs: 5, status: 'accepted' })]);
    expect(book.currentOrderOf('pb-1' as UnitId)?.id).toBe('o-new');
    book.applyOrder(order('o-new', 'pb-1', { createdAtMs: 5, status: 'cancelled', updatedAtMs: 20 }));
    expect(book.currentOrderOf('pb-1' as UnitId)).toBeUndefined();
  });

  it('ignores an order update older than the copy held, and payloads that break the contract', () => {
    const book = new DispatchBook();
    book.applyOrder(order('o1', 'pb-1', { status: 'en-route', updatedAtMs: 30 }));
    expect(book.applyOrder(order('o1', 'pb-1', { status: 'accepted', updatedAtMs: 20 }))).toBeNull();
    expect(book.applyOrder({ id: 'o2', status: 'flying' })).toBeNull();
    book.replaceUnits([unit('pb-1'), { id: 'broken' }]);
    expect(book.order('o1' as OrderId)?.status).toBe('en-route');
    expect(book.units().map((u) => u.id)).toEqual(['pb-1']);
    expect(book.dropped).toBe(2);
  });

  it('a list from REST does not undo a newer order update the socket brought', () => {
    const book = new DispatchBook();
    book.applyOrder(order('o1', 'pb-1', { status: 'on-scene', updatedAtMs: 50 }));
    book.replaceOrders([order('o1', 'pb-1', { status: 'accepted', updatedAtMs: 40 })]);
    expect(book.order('o1' as OrderId)?.status).toBe('on-scene');
  });
});

describe('dispatch suggestions from the server', () => {
  it('keeps suggestions with a valid unit and finite numbers, in the order given', () => {
    const good = { unit: unit('pb-1'), intercept: { lon: 110.3, lat: 20.1 }, distanceM: 7000, etaMs: 540_000, catchable: true };
    const parsed = parseSuggestions([good, { ...good, distanceM: Number.NaN }, { ...good, unit: { id: 'x' } }, null]);
    expect(parsed).toEqual([good]);
    expect(parseSuggestions({ suggestions: [] })).toEqual([]);
  });
});
