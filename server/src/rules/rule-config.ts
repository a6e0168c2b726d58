import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ring } from '@seawall/contracts';
import { z } from 'zod';

export const DEFAULT_RULES_PATH = fileURLToPath(new URL('../../config/rules.json', import.meta.url));

const interval = z.number().int().min(1_000).max(3600_000);
const bands = z
  .array(z.object({ belowKn: z.number().positive().nullable(), ms: interval }))
  .min(1)
  .refine((b) => b.at(-1)!.belowKn === null, 'the last band must have belowKn: null');

const RuleConfigSchema = z.object({
  unidentifiedTarget: z.object({
    /** Radar updates without an AIS association before a target counts as unidentified. */
    minRadarUpdates: z.number().int().min(1).max(1000),
    /** Observation time a target must have been tracked: longer than the slowest AIS reporting interval. */
    minTrackedMs: z.number().int().min(0),
    /** Below this speed in the shoreline ring, outside a port zone, the target is taken to have landed. */
    landingSpeedKn: z.number().min(0).max(10),
  }),
  aisDark: z.object({
    /** The shortest AIS silence, in observation time, after which a vessel still followed by radar counts as dark. */
    silentAfterMs: z.number().int().min(10_000).max(24 * 3600_000),
    /** Required reports missed in a row before a silence counts, whatever the floor above. */
    missedReports: z.number().int().min(1).max(1000),
    /** ITU-R M.1371-5 table 1 reporting intervals by class and speed: bands in order, `belowKn: null` for the last. */
    classA: z.object({
      anchoredMs: interval,
      anchoredMaxKn: z.number().min(0),
      underWay: bands,
    }),
    classB: bands,
    /** Rings in which going dark matters (where the vessel last reported). */
    rings: z.array(Ring).min(1),
  }),
  spoofing: z.object({
    defaultMaxKn: z.number().positive(),
    /** Caps by AIS ship type, keyed `"first-last"` (inclusive) or a single type. */
    maxKnByShipType: z.record(z.string().regex(/^\d{1,3}(-\d{1,3})?$/), z.number().positive()),
    /** Jumps shorter than this are GNSS noise, whatever the time between fixes. */
    minDistanceM: z.number().min(0),
  }),
  identity: z.object({
    placeholderNames: z.array(z.string()),
    /** A vessel still without a name this long after its first report counts as nameless. */
    nameRequiredAfterMs: z.number().int().min(0),
  }),
  encounter: z.object({
    byRing: z.partialRecord(Ring, z.object({ distanceM: z.number().positive(), maxSpeedKn: z.number().min(0), minDurationMs: z.number().int().min(0) })),
    /** A pair apart (or fast) for less than this still counts as one meeting. */
    gapToleranceMs: z.number().int().min(0),
  }),
  loitering: z.object({
    byRing: z.partialRecord(Ring, z.object({ maxSpeedKn: z.number().min(0), minDurationMs: z.number().int().min(0) })),
  }),
  drone: z.object({
    batteryLowPct: z.number().min(0).max(100),
  }),
});
export type RuleConfig = z.infer<typeof RuleConfigSchema>;

/** Reads and validates the rule parameters once at start; throws naming the file and every bad field. */
export function loadRuleConfig(path = DEFAULT_RULES_PATH): RuleConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read rule configuration ${path}: ${(err as Error).message}`);
  }
  const parsed = RuleConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`invalid rule configuration ${path}:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}
