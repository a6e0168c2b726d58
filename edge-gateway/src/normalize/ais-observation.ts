import { safeParseAisPosition, safeParseAisStatic, type AisPositionObservation, type AisStaticObservation } from '@seawall/contracts';
import type { DecodedAis } from '../decoders/ais/decode-ais-text';
import { ok, reject, type Rejected, type Result } from '../decoders/result';
import { hashObservationId } from './obs-id';

/** Who produced the observations. */
export interface AisObservationContext {
  sensorId: string;
  gatewayId: string;
}

export type AisObservation = AisPositionObservation | AisStaticObservation;

export type AisNormalizeRejectReason =
  | 'not-a-position-report'
  | 'not-a-static-report'
  | 'no-position'
  | 'bad-position'
  | 'invalid-observation';

/**
 * The position observation of a position report: types 1, 2, 3 (class A), 18, 19 (class B),
 * 9 (SAR aircraft) and 27 (long range). A report without a position is rejected as 'no-position'.
 */
export function toAisPositionObservation(
  decoded: DecodedAis,
  context: AisObservationContext,
): Result<AisPositionObservation, AisNormalizeRejectReason> {
  const m = decoded.message;
  let aisClass: AisPositionObservation['aisClass'];
  let navStatus: number | null = null;
  let rotDegPerMin: number | null = null;
  let headingDeg: number | null = null;
  switch (m.type) {
    case 1:
    case 2:
    case 3:
      [aisClass, navStatus, rotDegPerMin, headingDeg] = ['A', m.navStatus, m.rot, m.heading];
      break;
    case 18:
    case 19:
      [aisClass, headingDeg] = ['B', m.heading];
      break;
    case 9:
      aisClass = 'SAR';
      break;
    case 27:
      // Long-range broadcasts come from class A (SOLAS) ships.
      [aisClass, navStatus] = ['A', m.navStatus];
      break;
    default:
      return reject('not-a-position-report', `type ${m.type}`);
  }
  if (m.lon === null || m.lat === null) return reject('no-position', `type ${m.type} from ${m.mmsi}`);
  if (Math.abs(m.lon) > 180 || Math.abs(m.lat) > 90) return reject('bad-position', `lon ${m.lon}, lat ${m.lat}`);

  // Keys in the schema's order: the fast path of the check takes the object as it is, and it goes on the wire so.
  const parsed = safeParseAisPosition({
    obsId: observationId(decoded, context, 'ais.position'),
    sensorId: context.sensorId,
    gatewayId: context.gatewayId,
    observedAtMs: decoded.sourceTimeMs ?? decoded.receivedAtMs,
    receivedAtMs: decoded.receivedAtMs,
    kind: 'ais.position',
    mmsi: m.mmsi,
    msgType: m.type,
    aisClass,
    lon: m.lon,
    lat: m.lat,
    sogKn: m.sog,
    cogDeg: m.cog,
    headingDeg,
    navStatus,
    rotDegPerMin,
    accuracy: m.accuracy,
  });
  return parsed.success ? ok(parsed.data) : invalid(parsed.error.issues);
}

/** The static observation of a static report: types 5 (class A), 19 and 24 (class B). */
export function toAisStaticObservation(
  decoded: DecodedAis,
  context: AisObservationContext,
): Result<AisStaticObservation, AisNormalizeRejectReason> {
  const m = decoded.message;
  const empty = {
    imo: null,
    callsign: null,
    shipName: null,
    shipType: null,
    toBowM: null,
    toSternM: null,
    toPortM: null,
    toStarboardM: null,
    destination: null,
    eta: null,
    draughtM: null,
  };
  let fields: Omit<AisStaticObservation, keyof ObservationBase | 'kind' | 'mmsi' | 'msgType'>;
  switch (m.type) {
    case 5:
      fields = {
        ...empty,
        aisClass: 'A',
        imo: nonZero(m.imo),
        callsign: text(m.callsign),
        shipName: text(m.shipName),
        shipType: nonZero(m.shipType),
        ...dimensions(m),
        destination: text(m.destination),
        eta: m.eta,
        draughtM: nonZero(m.draught),
      };
      break;
    case 19:
      fields = {
        ...empty,
        aisClass: 'B',
        shipName: text(m.shipName),
        shipType: nonZero(m.shipType),
        ...dimensions(m),
      };
      break;
    case 24:
      // Part A and part B travel separately; each carries only its own fields, the rest stay null.
      fields =
        m.partno === 0
          ? { ...empty, aisClass: 'B', shipName: text(m.shipName) }
          : {
              ...empty,
              aisClass: 'B',
              callsign: text(m.callsign),
              shipType: nonZero(m.shipType),
              ...dimensions(m),
            };
      break;
    default:
      return reject('not-a-static-report', `type ${m.type}`);
  }
  const parsed = safeParseAisStatic({
    obsId: observationId(decoded, context, 'ais.static'),
    sensorId: context.sensorId,
    gatewayId: context.gatewayId,
    observedAtMs: decoded.sourceTimeMs ?? decoded.receivedAtMs,
    receivedAtMs: decoded.receivedAtMs,
    kind: 'ais.static',
    mmsi: m.mmsi,
    msgType: m.type,
    aisClass: fields.aisClass,
    imo: fields.imo,
    callsign: fields.callsign,
    shipName: fields.shipName,
    shipType: fields.shipType,
    toBowM: fields.toBowM,
    toSternM: fields.toSternM,
    toPortM: fields.toPortM,
    toStarboardM: fields.toStarboardM,
    destination: fields.destination,
    eta: fields.eta,
    draughtM: fields.draughtM,
  });
  return parsed.success ? ok(parsed.data) : invalid(parsed.error.issues);
}

/** What one decoded message yields: zero, one or (type 19) two observations, and why any was not made. */
export interface AisObservations {
  observations: AisObservation[];
  rejections: Rejected<AisNormalizeRejectReason>[];
}

/** Every observation a decoded message carries; messages of other types yield none and no rejection. */
export function toAisObservations(decoded: DecodedAis, context: AisObservationContext): AisObservations {
  const out: AisObservations = { observations: [], rejections: [] };
  const type = decoded.message.type;
  if (POSITION_TYPES.has(type)) collect(out, toAisPositionObservation(decoded, context));
  if (STATIC_TYPES.has(type)) collect(out, toAisStaticObservation(decoded, context));
  return out;
}

const POSITION_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 9, 18, 19, 27]);
const STATIC_TYPES: ReadonlySet<number> = new Set([5, 19, 24]);

function collect(out: AisObservations, r: Result<AisObservation, AisNormalizeRejectReason>): void {
  if (r.ok) out.observations.push(r.value);
  else out.rejections.push(r);
}

type ObservationBase = Pick<AisPositionObservation, 'obsId' | 'sensorId' | 'gatewayId' | 'observedAtMs' | 'receivedAtMs'>;

/** The id hashes sensor, kind and the raw lines. */
function observationId(decoded: DecodedAis, context: AisObservationContext, kind: AisObservation['kind']): string {
  const lines = decoded.lines;
  return hashObservationId(lines.length === 1 ? [context.sensorId, kind, lines[0]!] : [context.sensorId, kind, ...lines]);
}

interface MessageDimensions {
  toBow: number | null;
  toStern: number | null;
  toPort: number | null;
  toStarboard: number | null;
}

/** Dimensions in metres; all four zero means "not available" (ITU-R M.1371-5, messages 5, 19, 21, 24). */
function dimensions(m: MessageDimensions) {
  if (m.toBow === null || (m.toBow === 0 && m.toStern === 0 && m.toPort === 0 && m.toStarboard === 0)) return {};
  return { toBowM: m.toBow, toSternM: m.toStern, toPortM: m.toPort, toStarboardM: m.toStarboard };
}

/** IMO number, ship type and draught use 0 for "not available". */
function nonZero(value: number): number | null {
  return value === 0 ? null : value;
}

function text(value: string): string | null {
  return value === '' ? null : value;
}

function invalid(issues: readonly { path: PropertyKey[]; message: string }[]): Rejected<AisNormalizeRejectReason> {
  const first = issues[0];
  return reject('invalid-observation', first ? `${first.path.map(String).join('.')}: ${first.message}` : undefined);
}
