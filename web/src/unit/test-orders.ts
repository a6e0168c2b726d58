import type { DispatchOrder, OrderStatus } from '@seawall/contracts';

/** A dispatch order as the server sends it, for unit tests of the crew's pure logic. */
export function orderFixture(id: string, status: OrderStatus, patch: Partial<DispatchOrder> = {}): DispatchOrder {
  return {
    id: id as DispatchOrder['id'],
    unitId: 'pb-haikou-01' as DispatchOrder['unitId'],
    alertId: null,
    trackId: null,
    target: { lon: 110.3, lat: 20.15 },
    status,
    note: null,
    outcome: null,
    createdAtMs: 1_764_201_600_000,
    updatedAtMs: 1_764_201_600_000,
    createdBy: 'operator-1',
    deliveredAtMs: null,
    escalatedAtMs: null,
    ...patch,
  };
}
