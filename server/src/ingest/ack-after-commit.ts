import type { Logger } from 'pino';
import type { ServerMetrics } from '../metrics';
import type { ObservationConsumer } from '../mqtt/observation-consumer';

export interface AckAfterCommitOptions {
  consumer: Pick<ObservationConsumer, 'mark' | 'acknowledge' | 'held'>;
  /** Writes everything applied so far (history rows, alerts, events); true when all of it is in the database. */
  commit(): Promise<boolean>;
  /** How often a failing database is tried again. */
  retryMs: number;
  metrics: ServerMetrics;
  log: Logger;
}

/**
 * Acknowledges observations to the broker only once what they changed is written: a server killed at any moment
 * loses nothing, because the broker delivers everything unacknowledged again to the next one (which drops what
 * it already has by observation id, and history is idempotent on track and time).
 *
 * Commits run back to back, each taking whatever arrived while the previous one ran, so the batch grows with the
 * load and the broker's in-flight window (max_inflight_messages) is the only bound on throughput.
 *
 * While the database fails, holding acknowledgements would stop the broker sending, and the operators' live
 * picture with it: observations are then acknowledged on receipt (counted as `uncommitted`), their rows kept in
 * the writer's bounded buffer as before, until a retry succeeds.
 */
export class AckAfterCommit {
  private running = false;
  private scheduled = false;
  private degraded = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly opts: AckAfterCommitOptions) {}

  /** True while the database fails and acknowledgements go out before the writes. */
  get acknowledgingUncommitted(): boolean {
    return this.degraded;
  }

  /** Something arrived: commit and acknowledge it soon (after the rest of this event-loop turn's messages). */
  kick(): void {
    if (this.stopped || this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.idle = this.cycle();
    });
  }

  /** A last commit, then every acknowledgement it allows; nothing runs after. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.idle;
    await this.commitAndAck();
  }

  private async cycle(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      if (this.degraded) {
        const n = this.opts.consumer.acknowledge(this.opts.consumer.mark());
        this.opts.metrics.observationsAcked.inc({ when: 'uncommitted' }, n);
        return;
      }
      await this.commitAndAck();
    } finally {
      this.running = false;
    }
    if (!this.stopped && this.opts.consumer.held() > 0) this.kick();
  }

  private async commitAndAck(): Promise<void> {
    const { consumer, metrics } = this.opts;
    const mark = consumer.mark();
    const ok = await this.opts.commit().catch((err: unknown) => {
      this.opts.log.warn({ err }, 'commit failed');
      return false;
    });
    const n = consumer.acknowledge(mark);
    metrics.observationsAcked.inc({ when: ok ? 'committed' : 'uncommitted' }, n);
    if (!ok && !this.degraded && !this.stopped) this.enterDegraded();
  }

  private enterDegraded(): void {
    this.degraded = true;
    this.opts.log.warn({ retryMs: this.opts.retryMs }, 'database writes failing: acknowledging observations on receipt until they succeed');
    const retry = () => {
      this.retryTimer = setTimeout(() => {
        if (this.stopped) return;
        void this.opts.commit().then(
          (ok) => {
            if (!ok) return retry();
            this.degraded = false;
            this.opts.log.info('database writes succeed again: acknowledging observations once written');
          },
          () => retry(),
        );
      }, this.opts.retryMs);
    };
    retry();
  }
}
