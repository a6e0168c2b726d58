import type { z } from 'zod';
import { AisPositionObservation, AisStaticObservation, Observation, RadarTargetObservation, UnitPositionObservation } from './observation';

/**
 * The observation schemas with a fast path in front. zod copies every object it parses and runs each check
 * through its own machinery, a tenth of the pipeline's time at tens of thousands of observations a second. The
 * fast path only ever accepts: it returns the value itself when it holds exactly the schema's keys, in the
 * schema's order (the order zod would give its copy, so the value serialises byte for byte alike), each within
 * its bounds. Anything else (a missing or extra key, another order, a value out of bounds, a string whose
 * length counts in code points) goes to the zod schema, which decides and names what is wrong. The result is
 * always the schema's; observation-check.test.ts compares the two on real and hostile observations.
 */
type Test = (v: unknown) => boolean;

const MAX_EPOCH_MS = 8_640_000_000_000_000;

// A string no longer than `max` UTF-16 units has no more code points than that; `min` is at most 1 here, and a
// non-empty string has at least one code point. Longer strings are left to zod, which counts code points.
const text = (min: 0 | 1, max: number): Test => (v) => typeof v === 'string' && v.length >= min && v.length <= max;
const nullableText = (max: number): Test => (v) => v === null || (typeof v === 'string' && v.length <= max);
// zod's number() refuses NaN and the infinities; int() asks for a safe integer.
const int = (min: number, max: number): Test => (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const nullableInt = (min: number, max: number): Test => (v) => v === null || (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max);
const range = (min: number, max: number): Test => (v) => typeof v === 'number' && v >= min && v <= max;
const nullableNumber: Test = (v) => v === null || (typeof v === 'number' && Number.isFinite(v));
const boolean: Test = (v) => typeof v === 'boolean';
const literal = (value: string): Test => (v) => v === value;
const oneOf = (values: readonly string[]): Test => (v) => typeof v === 'string' && values.includes(v);

const base: [string, Test][] = [
  ['obsId', text(1, 128)],
  ['sensorId', text(1, 64)],
  ['gatewayId', text(1, 64)],
  ['observedAtMs', int(0, MAX_EPOCH_MS)],
  ['receivedAtMs', int(0, MAX_EPOCH_MS)],
];
const aisClass = oneOf(['A', 'B', 'SAR', 'BASE']);
const mmsi = int(0, 999_999_999);
const msgType = int(1, 27);

/** Each kind's keys in the order of its schema's shape, with the test of its value. */
export const FAST_OBSERVATION_FIELDS = {
  'ais.position': [
    ...base,
    ['kind', literal('ais.position')],
    ['mmsi', mmsi],
    ['msgType', msgType],
    ['aisClass', aisClass],
    ['lon', range(-180, 180)],
    ['lat', range(-90, 90)],
    ['sogKn', nullableNumber],
    ['cogDeg', nullableNumber],
    ['headingDeg', nullableNumber],
    ['navStatus', nullableInt(0, 15)],
    ['rotDegPerMin', nullableNumber],
    ['accuracy', boolean],
  ],
  'ais.static': [
    ...base,
    ['kind', literal('ais.static')],
    ['mmsi', mmsi],
    ['msgType', msgType],
    ['aisClass', aisClass],
    ['imo', nullableInt(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)],
    ['callsign', nullableText(256)],
    ['shipName', nullableText(256)],
    ['shipType', nullableInt(0, 255)],
    ['toBowM', nullableNumber],
    ['toSternM', nullableNumber],
    ['toPortM', nullableNumber],
    ['toStarboardM', nullableNumber],
    ['destination', nullableText(256)],
    ['eta', nullableText(256)],
    ['draughtM', nullableNumber],
  ],
  'radar.target': [
    ...base,
    ['kind', literal('radar.target')],
    ['targetNumber', int(0, 999)],
    ['lon', range(-180, 180)],
    ['lat', range(-90, 90)],
    ['sogKn', nullableNumber],
    ['cogDeg', nullableNumber],
    ['rangeM', nullableNumber],
    ['bearingDeg', nullableNumber],
    ['status', oneOf(['tracking', 'query', 'lost'])],
    ['name', nullableText(256)],
  ],
  'unit.position': [
    ...base,
    ['kind', literal('unit.position')],
    ['unitId', text(1, 64)],
    ['lon', range(-180, 180)],
    ['lat', range(-90, 90)],
    ['sogKn', nullableNumber],
    ['cogDeg', nullableNumber],
  ],
} satisfies Partial<Record<Observation['kind'], [string, Test][]>>;

type FastKind = keyof typeof FAST_OBSERVATION_FIELDS;
const FIELDS: Readonly<Record<string, readonly (readonly [string, Test])[] | undefined>> = FAST_OBSERVATION_FIELDS;

/** Whether the value certainly is what the schema would make of it: its keys in order, each value within bounds. */
function fastCheck(value: unknown, fields: readonly (readonly [string, Test])[]): boolean {
  const record = value as Record<string, unknown>;
  let i = 0;
  for (const key in record) {
    const field = fields[i++];
    if (field === undefined || field[0] !== key || !field[1](record[key])) return false;
  }
  return i === fields.length;
}

// What JSON.parse and object literals make; zod's copy of anything else would differ from it.
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function fastKindOf(value: unknown): FastKind | undefined {
  if (!isPlainObject(value)) return undefined;
  const kind = value.kind;
  return typeof kind === 'string' && Object.hasOwn(FIELDS, kind) ? (kind as FastKind) : undefined;
}

/** `Observation.safeParse`, with the fast path for AIS, radar and unit observations. */
export function safeParseObservation(value: unknown): z.ZodSafeParseResult<Observation> {
  const kind = fastKindOf(value);
  if (kind !== undefined && fastCheck(value, FIELDS[kind]!)) return { success: true, data: value as Observation };
  return Observation.safeParse(value);
}

/** `AisPositionObservation.safeParse`, with the fast path. */
export function safeParseAisPosition(value: unknown): z.ZodSafeParseResult<AisPositionObservation> {
  if (isPlainObject(value) && fastCheck(value, FAST_OBSERVATION_FIELDS['ais.position'])) return { success: true, data: value as AisPositionObservation };
  return AisPositionObservation.safeParse(value);
}

/** `AisStaticObservation.safeParse`, with the fast path. */
export function safeParseAisStatic(value: unknown): z.ZodSafeParseResult<AisStaticObservation> {
  if (isPlainObject(value) && fastCheck(value, FAST_OBSERVATION_FIELDS['ais.static'])) return { success: true, data: value as AisStaticObservation };
  return AisStaticObservation.safeParse(value);
}

/** `RadarTargetObservation.safeParse`, with the fast path. */
export function safeParseRadarTarget(value: unknown): z.ZodSafeParseResult<RadarTargetObservation> {
  if (isPlainObject(value) && fastCheck(value, FAST_OBSERVATION_FIELDS['radar.target'])) return { success: true, data: value as RadarTargetObservation };
  return RadarTargetObservation.safeParse(value);
}

/** `UnitPositionObservation.safeParse`, with the fast path. */
export function safeParseUnitPosition(value: unknown): z.ZodSafeParseResult<UnitPositionObservation> {
  if (isPlainObject(value) && fastCheck(value, FAST_OBSERVATION_FIELDS['unit.position'])) return { success: true, data: value as UnitPositionObservation };
  return UnitPositionObservation.safeParse(value);
}
