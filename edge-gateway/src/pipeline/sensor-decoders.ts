/** Bounds the decoder state kept for sensors: past it, the longest-silent sensor's state is dropped. */
export const MAX_SENSORS = 4096;

/**
 * One stateful decoder per sensor (fragments and partial frames belong to one stream), least recently used
 * dropped first, with running event totals that survive the decoders they came from.
 */
export class SensorDecoders<D> {
  // Each with the tick of its last use: moving a used entry to the end of the map (delete and set again, for map
  // order to be recency) cost two map operations a message; the least recently used is looked for only when full.
  private readonly decoders = new Map<string, { decoder: D; usedAt: number }>();
  private tick = 0;
  // Totals of decoders dropped from the map, so that counters never go backwards.
  private readonly retired: Record<string, number> = {};

  constructor(
    private readonly create: () => D,
    private readonly counts: (decoder: D) => Record<string, number>,
    private readonly onDrop: (decoder: D) => void = () => undefined,
    private readonly max = MAX_SENSORS,
  ) {}

  /** The sensor's decoder, created on first use. */
  for(sensorId: string): D {
    const entry = this.decoders.get(sensorId);
    if (entry) {
      entry.usedAt = ++this.tick;
      return entry.decoder;
    }
    if (this.decoders.size >= this.max) this.drop(this.leastRecentlyUsed()!);
    const decoder = this.create();
    this.decoders.set(sensorId, { decoder, usedAt: ++this.tick });
    return decoder;
  }

  peek(sensorId: string): D | undefined {
    return this.decoders.get(sensorId)?.decoder;
  }

  /** Forgets a sensor's decoder, keeping its totals. */
  drop(sensorId: string): void {
    const entry = this.decoders.get(sensorId);
    if (!entry) return;
    this.onDrop(entry.decoder);
    this.add(this.retired, entry.decoder);
    this.decoders.delete(sensorId);
  }

  totals(): Record<string, number> {
    const totals = { ...this.retired };
    for (const { decoder } of this.decoders.values()) this.add(totals, decoder);
    return totals;
  }

  private leastRecentlyUsed(): string | undefined {
    let oldest: string | undefined;
    let oldestAt = Infinity;
    for (const [id, { usedAt }] of this.decoders) {
      if (usedAt < oldestAt) [oldest, oldestAt] = [id, usedAt];
    }
    return oldest;
  }

  private add(into: Record<string, number>, decoder: D): void {
    for (const [k, v] of Object.entries(this.counts(decoder))) into[k] = (into[k] ?? 0) + v;
  }
}
