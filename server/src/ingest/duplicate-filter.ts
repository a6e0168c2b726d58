/**
 * Remembers the most recent observation ids (bounded), so that an observation delivered twice — the gateway
 * resends what the broker had not acknowledged, QoS 1 redelivers — is applied once.
 *
 * The ids' arrival order is kept in a ring beside the set: a Set used as a FIFO (delete its first entry, add a
 * new one) leaves a hole at its front for each deletion that every later `values().next()` walks past until the
 * table is rebuilt, which at capacity made each observation cost tens of microseconds.
 */
export class DuplicateFilter {
  private readonly ids = new Set<string>();
  private readonly order: string[] = [];
  private next = 0; // ring index of the oldest id once the ring is full

  constructor(private readonly capacity = 500_000) {}

  /** The `n` most recently recorded ids, oldest first (saved when the server stops). */
  recent(n: number): string[] {
    const all = this.order.length < this.capacity ? this.order : [...this.order.slice(this.next), ...this.order.slice(0, this.next)];
    return all.slice(Math.max(0, all.length - n));
  }

  /** Records ids seen by an earlier run of the server. */
  restore(ids: readonly string[]): void {
    for (const id of ids) this.seen(id);
  }

  /** True when `id` was seen before (and is therefore a duplicate); records it otherwise. */
  seen(id: string): boolean {
    if (this.ids.has(id)) return true;
    if (this.order.length < this.capacity) {
      this.order.push(id);
    } else {
      this.ids.delete(this.order[this.next]!);
      this.order[this.next] = id;
      this.next = this.next + 1 === this.capacity ? 0 : this.next + 1;
    }
    this.ids.add(id);
    return false;
  }
}
