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
  /** Writes pushed and written so far, and who waits for a count to be written (see `written`). */
  private pushed = 0;
  private done = 0;
  private waiters: { upTo: number; resolve: (ok: boolean) => void }[] = [];

  constructor(
    private readonly log: Logger,
    private readonly metrics: ServerMetrics,
  ) {}

  push(write: () => Promise<void>): void {
    this.queue.push(write);
    this.pushed++;
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /**
   * True once every write pushed before the call is done; false as soon as one fails (it is retried all the
   * same). Writes pushed meanwhile are not waited for: under a steady stream the queue is never empty.
   */
  written(): Promise<boolean> {
    if (this.done >= this.pushed) return Promise.resolve(true);
    return new Promise((resolve) => this.waiters.push({ upTo: this.pushed, resolve }));
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
        this.done++;
        if (this.waiters.length > 0) this.settle((w) => (w.upTo <= this.done ? true : undefined));
      } catch (err) {
        this.settle(() => false);
        this.metrics.dbWriteErrors.inc();
        this.log.warn({ err, pending: this.queue.length }, 'write failed; retrying');
        await new Promise((r) => setTimeout(r, RETRY_MS));
      }
    }
  }

  private settle(verdict: (w: { upTo: number }) => boolean | undefined): void {
    this.waiters = this.waiters.filter((w) => {
      const ok = verdict(w);
      if (ok === undefined) return true;
      w.resolve(ok);
      return false;
    });
  }
}
