/**
 * The built-in Hainan traffic scenario: a few vessels around Hainan whose AIS transponders are
 * heard by two shore receivers, as real encoded `!AIVDM` sentences with NMEA 4.0 tag blocks.
 *
 * Pure and deterministic: every position is a function of observation time alone (routes are
 * anchored at the Unix epoch), so any window gives the same messages whenever and however often it
 * is asked for, and consecutive windows concatenate to the messages of their union. "Randomness"
 * (sensor noise, receiver counts) comes from a PRNG seeded by MMSI and second.
 *
 * Routes were checked against the GSHHG full-resolution shoreline (see hainan-scenario.test.ts).
 */
import { type FeedLine, topics } from '@seawall/contracts';
import {
  CLASS_B_CS_RADIO,
  type ArmouredPayload,
  type Eta,
  type ShipDimensions,
  encodePositionReportA,
  encodePositionReportB,
  encodeStaticDataB,
  encodeStaticVoyageData,
  tagBlock,
  toVdmSentences,
} from './encode-ais';

/** A position, `[lon, lat]` in degrees (GeoJSON order). */
export type LonLat = readonly [lon: number, lat: number];

/** What a vessel does at one end of a shuttle route. */
export interface RouteEnd {
  /** Destination name broadcast while heading for this end (≤ 20 characters). */
  port: string;
  dwellS: number;
  /** Navigational status while dwelling (1 at anchor, 5 moored). */
  navStatus: number;
}

/**
 * How a vessel moves. Routes are waypoint lists with one speed per leg; the position is
 * interpolated linearly in lon/lat along the leg for the time elapsed since `phaseS` (seconds after
 * the Unix epoch, modulo the cycle).
 * - `shuttle`: out along the route, dwell at the far end, back, dwell at the start (ping-pong).
 * - `transit`: once along the route, then out of coverage until `periodS` has passed.
 * - `loop`: round a closed route (last waypoint equal to the first) forever.
 * - `anchored`: swinging round an anchor with the tide.
 */
export type Motion =
  | {
      kind: 'shuttle';
      route: readonly LonLat[];
      speedsKn: readonly number[];
      phaseS: number;
      ends: readonly [RouteEnd, RouteEnd];
    }
  | {
      kind: 'transit';
      route: readonly LonLat[];
      speedsKn: readonly number[];
      phaseS: number;
      periodS: number;
      destination: string;
      /** ETA broadcast: this long after leaving the route's end. */
      etaAfterEndS: number;
    }
  | { kind: 'loop'; route: readonly LonLat[]; speedsKn: readonly number[]; phaseS: number }
  | { kind: 'anchored'; position: LonLat; destination: string };

/** A simulated vessel: identity, transponder and motion. */
export interface ScenarioVessel {
  mmsi: number;
  name: string;
  callsign: string;
  /** Type of ship and cargo (ITU-R M.1371-5 Table 53). */
  shipType: number;
  dimensions: ShipDimensions;
  ais:
    | { class: 'A'; messageType: 1 | 3; imo: number; draughtM: number }
    | { class: 'B'; vendorId: string; unitModel: number; serial: number };
  motion: Motion;
}

/** The receivers of the scenario; each hears the vessels in its half of the island. */
export const SCENARIO_RECEIVERS = { north: 'rx-haikou', south: 'rx-sanya' } as const;

const HOUR = 3600;

interface Leg {
  from: LonLat;
  to: LonLat;
  speedKn: number;
  durationS: number;
  cogDeg: number;
}

/** Legs of a route; distances and courses on the local equirectangular plane (legs are short). */
function legsOf(route: readonly LonLat[], speedsKn: readonly number[]): Leg[] {
  const legs: Leg[] = [];
  for (let i = 1; i < route.length; i++) {
    const from = route[i - 1]!;
    const to = route[i]!;
    const dxNm = (to[0] - from[0]) * 60 * Math.cos(((from[1] + to[1]) / 2) * (Math.PI / 180));
    const dyNm = (to[1] - from[1]) * 60;
    const speedKn = speedsKn[i - 1] ?? speedsKn[speedsKn.length - 1]!;
    legs.push({
      from,
      to,
      speedKn,
      durationS: (Math.hypot(dxNm, dyNm) / speedKn) * HOUR,
      cogDeg: normDeg((Math.atan2(dxNm, dyNm) * 180) / Math.PI),
    });
  }
  return legs;
}

function routeDurationS(route: readonly LonLat[], speedsKn: readonly number[]): number {
  return legsOf(route, speedsKn).reduce((s, l) => s + l.durationS, 0);
}

const normDeg = (d: number) => ((d % 360) + 360) % 360;
const mod = (a: number, n: number) => ((a % n) + n) % n;
const moored = (port: string, dwellS: number): RouteEnd => ({ port, dwellS, navStatus: 5 });

const XIUYING_TO_HAIAN_EAST: LonLat[] = [
  [110.281, 20.033],
  [110.283, 20.052],
  [110.272, 20.15],
  [110.232, 20.245],
  [110.217, 20.265],
];
const XIUYING_TO_HAIAN_WEST: LonLat[] = [
  [110.277, 20.034],
  [110.274, 20.05],
  [110.255, 20.14],
  [110.222, 20.24],
  [110.212, 20.266],
];
const FERRY_SPEEDS = [6, 13.5, 13.5, 6];
const FERRY_CYCLE_S = 2 * (routeDurationS(XIUYING_TO_HAIAN_WEST, FERRY_SPEEDS) + 25 * 60);

const dims = (toBowM: number, toSternM: number, toPortM: number, toStarboardM: number): ShipDimensions => ({
  toBowM,
  toSternM,
  toPortM,
  toStarboardM,
});

/**
 * The vessels: two Qiongzhou Strait ferries between Haikou Xiuying and Hai'an, a cargo ship
 * transiting the strait east to west, a tanker between the Yangpu anchorage and its berth, three
 * class B fishing boats off Sanya and a bulk carrier at anchor off Haikou.
 */
export const HAINAN_VESSELS: readonly ScenarioVessel[] = [
  {
    mmsi: 413_521_110,
    name: 'HAIXIA 11',
    callsign: 'BOAL3',
    shipType: 60,
    dimensions: dims(92, 28, 10, 10),
    ais: { class: 'A', messageType: 1, imo: 9_387_126, draughtM: 5.2 },
    motion: {
      kind: 'shuttle',
      route: XIUYING_TO_HAIAN_WEST,
      speedsKn: FERRY_SPEEDS,
      phaseS: 0,
      ends: [moored('HAIKOU XIUYING', 25 * 60), moored('HAIAN', 25 * 60)],
    },
  },
  {
    mmsi: 413_521_120,
    name: 'HAIXIA 12',
    callsign: 'BOAL5',
    shipType: 60,
    dimensions: dims(92, 28, 10, 10),
    ais: { class: 'A', messageType: 1, imo: 9_612_349, draughtM: 5.1 },
    motion: {
      kind: 'shuttle',
      route: XIUYING_TO_HAIAN_EAST,
      speedsKn: FERRY_SPEEDS,
      phaseS: Math.round(FERRY_CYCLE_S / 2),
      ends: [moored('HAIKOU XIUYING', 25 * 60), moored('HAIAN', 25 * 60)],
    },
  },
  {
    mmsi: 413_376_450,
    name: 'HONG YUN 88',
    callsign: 'BKRT7',
    shipType: 70,
    dimensions: dims(102, 28, 9, 11),
    ais: { class: 'A', messageType: 1, imo: 9_456_783, draughtM: 7.8 },
    motion: {
      kind: 'transit',
      route: [
        [111.1, 20.26],
        [110.75, 20.24],
        [110.5, 20.2],
        [110.3, 20.17],
        [110.05, 20.14],
        [109.8, 20.11],
        [109.45, 20.08],
      ],
      speedsKn: [12.5, 12.5, 11, 11, 12.5, 12.5],
      phaseS: 2 * HOUR,
      periodS: 9 * HOUR,
      destination: 'BEIHAI',
      etaAfterEndS: 6 * HOUR,
    },
  },
  {
    mmsi: 414_355_280,
    name: 'HAI YOU 306',
    callsign: 'BIQX6',
    shipType: 80,
    dimensions: dims(112, 30, 12, 10),
    ais: { class: 'A', messageType: 1, imo: 9_201_358, draughtM: 9.8 },
    motion: {
      kind: 'shuttle',
      route: [
        [108.95, 19.8],
        [109.1, 19.7],
        [109.15, 19.693],
        [109.19, 19.7],
        [109.19, 19.716],
        [109.188, 19.727],
      ],
      speedsKn: [10, 8, 6, 4, 2],
      phaseS: HOUR,
      // Out from the berth to wait at the anchorage (bound for Zhanjiang), then back in.
      ends: [
        { port: 'ZHANJIANG', dwellS: 1.5 * HOUR, navStatus: 1 },
        { port: 'YANGPU', dwellS: 4 * HOUR, navStatus: 5 },
      ],
    },
  },
  {
    mmsi: 412_451_186,
    name: 'QIONGSANYAYU 01186',
    callsign: 'BZSA6',
    shipType: 30,
    dimensions: dims(16, 10, 3, 3),
    ais: { class: 'B', vendorId: 'SRT', unitModel: 2, serial: 301_186 },
    motion: {
      kind: 'loop',
      route: [
        [109.4, 18.12],
        [109.47, 18.09],
        [109.55, 18.105],
        [109.5, 18.14],
        [109.4, 18.12],
      ],
      speedsKn: [3.5, 3.2, 3.8, 3.5],
      phaseS: 0,
    },
  },
  {
    mmsi: 412_452_317,
    name: 'QIONGSANYAYU 02317',
    callsign: 'BZSC2',
    shipType: 30,
    dimensions: dims(18, 11, 3, 3),
    ais: { class: 'B', vendorId: 'SRT', unitModel: 2, serial: 302_317 },
    motion: {
      kind: 'loop',
      route: [
        [109.28, 18.1],
        [109.36, 18.06],
        [109.33, 18.01],
        [109.24, 18.05],
        [109.28, 18.1],
      ],
      speedsKn: [4, 3, 4.2, 2.8],
      phaseS: 1800,
    },
  },
  {
    mmsi: 412_458_806,
    name: 'QIONGSANYAYU 08806',
    callsign: '',
    shipType: 30,
    dimensions: dims(14, 8, 2, 3),
    ais: { class: 'B', vendorId: 'CML', unitModel: 1, serial: 108_806 },
    motion: {
      kind: 'loop',
      route: [
        [109.62, 18.12],
        [109.7, 18.1],
        [109.74, 18.14],
        [109.66, 18.15],
        [109.62, 18.12],
      ],
      speedsKn: [2.5, 3, 2.2, 2.8],
      phaseS: 4000,
    },
  },
  {
    mmsi: 413_298_310,
    name: 'HUA YANG 16',
    callsign: 'BRWM9',
    shipType: 70,
    dimensions: dims(150, 40, 16, 16),
    ais: { class: 'A', messageType: 3, imo: 9_338_450, draughtM: 10.2 },
    motion: { kind: 'anchored', position: [110.225, 20.095], destination: 'HAIKOU' },
  },
];

/** A vessel's true kinematic state at one instant (before sensor noise). */
export interface VesselState {
  lon: number;
  lat: number;
  sogKn: number;
  /** Course over ground; null when not making way. */
  cogDeg: number | null;
  headingDeg: number;
  /** ITU-R M.1371-5 navigational status. */
  navStatus: number;
  underway: boolean;
  destination: string;
  etaMs: number | null;
}

/** Position `s` seconds along the legs (clamped to the ends), with the leg's course and speed. */
function alongLegs(legs: Leg[], s: number): { lon: number; lat: number; cogDeg: number; sogKn: number } {
  for (const leg of legs) {
    if (s < leg.durationS) {
      const f = Math.max(0, s) / leg.durationS;
      return {
        lon: leg.from[0] + (leg.to[0] - leg.from[0]) * f,
        lat: leg.from[1] + (leg.to[1] - leg.from[1]) * f,
        cogDeg: leg.cogDeg,
        sogKn: leg.speedKn,
      };
    }
    s -= leg.durationS;
  }
  const last = legs[legs.length - 1]!;
  return { lon: last.to[0], lat: last.to[1], cogDeg: last.cogDeg, sogKn: last.speedKn };
}

/** The vessel's state at `tMs`, or null while it is out of coverage (a transit between passages). */
export function vesselStateAt(v: ScenarioVessel, tMs: number): VesselState | null {
  const tS = tMs / 1000;
  const m = v.motion;
  if (m.kind === 'anchored') {
    // Swing with the semi-diurnal tide; the antenna lies 60 m down-current of the anchor.
    const headingDeg = normDeg(60 + 120 * Math.sin((2 * Math.PI * tS) / (12.42 * HOUR)));
    const r = 60 / 111_120;
    const h = (headingDeg * Math.PI) / 180;
    return {
      lon: m.position[0] - (r * Math.sin(h)) / Math.cos((m.position[1] * Math.PI) / 180),
      lat: m.position[1] - r * Math.cos(h),
      sogKn: 0,
      cogDeg: null,
      headingDeg,
      navStatus: 1,
      underway: false,
      destination: m.destination,
      etaMs: null,
    };
  }
  const legs = legsOf(m.route, m.speedsKn);
  const travelS = legs.reduce((s, l) => s + l.durationS, 0);
  const moving = (p: ReturnType<typeof alongLegs>, destination: string, etaS: number | null, reverse = false) => {
    const cogDeg = reverse ? normDeg(p.cogDeg + 180) : p.cogDeg;
    const etaMs = etaS === null ? null : Math.round(etaS) * 1000;
    const { lon, lat, sogKn } = p;
    return { lon, lat, sogKn, cogDeg, headingDeg: cogDeg, navStatus: 0, underway: true, destination, etaMs };
  };
  if (m.kind === 'loop') return moving(alongLegs(legs, mod(tS - m.phaseS, travelS)), '', null);
  if (m.kind === 'transit') {
    const s = mod(tS - m.phaseS, m.periodS);
    if (s >= travelS) return null;
    return moving(alongLegs(legs, s), m.destination, tS - s + travelS + m.etaAfterEndS);
  }
  const [start, end] = m.ends;
  const cycle = 2 * travelS + start.dwellS + end.dwellS;
  const s = mod(tS - m.phaseS, cycle);
  const first = legs[0]!;
  const last = legs[legs.length - 1]!;
  const dwell = (at: LonLat, headingDeg: number, e: RouteEnd, next: RouteEnd, leftS: number): VesselState => ({
    lon: at[0],
    lat: at[1],
    sogKn: 0,
    cogDeg: null,
    headingDeg,
    navStatus: e.navStatus,
    underway: false,
    destination: next.port,
    etaMs: Math.round(tS + leftS + travelS) * 1000,
  });
  if (s < travelS) return moving(alongLegs(legs, s), end.port, tS - s + travelS);
  if (s < travelS + end.dwellS) return dwell(last.to, last.cogDeg, end, start, travelS + end.dwellS - s);
  const back = s - travelS - end.dwellS;
  if (back < travelS) return moving(alongLegs(legs, travelS - back), start.port, tS - back + travelS, true);
  return dwell(first.from, normDeg(first.cogDeg + 180), start, end, cycle - s);
}

/** The receiver that hears a vessel at this latitude. */
export function receiverFor(lat: number): string {
  return lat >= 19.2 ? SCENARIO_RECEIVERS.north : SCENARIO_RECEIVERS.south;
}

/** A PRNG value in [0, 1) for the given integer keys (a murmur3-style mix, then mulberry32). */
function random(...keys: number[]): number {
  let h = 0x5ea_2a11;
  for (const k of keys) {
    h = Math.imul(h ^ (k >>> 0), 0xcc9e2d51);
    h = Math.imul((h << 15) | (h >>> 17), 0x1b873593);
    h ^= h >>> 16;
  }
  let t = (h + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Symmetric noise in [-amplitude, amplitude). */
const noise = (amplitude: number, ...keys: number[]) => (random(...keys) * 2 - 1) * amplitude;

/** One message of the scenario: the recorded-feed line shape of ARCHITECTURE.md. */
export type ScenarioMessage = Extract<FeedLine, { payload: string }>;

/** Options of {@link scenarioMessages}. */
export interface ScenarioOptions {
  /**
   * When the scenario was switched on: every vessel in view then sends its static data with its
   * first position report at or after this time (as well as every 6 minutes and on appearing).
   */
  startMs?: number;
}

/**
 * SOTDMA communication state (ITU-R M.1371-5 §3.3.7.2.3): UTC direct sync, the slot time-out counting
 * down once a frame (minute), and the sub-message the time-out calls for.
 */
function sotdmaRadio(mmsi: number, tS: number): number {
  const timeout = 7 - (Math.floor(tS / 60) % 8);
  const d = new Date(tS * 1000);
  const sub =
    timeout === 1
      ? (d.getUTCHours() << 9) | (d.getUTCMinutes() << 2)
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

/**
 * Every scenario message whose observation time falls in [fromMs, toMs), in time order. Position
 * reports: class A every 10 s under way and every 3 min at anchor or moored, class B every 30 s
 * (3 min below 2 knots). Static data (message 5, or 24 A and B) every 6 minutes, when a vessel comes
 * into coverage, and at `options.startMs`. Each message is one MQTT message on
 * `sensors/ais/<receiver>`: its sentences (two for message 5), each behind the tag block
 * `\s:<receiver>,c:<unix seconds>*hh\`, joined by CRLF.
 */
export function scenarioMessages(fromMs: number, toMs: number, options: ScenarioOptions = {}): ScenarioMessage[] {
  const out: ScenarioMessage[] = [];
  const startS = options.startMs === undefined ? undefined : Math.ceil(options.startMs / 1000);
  const emit = (tS: number, lat: number, p: ArmouredPayload, channel: 'A' | 'B', sequenceId: number) => {
    const rx = receiverFor(lat);
    const block = tagBlock(rx, tS);
    const payload = toVdmSentences(p, { channel, sequenceId })
      .map((s) => block + s)
      .join('\r\n');
    out.push({ t: tS * 1000, topic: topics.sensor('ais', rx), payload });
  };
  for (let tS = Math.ceil(fromMs / 1000); tS * 1000 < toMs; tS++) {
    HAINAN_VESSELS.forEach((v, i) => {
      const baseS = v.ais.class === 'A' ? 10 : 30;
      const offsetS = (i * 7) % baseS;
      const staticDue = mod(tS - i * 47 - 5, STATIC_INTERVAL_S) === 0;
      const reportDue = mod(tS - offsetS, baseS) === 0;
      if (!reportDue && !staticDue) return;
      const st = vesselStateAt(v, tS * 1000);
      if (!st) return;
      const slow = v.ais.class === 'A' ? !st.underway : st.sogKn < 2;
      const intervalS = slow ? 180 : baseS;
      let sendStatic = staticDue;
      if (reportDue && mod(tS - offsetS, intervalS) === 0) {
        const channel = Math.floor(tS / intervalS + i) % 2 === 0 ? 'A' : 'B';
        emit(tS, st.lat, positionReport(v, st, tS, intervalS), channel, 0);
        const appeared = vesselStateAt(v, (tS - baseS) * 1000) === null;
        const firstSinceStart = startS !== undefined && tS >= startS && tS - intervalS < startS;
        sendStatic ||= appeared || firstSinceStart;
      }
      if (sendStatic) {
        const channel = Math.floor(tS / STATIC_INTERVAL_S + i) % 2 === 0 ? 'B' : 'A';
        for (const p of staticReports(v, st)) emit(tS, st.lat, p, channel, (tS + i) % 10);
      }
    });
  }
  return out;
}
