/**
 * What only the fusion leader runs (the observation consumer), started when this instance becomes the leader.
 * `defer` hands out the thing before it exists: until `open`, its methods are the `idle` ones given (a standby's
 * consumer: not connected, nothing held, nothing to stop), or answer undefined.
 */
export class LeaderGate {
  private readonly pending: Array<() => void> = [];
  private opened = false;

  defer<T extends object>(start: () => T, idle: Partial<T> = {}): T {
    let started: T | undefined;
    this.pending.push(() => {
      started = start();
    });
    if (this.opened) this.pending.pop()!();
    return new Proxy({} as T, {
      get(_target, key) {
        if (!started) return Reflect.get(idle, key) ?? (() => undefined);
        const value: unknown = Reflect.get(started, key, started);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(started) : value;
      },
    });
  }

  /** Starts everything deferred (once). */
  open(): void {
    if (this.opened) return;
    this.opened = true;
    for (const start of this.pending.splice(0)) start();
  }

  get isOpen(): boolean {
    return this.opened;
  }
}
