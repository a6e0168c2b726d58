/**
 * The threats of the scenario day, on a fixed schedule that repeats every UTC day (Hainan local time
 * is UTC+8), with the vessels that act them out. `SCENARIO_THREATS` is the schedule as data: tests and
 * demos read the expected times, identities and places from it. README.md describes each threat and
 * what the server should raise.
 */
import { FLEET_VESSELS, type RadarOnlyContact, type ScenarioVessel, dims } from './hainan-fleet';
import { type Keyframe, type LonLat, utc } from './motion';

/** Offsets of `[lon, lat]` by metres east and north (local plane; for the short offsets below). */
function offset([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return [round(lon + eastM / (111_320 * Math.cos((lat * Math.PI) / 180))), round(lat + northM / 110_700)];
}

// (a) Night landing: a fast boat without AIS from the open Beibu Gulf to a beach on the Danzhou coast
// 19 km south-west of Yangpu port, in view of rdr-yangpu all the way in.
const LANDING_BEACH: LonLat = [109.0712, 19.6048];
const LANDING_TRACK: readonly Keyframe[] = [
  { s: utc(17, 30), at: [108.78, 19.83] },
  { s: utc(18, 12), at: [109.066, 19.62] },
  { s: utc(18, 20), at: LANDING_BEACH },
  { s: utc(19, 20), at: LANDING_BEACH },
];

// (b) AIS dark: a sand carrier westbound along the Haikou side of the strait switches its AIS off
// north of Haikou, in view of rdr-haikou, and on again 25 minutes later.
const DARK_MMSI = 412_463_270;
const DARK_TRACK: readonly Keyframe[] = [
  { s: utc(9, 0), at: [110.62, 20.165] },
  { s: utc(10, 45), at: [110.34, 20.13] },
  { s: utc(12, 7), at: [110.12, 20.128] },
  { s: utc(13, 38), at: [109.88, 20.1] },
];
const DARK_FROM_S = utc(10, 50);
const DARK_TO_S = utc(11, 15);

// (c) Ship-to-ship: a small tanker and a fishing boat meet 16 km off the Danzhou coast, west of
// Yangpu, and drift together for 40 minutes (fuel transfer).
const MEET_FROM_S = utc(5, 30);
const MEET_TO_S = utc(6, 10);
const MEET_AT: LonLat = [108.935, 19.655];
const MEET_DRIFT_TO = offset(MEET_AT, -175, -303);
const ALONGSIDE_M = 60;
const TANKER_MMSI = 413_457_920;
const FISHING_MMSI = 412_470_318;

// (d) Spoofed MMSI: a boat south of Sanya transmits position reports with the MMSI of the ferry
// HAIXIA 11, which is in the Qiongzhou Strait 230 km away at the same time.
const SPOOFED = FLEET_VESSELS.find((v) => v.name === 'HAIXIA 11')!;
const SPOOF_FROM_S = utc(6, 30);
const SPOOF_TO_S = utc(7, 30);
const SPOOF_TRACK: readonly Keyframe[] = [
  { s: SPOOF_FROM_S, at: [109.62, 18.05] },
  { s: SPOOF_TO_S, at: [109.47, 17.98] },
];

/** The AIS vessels that act out the threats. */
export const THREAT_VESSELS: readonly ScenarioVessel[] = [
  {
    mmsi: DARK_MMSI,
    name: 'XIN HAI SHA 16',
    callsign: 'BVSH6',
    shipType: 70,
    dimensions: dims(52, 16, 7, 7),
    ais: { class: 'A', messageType: 1, imo: 0, draughtM: 4.6 },
    motion: { kind: 'daily', track: DARK_TRACK, destination: 'BEIHAI' },
    aisSilent: [[DARK_FROM_S, DARK_TO_S]],
  },
  {
    mmsi: TANKER_MMSI,
    name: 'FU YUAN YOU 7',
    callsign: 'BQFY7',
    shipType: 80,
    dimensions: dims(46, 14, 5, 5),
    ais: { class: 'A', messageType: 1, imo: 0, draughtM: 3.8 },
    motion: {
      kind: 'daily',
      destination: 'YANGPU',
      track: [
        { s: utc(3, 0), at: [108.62, 19.93] },
        { s: MEET_FROM_S, at: MEET_AT },
        { s: MEET_TO_S, at: MEET_DRIFT_TO },
        { s: utc(8, 30), at: [108.6, 19.9] },
      ],
    },
  },
  {
    mmsi: FISHING_MMSI,
    name: 'QIONGDANYU 03128',
    callsign: 'BZDC8',
    shipType: 30,
    dimensions: dims(18, 9, 3, 3),
    ais: { class: 'B', vendorId: 'SRT', unitModel: 2, serial: 470_318 },
    motion: {
      kind: 'daily',
      destination: '',
      track: [
        { s: utc(4, 0), at: [108.8, 19.52] },
        { s: MEET_FROM_S, at: offset(MEET_AT, ALONGSIDE_M, 0) },
        { s: MEET_TO_S, at: offset(MEET_DRIFT_TO, ALONGSIDE_M, 0) },
        { s: utc(8, 2), at: [108.8, 19.52] },
      ],
    },
  },
  {
    mmsi: SPOOFED.mmsi,
    name: SPOOFED.name,
    callsign: SPOOFED.callsign,
    shipType: SPOOFED.shipType,
    dimensions: SPOOFED.dimensions,
    ais: SPOOFED.ais,
    motion: { kind: 'daily', track: SPOOF_TRACK, destination: '' },
    positionReportsOnly: true,
  },
];

/** The threat boats without AIS. */
export const THREAT_RADAR_ONLY: readonly RadarOnlyContact[] = [
  {
    id: 'night-landing-boat',
    description: 'fast boat without AIS running from the open sea to a beach at night',
    motion: { kind: 'daily', track: LANDING_TRACK, destination: '' },
  },
];

/**
 * The threat schedule. Times are seconds after 00:00 UTC of any scenario day (`utc(hh, mm)`), the same
 * every day; positions `[lon, lat]`.
 */
export const SCENARIO_THREATS = {
  /** (a) A small fast boat without AIS runs in from the open sea and lands on a beach outside any port, at night. */
  nightLanding: {
    contactId: 'night-landing-boat',
    radarId: 'rdr-yangpu',
    /** Appears 21.5 nm north-west of the beach, at the edge of the radar's range (01:30 local). */
    startS: LANDING_TRACK[0]!.s,
    from: LANDING_TRACK[0]!.at,
    /** Lands and stops (02:20 local), after 29 knots across the gulf and 7 over the last mile. */
    landedS: LANDING_TRACK[2]!.s,
    beach: LANDING_BEACH,
    /** Last radar report: the boat has been hauled up the beach (03:20 local). */
    endS: LANDING_TRACK[3]!.s,
  },
  /** (b) An AIS vessel goes dark close to the coast and keeps moving; radar keeps tracking it. */
  aisDark: {
    mmsi: DARK_MMSI,
    radarId: 'rdr-haikou',
    /** The vessel's daily passage, east to west through the strait. */
    startS: DARK_TRACK[0]!.s,
    endS: DARK_TRACK[DARK_TRACK.length - 1]!.s,
    /** The last report before the gap is at or before `darkFromS`; the first after it at or after `darkToS`. */
    darkFromS: DARK_FROM_S,
    darkToS: DARK_TO_S,
  },
  /** (c) Two vessels meet at sea outside any port, within 200 m and under 2 knots, for 40 minutes. */
  shipToShip: {
    mmsis: [TANKER_MMSI, FISHING_MMSI] as const,
    radarId: 'rdr-yangpu',
    meetFromS: MEET_FROM_S,
    meetToS: MEET_TO_S,
    at: MEET_AT,
    maxDistanceM: 200,
    maxSogKn: 2,
  },
  /** (d) A second transmitter uses the MMSI of a scenario vessel far away at the same time. */
  spoofedMmsi: {
    mmsi: SPOOFED.mmsi,
    genuineName: SPOOFED.name,
    fromS: SPOOF_FROM_S,
    toS: SPOOF_TO_S,
    spoofTrack: [SPOOF_TRACK[0]!.at, SPOOF_TRACK[1]!.at] as const,
    spoofReceiver: 'rx-sanya',
  },
  /** Not a scheduled threat: a class B boat with an invalid MMSI and no name, off Lingao all day. */
  invalidMmsi: { mmsi: 123_456_789 },
} as const;
