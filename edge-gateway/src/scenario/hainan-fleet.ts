/**
 * Who is on the water in the built-in Hainan scenario on an ordinary day (the threats are in
 * hainan-threats.ts). Every route was checked against the GSHHG full-resolution shoreline
 * (see hainan-scenario.test.ts).
 */
import type { ShipDimensions } from './encode-ais';
import { HOUR_S, type LonLat, type Motion, type RouteEnd, routeDurationS } from './motion';

/** A vessel with an AIS transponder: identity, transponder and motion. */
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
  /** Daily windows `[fromS, toS)`, seconds after 00:00 UTC, in which the transponder is silent. */
  aisSilent?: readonly (readonly [fromS: number, toS: number])[];
  /** Sends position reports only, never static data (a transmitter borrowing another vessel's MMSI). */
  positionReportsOnly?: boolean;
  /** A patrol unit: also reports its own position as JSON `unit.position` on `sensors/json/<unitId>`. */
  unitId?: string;
}

/** A vessel without AIS: only the radars see it. */
export interface RadarOnlyContact {
  id: string;
  description: string;
  motion: Motion;
}

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

/** Ship dimensions from the AIS antenna: to bow, stern, port, starboard (metres). */
export const dims = (toBowM: number, toSternM: number, toPortM: number, toStarboardM: number): ShipDimensions => ({
  toBowM,
  toSternM,
  toPortM,
  toStarboardM,
});

/**
 * The everyday traffic: two Qiongzhou Strait ferries between Haikou Xiuying and Hai'an, cargo ships in
 * the strait (both ways), down the Beibu Gulf and along the south coast, a tanker between the Yangpu
 * anchorage and its berth, a bulk carrier at anchor off Haikou, class B fishing fleets off Sanya and off
 * Lingao (one boat with the factory-default MMSI 123456789 and no name), and two patrol boats.
 */
export const FLEET_VESSELS: readonly ScenarioVessel[] = [
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
      phaseS: 2 * HOUR_S,
      periodS: 9 * HOUR_S,
      destination: 'BEIHAI',
      etaAfterEndS: 6 * HOUR_S,
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
      phaseS: HOUR_S,
      // Out from the berth to wait at the anchorage (bound for Zhanjiang), then back in.
      ends: [
        { port: 'ZHANJIANG', dwellS: 1.5 * HOUR_S, navStatus: 1 },
        { port: 'YANGPU', dwellS: 4 * HOUR_S, navStatus: 5 },
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
  {
    mmsi: 413_268_540,
    name: 'XIN HUA HAI 6',
    callsign: 'BOKJ4',
    shipType: 71,
    dimensions: dims(120, 32, 14, 14),
    ais: { class: 'A', messageType: 1, imo: 9_512_664, draughtM: 8.6 },
    motion: {
      kind: 'transit',
      // Eastbound through the strait, north of the westbound lane.
      route: [
        [109.45, 20.125],
        [109.8, 20.155],
        [110.05, 20.185],
        [110.3, 20.2],
        [110.5, 20.215],
        [110.75, 20.245],
        [111.1, 20.28],
      ],
      speedsKn: [12, 12, 11, 11, 12, 12],
      phaseS: 5 * HOUR_S,
      periodS: 12 * HOUR_S,
      destination: 'GUANGZHOU',
      etaAfterEndS: 14 * HOUR_S,
    },
  },
  {
    mmsi: 414_382_110,
    name: 'JIN HAI 21',
    callsign: 'BPLE2',
    shipType: 70,
    dimensions: dims(160, 30, 16, 16),
    ais: { class: 'A', messageType: 1, imo: 9_603_115, draughtM: 11.4 },
    motion: {
      kind: 'transit',
      // Southbound down the Beibu Gulf, past Yangpu and Basuo.
      route: [
        [108.95, 20.25],
        [108.82, 19.85],
        [108.62, 19.35],
        [108.45, 18.8],
        [108.4, 18.4],
      ],
      speedsKn: [11],
      // Twice a day past Yangpu, clear of the threats there (README.md).
      phaseS: 0,
      periodS: 12 * HOUR_S,
      destination: 'SINGAPORE',
      etaAfterEndS: 80 * HOUR_S,
    },
  },
  {
    mmsi: 413_609_880,
    name: 'NAN HAI YOU 8',
    callsign: 'BOYT6',
    shipType: 80,
    dimensions: dims(130, 28, 12, 12),
    ais: { class: 'A', messageType: 1, imo: 9_418_027, draughtM: 8.9 },
    motion: {
      kind: 'transit',
      // Westbound along the south coast, well off Sanya.
      route: [
        [110.7, 18.05],
        [110.0, 17.98],
        [109.5, 17.95],
        [109.0, 18.0],
        [108.5, 18.2],
      ],
      speedsKn: [12.5],
      phaseS: 7 * HOUR_S,
      periodS: 12 * HOUR_S,
      destination: 'QINZHOU',
      etaAfterEndS: 20 * HOUR_S,
    },
  },
  {
    mmsi: 412_461_235,
    name: 'QIONGLINYU 11235',
    callsign: 'BZLA3',
    shipType: 30,
    dimensions: dims(17, 9, 3, 3),
    ais: { class: 'B', vendorId: 'SRT', unitModel: 2, serial: 461_235 },
    motion: {
      kind: 'loop',
      route: [
        [109.55, 20.05],
        [109.62, 20.08],
        [109.68, 20.06],
        [109.6, 20.04],
        [109.55, 20.05],
      ],
      speedsKn: [3.4, 3, 3.6, 2.6],
      phaseS: 900,
    },
  },
  {
    mmsi: 412_461_402,
    name: 'QIONGLINYU 11402',
    callsign: 'BZLB7',
    shipType: 30,
    dimensions: dims(15, 8, 3, 2),
    ais: { class: 'B', vendorId: 'SRT', unitModel: 2, serial: 461_402 },
    motion: {
      kind: 'loop',
      route: [
        [109.45, 20.06],
        [109.5, 20.1],
        [109.56, 20.09],
        [109.5, 20.05],
        [109.45, 20.06],
      ],
      speedsKn: [3, 3.8, 2.6, 3.2],
      phaseS: 2600,
    },
  },
  {
    // The factory-default MMSI (MID 123 is allocated to no country) and no name: a transponder fitted
    // and never configured.
    mmsi: 123_456_789,
    name: '',
    callsign: '',
    shipType: 0,
    dimensions: dims(0, 0, 0, 0),
    ais: { class: 'B', vendorId: '', unitModel: 0, serial: 0 },
    motion: {
      kind: 'loop',
      route: [
        [109.66, 20.1],
        [109.72, 20.13],
        [109.78, 20.11],
        [109.72, 20.08],
        [109.66, 20.1],
      ],
      speedsKn: [3.2, 2.8, 3.5, 3],
      phaseS: 5100,
    },
  },
  {
    mmsi: 413_990_101,
    name: 'HAIXUN 09101',
    callsign: 'BSHK1',
    shipType: 55,
    dimensions: dims(30, 8, 4, 4),
    ais: { class: 'A', messageType: 1, imo: 0, draughtM: 2.2 },
    unitId: 'pb-haikou-01',
    motion: {
      kind: 'loop',
      // Off Haikou, across the ferry lanes and round the anchorage.
      route: [
        [110.2, 20.07],
        [110.25, 20.085],
        [110.3, 20.085],
        [110.26, 20.068],
        [110.2, 20.07],
      ],
      speedsKn: [10, 12, 10, 12],
      phaseS: 600,
    },
  },
  {
    mmsi: 413_990_102,
    name: 'HAIXUN 09102',
    callsign: 'BSSY2',
    shipType: 55,
    dimensions: dims(30, 8, 4, 4),
    ais: { class: 'A', messageType: 1, imo: 0, draughtM: 2.2 },
    unitId: 'pb-sanya-01',
    motion: {
      kind: 'loop',
      // Sanya Bay and the fishing grounds south of it.
      route: [
        [109.45, 18.215],
        [109.39, 18.19],
        [109.43, 18.13],
        [109.52, 18.15],
        [109.45, 18.215],
      ],
      speedsKn: [10, 12, 10, 12],
      phaseS: 1500,
    },
  },
];

/** Small fishing boats without AIS, as many are: the radars see them, the AIS receivers do not. */
export const FLEET_RADAR_ONLY: readonly RadarOnlyContact[] = [
  {
    id: 'sampan-haikou',
    description: 'sampan fishing west of the ferry lanes off Haikou, 4 km out',
    motion: {
      kind: 'loop',
      route: [
        [110.18, 20.095],
        [110.2, 20.099],
        [110.205, 20.11],
        [110.185, 20.112],
        [110.18, 20.095],
      ],
      speedsKn: [2.4, 2, 2.6, 2.2],
      phaseS: 300,
    },
  },
  {
    id: 'sampan-sanya',
    description: 'sampan fishing west of Sanya Bay',
    motion: {
      kind: 'loop',
      route: [
        [109.36, 18.17],
        [109.39, 18.16],
        [109.4, 18.18],
        [109.38, 18.19],
        [109.36, 18.17],
      ],
      speedsKn: [2, 1.8, 2.4, 2.1],
      phaseS: 700,
    },
  },
  {
    id: 'sampan-yangpu',
    description: 'sampan fishing off the Yangpu peninsula',
    motion: {
      kind: 'loop',
      route: [
        [108.98, 19.76],
        [109.02, 19.765],
        [109.015, 19.79],
        [108.985, 19.785],
        [108.98, 19.76],
      ],
      speedsKn: [2.2, 2.5, 2, 2.3],
      phaseS: 1900,
    },
  },
];
