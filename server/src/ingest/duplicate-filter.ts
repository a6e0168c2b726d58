/**
 * Remembers the most recent observation ids (bounded), so that an observation delivered twice — the gateway
 * resends what the broker had not acknowledged, QoS 1 redelivers — is applied once.
 */
export class DuplicateFilter {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 500_000) {}

  /** The `n` most recently recorded ids, oldest first (saved when the server stops). */
  recent(n: number): string[] {
    const all = [...this.ids];
    return all.slice(Math.max(0, all.length - n));
  }

  /** Records ids seen by an earlier run of the server. */
  restore(ids: readonly string[]): void {
    for (const id of ids) this.seen(id);
  }

  /** True when `id` was seen before (and is therefore a duplicate); records it otherwise. */
  seen(id: string): boolean {
    if (this.ids.has(id)) return true;
    if (this.ids.size >= this.capacity) this.ids.delete(this.ids.values().next().value!);
    this.ids.add(id);
    return false;
  }
}
