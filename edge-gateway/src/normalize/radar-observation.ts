import { RadarTargetObservation } from '@seawall/contracts';
import type { RadarSentence, RadarTargetStatus, RadarUnits, TllSentence, TtmSentence } from '../decoders/radar';
import { ok, reject, type Result } from '../decoders/result';
import { normalizeAzimuth, solveGeodesicDirect } from '../geodesy/geodesic-direct';
import { hashObservationId } from './obs-id';
import { siteHeadingDeg, type RadarSite } from './radar-observation-sites';

/** Who produced the observation, and where the radar stands (undefined when the sensor has no configured site). */
export interface RadarObservationContext {
  sensorId: string;
  gatewayId: string;
  site: RadarSite | undefined;
  receivedAtMs: number;
}

/** Why a parsed sentence yields no observation. */
export type RadarNormalizeRejectReason =
  | 'unknown-radar-site'
  | 'no-target-number'
  | 'no-position'
  | 'missing-units'
  | 'missing-bearing-reference'
  | 'bad-position'
  | 'invalid-observation';

/** Reasons that mean "a valid sentence with nothing to publish" rather than bad input. */
export const RADAR_NOTHING_TO_PUBLISH: ReadonlySet<RadarNormalizeRejectReason> = new Set(['no-target-number', 'no-position']);

/** Metres per unit of TTM distance (NMEA 0183 TTM field 10: K = km, N = nautical mile, S = statute mile). */
export const METRES_PER_DISTANCE_UNIT: Readonly<Record<RadarUnits, number>> = { K: 1000, N: 1852, S: 1609.344 };
/** Knots per unit of TTM speed (K = km/h, N = knots, S = mph). */
export const KNOTS_PER_SPEED_UNIT: Readonly<Record<RadarUnits, number>> = { K: 1000 / 1852, N: 1, S: 1609.344 / 1852 };

const STATUS: Readonly<Record<RadarTargetStatus, RadarTargetObservation['status']>> = { L: 'lost', Q: 'query', T: 'tracking' };

/**
 * The `radar.target` observation of an NMEA 0183 TTM or TLL sentence.
 *
 * - TTM (range and bearing): positioned from the sensor's configured site along the WGS-84 geodesic; a sensor
 *   without a site is rejected as 'unknown-radar-site'. A relative (`R`) bearing or course is measured from
 *   the site's heading marker, so it is turned true by adding the site heading, which is 0 for a `north-up`
 *   site (a fixed radar with its azimuth zero on true north reports relative = true); this is also how OpenCPN
 *   treats ARPA relative bearings and courses. Units K/N/S are converted to metres and knots. A TTM without
 *   units or bearing reference cannot be placed and is rejected; a course without T/R gives a null cogDeg.
 * - TLL: the position as sent; no site needed. Range and bearing are null.
 * - Status L/Q/T → lost/query/tracking; an empty status is taken as tracking (the target is being reported).
 * - A sentence without target number ('no-target-number') or without position ('no-position') is valid but
 *   has nothing to publish: a track needs both.
 * - observedAtMs is the tag block `c:` time, else the receipt time; the sentence's own hhmmss carries no
 *   date, so it is not used. The obsId hashes sensor id, kind and the line (tag block included).
 */
export function toRadarObservation(
  sentence: RadarSentence,
  context: RadarObservationContext,
): Result<RadarTargetObservation, RadarNormalizeRejectReason> {
  const fields = sentence.sentence === 'TTM' ? ttmFields(sentence, context.site) : tllFields(sentence);
  if (!fields.ok) return fields;
  if (sentence.targetNumber === null) return reject('no-target-number');
  const [lon, lat] = fields.value.position;
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90) return reject('bad-position', `lon ${lon}, lat ${lat}`);

  const parsed = RadarTargetObservation.safeParse({
    kind: 'radar.target',
    obsId: hashObservationId([context.sensorId, 'radar.target', sentence.line]),
    sensorId: context.sensorId,
    gatewayId: context.gatewayId,
    observedAtMs: sentence.tagBlock?.timeMs ?? context.receivedAtMs,
    receivedAtMs: context.receivedAtMs,
    targetNumber: sentence.targetNumber,
    lon,
    lat,
    sogKn: fields.value.sogKn,
    cogDeg: fields.value.cogDeg,
    rangeM: fields.value.rangeM,
    bearingDeg: fields.value.bearingDeg,
    status: sentence.status === null ? 'tracking' : STATUS[sentence.status],
    name: sentence.name,
  });
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  return reject('invalid-observation', issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : undefined);
}

interface PositionFields {
  position: readonly [number, number];
  sogKn: number | null;
  cogDeg: number | null;
  rangeM: number | null;
  bearingDeg: number | null;
}

function ttmFields(s: TtmSentence, site: RadarSite | undefined): Result<PositionFields, RadarNormalizeRejectReason> {
  if (!site) return reject('unknown-radar-site');
  if (s.distance === null || s.bearingDeg === null) return reject('no-position', 'TTM without distance or bearing');
  if (s.units === null) return reject('missing-units', 'TTM distance without units');
  if (s.bearingRef === null) return reject('missing-bearing-reference');
  const heading = siteHeadingDeg(site);
  const rangeM = s.distance * METRES_PER_DISTANCE_UNIT[s.units];
  const bearingDeg = s.bearingRef === 'T' ? s.bearingDeg : normalizeAzimuth(heading + s.bearingDeg);
  const { position } = solveGeodesicDirect([site.lon, site.lat], bearingDeg, rangeM);
  const cogDeg =
    s.courseDeg === null || s.courseRef === null ? null : s.courseRef === 'T' ? s.courseDeg : normalizeAzimuth(heading + s.courseDeg);
  return ok({
    position,
    sogKn: s.speed === null ? null : s.speed * KNOTS_PER_SPEED_UNIT[s.units],
    cogDeg,
    rangeM,
    bearingDeg,
  });
}

function tllFields(s: TllSentence): Result<PositionFields, RadarNormalizeRejectReason> {
  if (s.lat === null || s.lon === null) return reject('no-position', 'TLL without latitude or longitude');
  return ok({ position: [s.lon, s.lat], sogKn: null, cogDeg: null, rangeM: null, bearingDeg: null });
}
