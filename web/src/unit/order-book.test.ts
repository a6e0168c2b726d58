import { describe, expect, it } from 'vitest';
import { OrderBook } from './order-book';
import { orderFixture } from './test-orders';

describe('OrderBook', () => {
  it('announces an order sent to the crew once, however often the server delivers it again', () => {
    const book = new OrderBook();
    const order = orderFixture('o1', 'sent');
    expect(book.upsert(order).arrived.map((o) => o.id)).toEqual(['o1']);
    expect(book.upsert(order).arrived).toEqual([]);
    expect(book.replacePending([order]).arrived).toEqual([]);
  });

  it('asks for a receipt for every order the server has not marked delivered', () => {
    const book = new OrderBook();
    expect(book.upsert(orderFixture('o1', 'sent')).unconfirmed.map((o) => o.id)).toEqual(['o1']);
    expect(book.upsert(orderFixture('o1', 'sent', { deliveredAtMs: 5 })).unconfirmed).toEqual([]);
  });

  it('does not ring for an order this crew already confirmed (a reload, another phone)', () => {
    const book = new OrderBook();
    const change = book.replacePending([orderFixture('o1', 'sent', { deliveredAtMs: 5 }), orderFixture('o2', 'accepted', { deliveredAtMs: 5 })]);
    expect(change.arrived).toEqual([]);
    expect(book.pending().map((o) => o.id)).toEqual(['o2', 'o1']);
  });

  it('ignores an update older than the one it holds', () => {
    const book = new OrderBook();
    book.upsert(orderFixture('o1', 'accepted', { updatedAtMs: 20 }));
    book.upsert(orderFixture('o1', 'sent', { updatedAtMs: 10 }));
    expect(book.get('o1')?.status).toBe('accepted');
  });

  it('reports an order cancelled by the command centre as ended and drops it from the pending list', () => {
    const book = new OrderBook();
    book.upsert(orderFixture('o1', 'accepted', { updatedAtMs: 10 }));
    const change = book.upsert(orderFixture('o1', 'cancelled', { updatedAtMs: 20 }));
    expect(change.ended.map((o) => o.status)).toEqual(['cancelled']);
    expect(book.pending()).toEqual([]);
  });

  it('on reconnect, orders the server no longer lists as unfinished are dropped', () => {
    const book = new OrderBook();
    book.upsert(orderFixture('o1', 'accepted'));
    book.upsert(orderFixture('o2', 'sent'));
    book.replacePending([orderFixture('o2', 'sent')]);
    expect(book.pending().map((o) => o.id)).toEqual(['o2']);
  });

  it('shows orders kept from an earlier visit without announcing them', () => {
    const book = new OrderBook();
    book.restore([orderFixture('o1', 'sent')]);
    expect(book.pending().map((o) => o.id)).toEqual(['o1']);
    expect(book.replacePending([orderFixture('o1', 'sent')]).arrived).toEqual([]);
  });

  it('tells its listeners of every change', () => {
    const book = new OrderBook();
    let calls = 0;
    book.subscribe(() => (calls += 1));
    book.upsert(orderFixture('o1', 'sent'));
    book.replacePending([]);
    expect(calls).toBe(2);
  });
});
