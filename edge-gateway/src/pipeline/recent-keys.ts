/**
 * Remembers keys seen within a time window (bounded in count), to drop the same AIS sentence heard by
 * several receivers. Time comes from the caller.
 */
export class RecentKeys {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** True when `key` was already seen within the window before `nowMs`; records it otherwise. */
  seen(key: string, nowMs: number): boolean {
    for (const [k, t] of this.seenAt) {
      if (nowMs - t <= this.windowMs && this.seenAt.size < this.maxKeys) break;
      this.seenAt.delete(k);
    }
    const t = this.seenAt.get(key);
    if (t !== undefined && nowMs - t <= this.windowMs) return true;
    this.seenAt.delete(key);
    this.seenAt.set(key, nowMs);
    return false;
  }
}
