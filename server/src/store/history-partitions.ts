import type { Logger } from 'pino';
import type { Queryable } from './db';

/** `YYYY_MM` of the UTC month that holds `ms`. */
export function monthKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

function monthBounds(key: string): [string, string] {
  const [y, m] = key.split('_').map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1)).toISOString();
  const to = new Date(Date.UTC(y, m, 1)).toISOString();
  return [from, to];
}

/**
 * Makes sure each month of history has its own partition before rows for it are written. A month whose rows
 * already sit in the default partition cannot get one (PostgreSQL refuses); it stays in the default, which
 * is still queried like any other.
 */
export class HistoryPartitions {
  private readonly known = new Set<string>();

  constructor(private readonly log: Logger) {}

  async ensure(db: Queryable, observedAtMs: Iterable<number>): Promise<void> {
    const months = new Set<string>();
    for (const ms of observedAtMs) {
      const key = monthKey(ms);
      if (!this.known.has(key)) months.add(key);
    }
    for (const key of months) {
      const [from, to] = monthBounds(key);
      try {
        await db.query(`CREATE TABLE IF NOT EXISTS track_history_${key} PARTITION OF track_history FOR VALUES FROM ('${from}') TO ('${to}')`);
      } catch (err) {
        // With the database unreachable (connection errors, class 08, or shutting down, 57) try again next
        // batch; a refusal by the database itself (the default partition already holds that month) is final.
        const code = (err as { code?: unknown }).code;
        if (typeof code !== 'string' || code.startsWith('08') || code.startsWith('57')) throw err;
        this.log.warn({ month: key, err: (err as Error).message }, 'history partition not created; rows for that month stay in the default partition');
      }
      this.known.add(key);
    }
  }
}
