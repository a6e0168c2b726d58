/**
 * Remembers the most recent observation ids (bounded), so that an observation delivered twice — the gateway
 * resends what the broker had not acknowledged, QoS 1 redelivers — is applied once.
 */
export class DuplicateFilter {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 500_000) {}

  /** True when `id` was seen before (and is therefore a duplicate); records it otherwise. */
  seen(id: string): boolean {
    if (this.ids.has(id)) return true;
    if (this.ids.size >= this.capacity) this.ids.delete(this.ids.values().next().value!);
    this.ids.add(id);
    return false;
  }
}
