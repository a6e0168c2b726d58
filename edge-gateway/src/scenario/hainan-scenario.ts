/**
 * The built-in Hainan scenario: a day of traffic round Hainan and the threats hidden in it, as the raw
 * sensor data the gateway reads: AIS receivers (`!AIVDM` with NMEA 4.0 tag blocks), the configured shore
 * radars (`$RATTM`), patrol boats reporting their position as JSON, and a patrol drone's MAVLink v2.
 *
 * Pure and deterministic: every position is a function of observation time alone (routes are anchored
 * at the Unix epoch, daily tracks at 00:00 UTC), so any window gives the same messages whenever and
 * however often it is asked for, and consecutive windows concatenate to the messages of their union.
 * "Randomness" (sensor noise, radio slots) comes from a hash of MMSI, target and second.
 *
 * Who is where: hainan-fleet.ts (everyday traffic) and hainan-threats.ts (the threats and their schedule).
 */
import { type FeedLine, type SensorKind, topics } from '@seawall/contracts';
import { type RadarSites, loadRadarSites } from '../normalize/radar-observation-sites';
import { DRONE_SENSOR_ID, droneFramesAt } from './drone-patrol';
import {
  CLASS_B_CS_RADIO,
  type ArmouredPayload,
  type Eta,
  encodePositionReportA,
  encodePositionReportB,
  encodeStaticDataB,
  encodeStaticVoyageData,
  tagBlock,
  toVdmSentences,
} from './encode-ais';
import { FLEET_RADAR_ONLY, FLEET_VESSELS, type RadarOnlyContact, type ScenarioVessel } from './hainan-fleet';
import { SCENARIO_THREATS, THREAT_RADAR_ONLY, THREAT_VESSELS } from './hainan-threats';
import { DAY_S, type VesselState, mod, motionStateAt, normDeg } from './motion';
import { type RadarContact, type SimulatedRadar, RADAR_SCAN_S, createSimulatedRadars, radarScan } from './radar-scan';
import { noise, random } from './scenario-random';

export type { LonLat, Motion, RouteEnd, VesselState, Keyframe } from './motion';
export type { RadarOnlyContact, ScenarioVessel } from './hainan-fleet';
export { SCENARIO_THREATS };

/** Every AIS-equipped vessel of the scenario (the threat vessels last). */
export const HAINAN_VESSELS: readonly ScenarioVessel[] = [...FLEET_VESSELS, ...THREAT_VESSELS];

/** The vessels without AIS. */
export const RADAR_ONLY_CONTACTS: readonly RadarOnlyContact[] = [...FLEET_RADAR_ONLY, ...THREAT_RADAR_ONLY];

/** What the radars see: every vessel, AIS or not, with its ARPA target number (1-based, the same on every radar). */
export const RADAR_CONTACTS: readonly (RadarContact & { source: ScenarioVessel | RadarOnlyContact })[] = [
  ...HAINAN_VESSELS,
  ...RADAR_ONLY_CONTACTS,
].map((source, i) => ({ targetNumber: i + 1, motion: source.motion, source }));

/** The shore AIS receivers; each hears the vessels in its part of the coast (see {@link receiverFor}). */
export const SCENARIO_RECEIVERS = { north: 'rx-haikou', west: 'rx-yangpu', south: 'rx-sanya' } as const;

/** The receiver that hears a vessel here: south of 19.2° N Sanya, else west of 109.75° E Yangpu, else Haikou. */
export function receiverFor(lon: number, lat: number): string {
  if (lat < 19.2) return SCENARIO_RECEIVERS.south;
  return lon < 109.75 ? SCENARIO_RECEIVERS.west : SCENARIO_RECEIVERS.north;
}

/** The vessel's state at `tMs`, or null while it is out of the picture (a transit between passages). */
export function vesselStateAt(v: ScenarioVessel | RadarOnlyContact, tMs: number): VesselState | null {
  return motionStateAt(v.motion, tMs);
}

/** Whether the vessel's transponder is switched off at the Unix second `tS`. */
export function aisSilentAt(v: ScenarioVessel, tS: number): boolean {
  const tod = mod(tS, DAY_S);
  return v.aisSilent?.some(([from, to]) => tod >= from && tod < to) ?? false;
}

/** One message of the scenario: a line of the recorded-feed format (ARCHITECTURE.md). */
export type ScenarioMessage = FeedLine;
/** A message with a text payload (AIS, radar, JSON). */
export type ScenarioTextMessage = Extract<FeedLine, { payload: string }>;
/** The sensor kinds whose payloads are text. */
export type TextSensorKind = Exclude<SensorKind, 'drone'>;

/** Options of {@link scenarioMessages}. */
export interface ScenarioOptions {
  /**
   * When the scenario was switched on: every vessel in view then sends its static data with its
   * first position report at or after this time (as well as every 6 minutes and on appearing).
   */
  startMs?: number;
  /** The sensor kinds to emit; all of them by default. */
  kinds?: readonly SensorKind[];
  /** The radar sites (id → site); the gateway's `edge-gateway/config/radars.json` by default. */
  radarSites?: RadarSites;
}

/**
 * SOTDMA communication state (ITU-R M.1371-5 §3.3.7.2.3): UTC direct sync, the slot time-out counting
 * down once a frame (minute), and the sub-message the time-out calls for.
 */
function sotdmaRadio(mmsi: number, tS: number): number {
  const timeout = 7 - (Math.floor(tS / 60) % 8);
  const sub =
    timeout === 1
      ? (Math.floor(mod(tS, DAY_S) / 3600) << 9) | (Math.floor(mod(tS, 3600) / 60) << 2)
      : timeout === 0
        ? 375
        : timeout % 2 === 0
          ? Math.floor((tS % 60) * 37.5)
          : 4 + Math.floor(random(mmsi, tS, 7) * 30);
  return (timeout << 14) | sub;
}

/** ITDMA communication state (ITU-R M.1371-5 §3.3.7.3.2): slot increment to the next report, one slot. */
const itdmaRadio = (intervalS: number) => (Math.min(8191, intervalS * 37.5) << 4) | 1;

function etaOf(etaMs: number | null): Eta | null {
  if (etaMs === null) return null;
  const d = new Date(etaMs);
  return { month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

function positionReport(v: ScenarioVessel, st: VesselState, tS: number, intervalS: number): ArmouredPayload {
  const moving = st.underway;
  const sogKn = moving ? Math.max(0, st.sogKn + noise(0.2, v.mmsi, tS, 1)) : 0;
  const cogDeg = st.cogDeg === null ? null : normDeg(st.cogDeg + noise(1.5, v.mmsi, tS, 2));
  const headingDeg = normDeg(st.headingDeg + noise(moving ? 2.5 : 0.5, v.mmsi, tS, 3));
  const common = { mmsi: v.mmsi, sogKn, lon: st.lon, lat: st.lat, cogDeg, second: tS % 60, raim: false };
  if (v.ais.class === 'B') {
    return encodePositionReportB({
      ...common,
      accuracy: false,
      headingDeg: null,
      cs: true,
      display: false,
      dsc: false,
      band: true,
      msg22: true,
      assigned: false,
      radio: CLASS_B_CS_RADIO,
    });
  }
  return encodePositionReportA({
    ...common,
    type: v.ais.messageType,
    navStatus: st.navStatus,
    rotDegPerMin: moving ? 0 : null,
    accuracy: true,
    headingDeg,
    maneuver: 0,
    radio: v.ais.messageType === 3 ? itdmaRadio(intervalS) : sotdmaRadio(v.mmsi, tS),
  });
}

function staticReports(v: ScenarioVessel, st: VesselState): ArmouredPayload[] {
  if (v.ais.class === 'B') {
    const { vendorId, unitModel, serial } = v.ais;
    return [
      encodeStaticDataB({ part: 'A', mmsi: v.mmsi, shipName: v.name }),
      encodeStaticDataB({
        part: 'B',
        mmsi: v.mmsi,
        shipType: v.shipType,
        vendorId,
        unitModel,
        serial,
        callsign: v.callsign,
        dimensions: v.dimensions,
      }),
    ];
  }
  return [
    encodeStaticVoyageData({
      mmsi: v.mmsi,
      aisVersion: 2,
      imo: v.ais.imo,
      callsign: v.callsign,
      shipName: v.name,
      shipType: v.shipType,
      dimensions: v.dimensions,
      epfd: 1,
      eta: etaOf(st.etaMs),
      draughtM: v.ais.draughtM,
      destination: st.destination,
      dteAvailable: true,
    }),
  ];
}


const STATIC_INTERVAL_S = 360;
/** Patrol units report their position this often. */
export const UNIT_REPORT_S = 10;

let defaultRadars: SimulatedRadar[] | undefined;
const radarsBySites = new WeakMap<RadarSites, SimulatedRadar[]>();

function radarsOf(sites: RadarSites | undefined): SimulatedRadar[] {
  if (!sites) return (defaultRadars ??= createSimulatedRadars(loadRadarSites()));
  let radars = radarsBySites.get(sites);
  if (!radars) radarsBySites.set(sites, (radars = createSimulatedRadars(sites)));
  return radars;
}

const UNITS = HAINAN_VESSELS.filter((v): v is ScenarioVessel & { unitId: string } => v.unitId !== undefined);

/** A patrol unit's own position report: the JSON sensor format (`JsonSensorReport`, kind `unit.position`). */
function unitReport(v: ScenarioVessel & { unitId: string }, st: VesselState, tS: number): string {
  const round = (x: number, digits: number) => Number(x.toFixed(digits));
  return JSON.stringify({
    kind: 'unit.position',
    observedAtMs: tS * 1000,
    unitId: v.unitId,
    lon: round(st.lon, 6),
    lat: round(st.lat, 6),
    sogKn: round(Math.max(0, st.sogKn + noise(0.2, v.mmsi, tS, 11)), 1),
    cogDeg: st.cogDeg === null ? null : round(normDeg(st.cogDeg + noise(1.5, v.mmsi, tS, 12)), 1),
  });
}

/**
 * Every scenario message whose observation time falls in [fromMs, toMs), in time order (messages of one
 * instant: AIS, radar, JSON, drone). Each is one MQTT message:
 * - AIS on `sensors/ais/<receiver>`: one AIS message, its sentences (two for message 5) each behind the
 *   tag block `\s:<receiver>,c:<unix seconds>*hh\`, joined by CRLF. Position reports: class A every
 *   10 s under way and every 3 min at anchor or moored, class B every 30 s (3 min below 2 knots). Static
 *   data (message 5, or 24 A and B) every 6 minutes, on appearing or switching the transponder back on,
 *   and at `options.startMs`. Nothing while a vessel's transponder is silent.
 * - radar on `sensors/radar/<radarId>`: every 10 s per radar, its `$RATTM` lines (radar-scan.ts).
 * - JSON on `sensors/json/<unitId>`: each patrol unit's `unit.position` every 10 s.
 * - drone on `sensors/drone/uav-sanya`: MAVLink v2 frames every 500 ms during sorties
 *   (drone-patrol.ts), as `payloadBase64`.
 * With `kinds` of text sensors only, the messages are typed as text.
 */
export function scenarioMessages(
  fromMs: number,
  toMs: number,
  options: ScenarioOptions & { kinds: readonly TextSensorKind[] },
): ScenarioTextMessage[];
export function scenarioMessages(fromMs: number, toMs: number, options?: ScenarioOptions): ScenarioMessage[];
export function scenarioMessages(fromMs: number, toMs: number, options: ScenarioOptions = {}): ScenarioMessage[] {
  const out: ScenarioMessage[] = [];
  const kinds = new Set<SensorKind>(options.kinds ?? ['ais', 'radar', 'json', 'drone']);
  const radars = kinds.has('radar') ? radarsOf(options.radarSites) : [];
  const startS = options.startMs === undefined ? undefined : Math.ceil(options.startMs / 1000);
  const emitAis = (tS: number, st: VesselState, p: ArmouredPayload, channel: 'A' | 'B', sequenceId: number) => {
    const rx = receiverFor(st.lon, st.lat);
    const block = tagBlock(rx, tS);
    const payload = toVdmSentences(p, { channel, sequenceId })
      .map((s) => block + s)
      .join('\r\n');
    out.push({ t: tS * 1000, topic: topics.sensor('ais', rx), payload });
  };
  const ais = (tS: number) =>
    HAINAN_VESSELS.forEach((v, i) => {
      const baseS = v.ais.class === 'A' ? 10 : 30;
      const offsetS = (i * 7) % baseS;
      const staticDue = !v.positionReportsOnly && mod(tS - i * 47 - 5, STATIC_INTERVAL_S) === 0;
      const reportDue = mod(tS - offsetS, baseS) === 0;
      if (!reportDue && !staticDue) return;
      if (aisSilentAt(v, tS)) return;
      const st = vesselStateAt(v, tS * 1000);
      if (!st) return;
      const slow = v.ais.class === 'A' ? !st.underway : st.sogKn < 2;
      const intervalS = slow ? 180 : baseS;
      let sendStatic = staticDue;
      if (reportDue && mod(tS - offsetS, intervalS) === 0) {
        const channel = Math.floor(tS / intervalS + i) % 2 === 0 ? 'A' : 'B';
        emitAis(tS, st, positionReport(v, st, tS, intervalS), channel, 0);
        const appeared = vesselStateAt(v, (tS - baseS) * 1000) === null || aisSilentAt(v, tS - baseS);
        const firstSinceStart = startS !== undefined && tS >= startS && tS - intervalS < startS;
        sendStatic ||= !v.positionReportsOnly && (appeared || firstSinceStart);
      }
      if (sendStatic) {
        const channel = Math.floor(tS / STATIC_INTERVAL_S + i) % 2 === 0 ? 'B' : 'A';
        for (const p of staticReports(v, st)) emitAis(tS, st, p, channel, (tS + i) % 10);
      }
    });

  for (let tMs = Math.ceil(fromMs / 500) * 500; tMs < toMs; tMs += 500) {
    if (tMs % 1000 === 0) {
      const tS = tMs / 1000;
      if (kinds.has('ais')) ais(tS);
      radars.forEach((radar, i) => {
        if (mod(tS, RADAR_SCAN_S) !== radar.phaseS) return;
        const payload = radarScan(radar, i, RADAR_CONTACTS, tS);
        if (payload !== null) out.push({ t: tMs, topic: topics.sensor('radar', radar.id), payload });
      });
      if (kinds.has('json')) {
        UNITS.forEach((v, i) => {
          if (mod(tS, UNIT_REPORT_S) !== (i * 4 + 1) % UNIT_REPORT_S) return;
          const st = vesselStateAt(v, tMs);
          if (st) out.push({ t: tMs, topic: topics.sensor('json', v.unitId), payload: unitReport(v, st, tS) });
        });
      }
    }
    if (kinds.has('drone')) {
      const frames = droneFramesAt(tMs);
      if (frames) out.push({ t: tMs, topic: topics.sensor('drone', DRONE_SENSOR_ID), payloadBase64: frames.toString('base64') });
    }
  }
  return out;
}
