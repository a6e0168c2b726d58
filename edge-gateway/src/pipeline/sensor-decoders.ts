/** Bounds the decoder state kept for sensors: past it, the longest-silent sensor's state is dropped. */
export const MAX_SENSORS = 4096;

/**
 * One stateful decoder per sensor (fragments and partial frames belong to one stream), least recently used
 * dropped first, with running event totals that survive the decoders they came from.
 */
export class SensorDecoders<D> {
  private readonly decoders = new Map<string, D>();
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
    let decoder = this.decoders.get(sensorId);
    if (decoder) {
      // Re-insert so that Map order is least recently used first.
      this.decoders.delete(sensorId);
    } else {
      decoder = this.create();
      if (this.decoders.size >= this.max) this.drop(this.decoders.keys().next().value!);
    }
    this.decoders.set(sensorId, decoder);
    return decoder;
  }

  peek(sensorId: string): D | undefined {
    return this.decoders.get(sensorId);
  }

  /** Forgets a sensor's decoder, keeping its totals. */
  drop(sensorId: string): void {
    const decoder = this.decoders.get(sensorId);
    if (!decoder) return;
    this.onDrop(decoder);
    this.add(this.retired, decoder);
    this.decoders.delete(sensorId);
  }

  totals(): Record<string, number> {
    const totals = { ...this.retired };
    for (const d of this.decoders.values()) this.add(totals, d);
    return totals;
  }

  private add(into: Record<string, number>, decoder: D): void {
    for (const [k, v] of Object.entries(this.counts(decoder))) into[k] = (into[k] ?? 0) + v;
  }
}
