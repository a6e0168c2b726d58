import type { Track } from '@seawall/contracts';
import type { Logger } from 'pino';
import type { HistoryRow } from '../fusion/track-table';
import type { ServerMetrics } from '../metrics';
import type { Db } from './db';
import { HistoryPartitions } from './history-partitions';

const INSERT_HISTORY = `
INSERT INTO track_history (track_id, observed_at, obs_id, sensor_id, geom, sog_kn, cog_deg, heading_deg)
SELECT h.track_id, to_timestamp(h.ms / 1000.0), h.obs_id, h.sensor_id,
       ST_SetSRID(ST_MakePoint(h.lon, h.lat), 4326), h.sog, h.cog, h.hdg
FROM unnest($1::text[], $2::float8[], $3::text[], $4::text[], $5::float8[], $6::float8[],
            $7::float8[], $8::float8[], $9::float8[])
     AS h(track_id, ms, obs_id, sensor_id, lon, lat, sog, cog, hdg)
ON CONFLICT (track_id, observed_at) DO NOTHING`;

const UPSERT_TRACKS = `
INSERT INTO tracks (id, kind, state, mmsi, name, callsign, ship_type, destination, ring, level, sources,
                    geom, sog_kn, cog_deg, heading_deg, first_seen_at, last_seen_at, updates)
SELECT t.id, t.kind, t.state, t.mmsi, t.name, t.callsign, t.ship_type, t.destination, t.ring, t.level,
       string_to_array(t.sources, ','), ST_SetSRID(ST_MakePoint(t.lon, t.lat), 4326), t.sog, t.cog, t.hdg,
       to_timestamp(t.first_ms / 1000.0), to_timestamp(t.last_ms / 1000.0), t.updates
FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::text[], $7::int[], $8::text[],
            $9::text[], $10::text[], $11::text[], $12::float8[], $13::float8[], $14::float8[], $15::float8[],
            $16::float8[], $17::float8[], $18::float8[], $19::int[])
     AS t(id, kind, state, mmsi, name, callsign, ship_type, destination, ring, level, sources, lon, lat,
          sog, cog, hdg, first_ms, last_ms, updates)
ON CONFLICT (id) DO UPDATE SET
  kind = excluded.kind, state = excluded.state, mmsi = excluded.mmsi, name = excluded.name,
  callsign = excluded.callsign, ship_type = excluded.ship_type, destination = excluded.destination,
  ring = excluded.ring, level = excluded.level, sources = excluded.sources, geom = excluded.geom,
  sog_kn = excluded.sog_kn, cog_deg = excluded.cog_deg, heading_deg = excluded.heading_deg,
  last_seen_at = excluded.last_seen_at, updates = excluded.updates
WHERE tracks.last_seen_at <= excluded.last_seen_at`;

export interface TrackWriterOptions {
  flushMs: number;
  batchMax: number;
  /** History rows held while the database is slow or down; past it the oldest are dropped and counted. */
  bufferMax: number;
  /**
   * How often the latest track states are written (default: with the history). They are what a server without
   * a saved pipeline state warms up from, a summary: writing each track's every update would cost the database
   * as much as the history itself.
   */
  stateFlushMs?: number;
}

/** How far past its bound the buffer may grow between trims: drops are made in bulk, not one row at a time. */
const TRIM_SLACK = 1_000;

/**
 * Writes track history and latest track state in batches (one `unnest` statement per batch, not a row per
 * round trip). While the database is unavailable rows stay buffered, up to `bufferMax`.
 */

export class TrackWriter {
  private history: HistoryRow[] = [];
  private latest = new Map<string, Track>();
  private timer: NodeJS.Timeout | undefined;
  private stateTimer: NodeJS.Timeout | undefined;
  /** Flushes run one after another; each waits for the one before. */
  private chain: Promise<unknown> = Promise.resolve();
  private writing = false;
  /** Sequence numbers: of `history[0]`, and of the next row added. */
  private head = 0;
  private added = 0;
  /** The latest track states' write in flight, if any: it runs beside the history's, never in its way. */
  private tracksWrite: Promise<boolean> | null = null;
  private readonly partitions: HistoryPartitions;

  constructor(
    private readonly db: Db,
    private readonly opts: TrackWriterOptions,
    private readonly metrics: ServerMetrics,
    private readonly log: Logger,
  ) {
    this.partitions = new HistoryPartitions(log);
  }

  start(): void {
    const stateMs = this.opts.stateFlushMs ?? this.opts.flushMs;
    this.timer = setInterval(() => void this.flush(stateMs === this.opts.flushMs), this.opts.flushMs);
    if (stateMs !== this.opts.flushMs) this.stateTimer = setInterval(() => void this.writeTracks(), stateMs);
  }

  add(track: Track, row: HistoryRow | null): void {
    this.latest.set(track.id, track);
    if (!row) return;
    this.history.push(row);
    this.added++;
    // Trimmed in bulk (one copy per batch of drops, not per row), and never under a write in flight: the
    // batch being written stays at the front until it is done.
    if (!this.writing && this.history.length > this.opts.bufferMax + TRIM_SLACK) this.trim();
    this.metrics.historyBuffered.set(this.history.length);
  }

  get pending(): number {
    return this.history.length;
  }

  /**
   * Writes the history rows added so far; true once every one of them is in the database (or was dropped at
   * the buffer's bound, counted), false when a write failed. With `tracks`, the latest track states too, in a
   * transaction of their own: they are a summary rewritten every `flushMs`, while history is what observations
   * are acknowledged on, so a commit (`flush(false)`) never waits for them. Between calls they are written
   * every `stateFlushMs`.
   */
  async flush(tracks = true): Promise<boolean> {
    const target = this.added;
    const run = this.chain.then(() => this.writeUpTo(target));
    this.chain = run.catch(() => false);
    if (!tracks) return run;
    const [history, states] = await Promise.all([run, this.writeTracks()]);
    return history && states;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.stateTimer);
    await this.flush();
    // Rows added while that flush ran.
    if (this.history.length > 0) await this.flush();
  }

  /** Past the bound the oldest rows go, counted: the newest picture is kept while the database is away. */
  private trim(): void {
    const excess = this.history.length - this.opts.bufferMax;
    if (excess <= 0) return;
    this.history.splice(0, excess);
    this.head += excess;
    this.metrics.historyDropped.inc(excess);
    this.metrics.historyBuffered.set(this.history.length);
  }

  /** The latest state of every track changed since the last time, in one statement; one write at a time. */
  private writeTracks(): Promise<boolean> {
    this.tracksWrite ??= (async () => {
      const tracks = [...this.latest.values()];
      if (tracks.length === 0) return true;
      const end = this.metrics.dbWriteSeconds.startTimer();
      try {
        await this.db.query(UPSERT_TRACKS, trackColumns(tracks));
      } catch (err) {
        this.metrics.dbWriteErrors.inc();
        this.log.warn({ err, tracks: tracks.length }, 'track state write failed; kept for the next');
        return false;
      } finally {
        end();
      }
      for (const t of tracks) if (this.latest.get(t.id) === t) this.latest.delete(t.id);
      return true;
    })().finally(() => {
      this.tracksWrite = null;
    });
    return this.tracksWrite;
  }

  private async writeUpTo(target: number): Promise<boolean> {
    this.trim();
    this.writing = true;
    try {
      while (this.head < target && this.history.length > 0) {
        const rows = this.history.slice(0, this.opts.batchMax);
        const end = this.metrics.dbWriteSeconds.startTimer();
        try {
          await this.partitions.ensure(this.db, daysOf(rows));
          await this.db.query(INSERT_HISTORY, historyColumns(rows));
        } catch (err) {
          this.metrics.dbWriteErrors.inc();
          this.log.warn({ err, rows: rows.length }, 'track write failed; keeping rows buffered');
          return false;
        } finally {
          end();
        }
        this.history.splice(0, rows.length);
        this.head += rows.length;
        this.metrics.historyWritten.inc(rows.length);
        this.metrics.historyBuffered.set(this.history.length);
      }
      return true;
    } finally {
      this.writing = false;
      this.trim();
    }
  }
}

/** One observation time per UTC day the rows fall on: the months to ensure are the same, the work per row is not. */
function daysOf(rows: HistoryRow[]): number[] {
  const days = new Set<number>();
  for (const r of rows) days.add(Math.floor(r.observedAtMs / 86_400_000));
  return [...days].map((d) => d * 86_400_000);
}

function historyColumns(rows: HistoryRow[]): unknown[] {
  return [
    textArray(rows.map((r) => r.trackId)),
    numberArray(rows.map((r) => r.observedAtMs)),
    textArray(rows.map((r) => r.obsId)),
    textArray(rows.map((r) => r.sensorId)),
    numberArray(rows.map((r) => r.lon)),
    numberArray(rows.map((r) => r.lat)),
    numberArray(rows.map((r) => r.sogKn)),
    numberArray(rows.map((r) => r.cogDeg)),
    numberArray(rows.map((r) => r.headingDeg)),
  ];
}

function trackColumns(tracks: Track[]): unknown[] {
  return [
    textArray(tracks.map((t) => t.id)),
    textArray(tracks.map((t) => t.kind)),
    textArray(tracks.map((t) => t.state)),
    numberArray(tracks.map((t) => t.mmsi)),
    textArray(tracks.map((t) => t.name)),
    textArray(tracks.map((t) => t.callsign)),
    numberArray(tracks.map((t) => t.shipType)),
    textArray(tracks.map((t) => t.destination)),
    textArray(tracks.map((t) => t.ring)),
    textArray(tracks.map((t) => t.level)),
    textArray(tracks.map((t) => t.sources.join(','))),
    numberArray(tracks.map((t) => t.lon)),
    numberArray(tracks.map((t) => t.lat)),
    numberArray(tracks.map((t) => t.sogKn)),
    numberArray(tracks.map((t) => t.cogDeg)),
    numberArray(tracks.map((t) => t.headingDeg)),
    numberArray(tracks.map((t) => t.firstSeenMs)),
    numberArray(tracks.map((t) => t.lastSeenMs)),
    numberArray(tracks.map((t) => t.updates)),
  ];
}

// The array parameters as PostgreSQL array literals, written here in one pass: pg's generic conversion looks at
// every element's type and runs each through regular expressions, several per cent of the server's time at
// 10,000 observations/s. Text is as pg writes it (NULL bare, strings double-quoted with `\` and `"` escaped);
// numbers go bare, which PostgreSQL reads alike.

/** `{1.5,NULL,…}` for float8[], bigint[] and int[] columns (JavaScript's number text is valid input for each). */
function numberArray(values: readonly (number | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    out += v === null || v === undefined ? 'NULL' : String(v);
  }
  return `${out}}`;
}

/** `{"a",NULL,…}` for text[] columns. */
function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (NEEDS_ESCAPE.test(v)) out += `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    else out += `"${v}"`;
  }
  return `${out}}`;
}
const NEEDS_ESCAPE = /["\\]/;
