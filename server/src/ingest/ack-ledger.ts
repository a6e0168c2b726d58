/**
 * The QoS 1 messages received and not yet acknowledged to the broker, in arrival order. An observation is
 * acknowledged only once what it changed is written (see ack-after-commit.ts): until then the broker keeps it,
 * and delivers it again to whichever server holds the session next if this one dies.
 *
 * Entries belong to one connection: MQTT message ids mean nothing on the next one, where the broker sends every
 * unacknowledged message again by itself.
 */
export class AckLedger {
  private ids: number[] = [];
  private obsIds: (readonly string[])[] = [];
  /** Sequence number of `ids[0]`; `received` that of the next message. */
  private head = 0;
  private received = 0;
  private readonly pendingObs = new Map<string, number>();

  /** Records a message to acknowledge later, with the ids of the valid observations it held. */
  add(messageId: number, obsIds: readonly string[]): void {
    this.ids.push(messageId);
    this.obsIds.push(obsIds);
    for (const obsId of obsIds) this.pendingObs.set(obsId, (this.pendingObs.get(obsId) ?? 0) + 1);
    this.received++;
  }

  /** Everything received so far: `take(mark)` later releases exactly these. */
  mark(): number {
    return this.received;
  }

  get held(): number {
    return this.ids.length;
  }

  /** Removes and returns the message ids received before `mark` that are still held. */
  take(mark: number): number[] {
    const n = Math.min(Math.max(0, mark - this.head), this.ids.length);
    if (n === 0) return [];
    const out = this.ids.slice(0, n);
    for (let i = 0; i < n; i++) {
      for (const obsId of this.obsIds[i]!) {
        const left = this.pendingObs.get(obsId)! - 1;
        if (left === 0) this.pendingObs.delete(obsId);
        else this.pendingObs.set(obsId, left);
      }
    }
    this.ids = this.ids.slice(n);
    this.obsIds = this.obsIds.slice(n);
    this.head += n;
    return out;
  }

  /** True while a message carrying this observation waits for its acknowledgement. */
  holds(obsId: string): boolean {
    return this.pendingObs.has(obsId);
  }

  /** The connection ended: the broker will send all of these again. */
  clear(): void {
    this.head = this.received;
    this.ids = [];
    this.obsIds = [];
    this.pendingObs.clear();
  }
}
