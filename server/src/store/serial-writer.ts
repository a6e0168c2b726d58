import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics';

const RETRY_MS = 1_000;

/**
 * Runs writes one after another in the order they were pushed, retrying a failed one until it succeeds, so
 * that an alert's states reach the database in order and none is lost while the database is briefly away.
 */
export class SerialWriter {
  private readonly queue: (() => Promise<void>)[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly log: Logger,
    private readonly metrics: ServerMetrics,
  ) {}

  push(write: () => Promise<void>): void {
    this.queue.push(write);
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Resolves when everything pushed so far is written, or after `timeoutMs` (shutdown with the database away). */
  async drain(timeoutMs = 10_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([(async () => { while (this.running) await this.running; })(), timeout]);
    clearTimeout(timer);
    if (this.queue.length > 0) this.log.error({ unwritten: this.queue.length }, 'shutting down with writes not done');
  }

  private async run(): Promise<void> {
    while (this.queue.length > 0) {
      try {
        await this.queue[0]!();
        this.queue.shift();
      } catch (err) {
        this.metrics.dbWriteErrors.inc();
        this.log.warn({ err, pending: this.queue.length }, 'write failed; retrying');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }
}
