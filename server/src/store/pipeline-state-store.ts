import type { PipelineState } from '../pipeline';
import type { Queryable } from './db';

/** What a stopped server left behind: the pipeline's state and the observation ids it had just applied. */
export interface SavedState {
  pipeline: PipelineState;
  recentObsIds: string[];
}

export async function savePipelineState(db: Queryable, region: string, saved: SavedState): Promise<void> {
  await db.query(
    `INSERT INTO pipeline_state (region, version, feed_clock, saved_at, state)
     VALUES ($1, $2, to_timestamp($3 / 1000.0), now(), $4)
     ON CONFLICT (region) DO UPDATE SET version = excluded.version, feed_clock = excluded.feed_clock,
       saved_at = excluded.saved_at, state = excluded.state`,
    [region, saved.pipeline.version, saved.pipeline.table.clock, JSON.stringify(saved)],
  );
}

/** The saved state of a region, or null when there is none or it has another version (the caller starts afresh). */
export async function loadPipelineState(db: Queryable, region: string, version: number): Promise<SavedState | null> {
  const { rows } = await db.query<{ version: number; state: string }>(`SELECT version, state FROM pipeline_state WHERE region = $1`, [region]);
  const row = rows[0];
  if (!row || row.version !== version) return null;
  return JSON.parse(row.state) as SavedState;
}
