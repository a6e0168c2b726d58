/**
 * The drone patrol: a VTOL fixed-wing (ArduPlane QuadPlane) flying a coastal loop round Sanya Bay three
 * times a day, heard as a MAVLink v2 telemetry stream on `sensors/drone/uav-sanya`.
 *
 * Timing of each sortie (seconds from arming, `DRONE_SORTIES` gives the arming times):
 * - from −180 s: the link is up, the aircraft on its pad, disarmed (QLOITER);
 * - 0 to 90 s: armed, vertical take-off to 150 m in AUTO;
 * - then the loop at 22 m/s in AUTO, the last leg home in RTL;
 * - 60 s vertical landing (QLAND), disarmed on touchdown; the link stays up 120 s more.
 * Frames: HEARTBEAT (#0), SYS_STATUS (#1) and SYSTEM_TIME (#2) once a second, GLOBAL_POSITION_INT (#33)
 * twice a second. One MQTT message per half second carries the frames due then: HEARTBEAT, SYS_STATUS,
 * SYSTEM_TIME and GLOBAL_POSITION_INT on the whole second, GLOBAL_POSITION_INT alone on the half.
 * Sequence numbers count frames from link-up (modulo 256); `time_boot_ms` counts from 40 s before link-up
 * (the autopilot boots for each sortie). SYSTEM_TIME carries the scenario time, as a GPS-synced autopilot
 * sends its GPS time, so the gateway stamps the fixes with it. The battery drains from 100 % at arming to
 * 30 % at touchdown.
 */
import { MavLinkProtocolV2, common, minimal } from 'node-mavlink';
import { type Keyframe, type LonLat, courseBetween, mod, motionStateAt, DAY_S, utc } from './motion';
import { noise } from './scenario-random';

export const DRONE_SENSOR_ID = 'uav-sanya';
const SYSTEM_ID = 1;
const COMPONENT_ID = 1;

/** The launch and landing pad, on the shore of Sanya Bay. */
export const DRONE_HOME: LonLat = [109.475, 18.28];
/** The patrol loop, from the pad back to it. */
export const DRONE_LOOP: readonly LonLat[] = [
  DRONE_HOME,
  [109.45, 18.262],
  [109.33, 18.272],
  [109.3, 18.215],
  [109.4, 18.165],
  [109.5, 18.145],
  [109.545, 18.175],
  [109.51, 18.215],
  DRONE_HOME,
];
/** Arming times, seconds after 00:00 UTC (09:00, 15:00 and 21:00 local). */
export const DRONE_SORTIES: readonly number[] = [utc(1, 0), utc(7, 0), utc(13, 0)];

const PREFLIGHT_S = 180;
const CLIMB_S = 90;
const LAND_S = 60;
const POSTFLIGHT_S = 120;
const BOOT_BEFORE_LINK_MS = 40_000;
const CRUISE_MS = 22;
const CRUISE_ALT_M = 150;
const HOME_ALT_MSL_M = 6;

/** ArduPlane mode numbers (ArduPlane/mode.h). */
const MODE = { AUTO: 10, RTL: 11, QLOITER: 19, QLAND: 20 } as const;

/** One sortie: when each phase begins, seconds after 00:00 UTC, and its ground track. */
export interface DroneSortie {
  linkUpS: number;
  armS: number;
  /** Top of the climb: the loop starts. */
  cruiseS: number;
  /** The last leg, home in RTL. */
  rtlS: number;
  /** Over the pad: vertical landing. */
  landS: number;
  disarmS: number;
  linkDownS: number;
  track: readonly Keyframe[];
}

function sortieOf(armS: number): DroneSortie {
  const cruiseS = armS + CLIMB_S;
  const track: Keyframe[] = [
    { s: armS - PREFLIGHT_S, at: DRONE_HOME },
    { s: cruiseS, at: DRONE_HOME },
  ];
  let s = cruiseS;
  let rtlS = cruiseS;
  for (let i = 1; i < DRONE_LOOP.length; i++) {
    if (i === DRONE_LOOP.length - 1) rtlS = s;
    s += (courseBetween(DRONE_LOOP[i - 1]!, DRONE_LOOP[i]!).distanceNm * 1852) / CRUISE_MS;
    track.push({ s: Math.round(s), at: DRONE_LOOP[i]! });
  }
  const landS = Math.round(s);
  const disarmS = landS + LAND_S;
  track.push({ s: disarmS + POSTFLIGHT_S, at: DRONE_HOME });
  return { linkUpS: armS - PREFLIGHT_S, armS, cruiseS, rtlS: Math.round(rtlS), landS, disarmS, linkDownS: disarmS + POSTFLIGHT_S, track };
}

/** The day's sorties, computed from {@link DRONE_SORTIES}. */
export const DRONE_SORTIE_PLAN: readonly DroneSortie[] = DRONE_SORTIES.map(sortieOf);

const protocol = new MavLinkProtocolV2(SYSTEM_ID, COMPONENT_ID);

/** The onboard sensors SYS_STATUS says are present, enabled and healthy: gyro, accel, mag, baro, GPS, AHRS, battery. */
const SENSORS = 0x1 | 0x2 | 0x4 | 0x8 | 0x20 | 0x200000 | 0x2000000;

/**
 * The MAVLink frames the drone sends at `tMs` (a multiple of 500 ms), concatenated; null when the link
 * is down or nothing falls due.
 */
export function droneFramesAt(tMs: number): Buffer | null {
  if (mod(tMs, 500) !== 0) return null;
  const tod = mod(tMs / 1000, DAY_S);
  const sortie = DRONE_SORTIE_PLAN.find((p) => tod >= p.linkUpS && tod < p.linkDownS);
  if (!sortie) return null;
  const sinceLinkMs = Math.round((tod - sortie.linkUpS) * 1000);
  const wholeSecond = sinceLinkMs % 1000 === 0;
  // Five frames a second: four on the whole second, one on the half.
  let seq = Math.floor(sinceLinkMs / 1000) * 5 + (wholeSecond ? 0 : 4);
  const frame = (message: Parameters<typeof protocol.serialize>[0]) => protocol.serialize(message, seq++ % 256);

  const armed = tod >= sortie.armS && tod < sortie.disarmS;
  const st = motionStateAt({ kind: 'daily', track: sortie.track, destination: '' }, tMs)!;
  const climbing = tod >= sortie.armS && tod < sortie.cruiseS;
  const landing = tod >= sortie.landS && tod < sortie.disarmS;
  const relAltM = !armed
    ? 0
    : climbing
      ? (CRUISE_ALT_M * (tod - sortie.armS)) / CLIMB_S
      : landing
        ? CRUISE_ALT_M * (1 - (tod - sortie.landS) / LAND_S)
        : CRUISE_ALT_M;
  const climbMs = climbing ? CRUISE_ALT_M / CLIMB_S : landing ? -CRUISE_ALT_M / LAND_S : 0;
  const frames: Buffer[] = [];
  const timeBootMs = sinceLinkMs + BOOT_BEFORE_LINK_MS;

  if (wholeSecond) {
    const mode = !armed
      ? tod < sortie.armS
        ? MODE.QLOITER
        : MODE.QLAND
      : landing
        ? MODE.QLAND
        : tod >= sortie.rtlS
          ? MODE.RTL
          : MODE.AUTO;
    const heartbeat = new minimal.Heartbeat();
    heartbeat.type = minimal.MavType.FIXED_WING;
    heartbeat.autopilot = minimal.MavAutopilot.ARDUPILOTMEGA;
    heartbeat.baseMode =
      minimal.MavModeFlag.CUSTOM_MODE_ENABLED |
      minimal.MavModeFlag.STABILIZE_ENABLED |
      (mode === MODE.AUTO || mode === MODE.RTL ? minimal.MavModeFlag.AUTO_ENABLED | minimal.MavModeFlag.GUIDED_ENABLED : 0) |
      (armed ? minimal.MavModeFlag.SAFETY_ARMED : 0);
    heartbeat.customMode = mode;
    heartbeat.systemStatus = armed ? minimal.MavState.ACTIVE : minimal.MavState.STANDBY;
    heartbeat.mavlinkVersion = 3;
    frames.push(frame(heartbeat));

    const flightS = sortie.disarmS - sortie.armS;
    const usedFraction = Math.min(1, Math.max(0, (tod - sortie.armS) / flightS));
    const batteryPct = Math.round(100 - 70 * usedFraction);
    const status = new common.SysStatus();
    status.onboardControlSensorsPresent = SENSORS;
    status.onboardControlSensorsEnabled = SENSORS;
    status.onboardControlSensorsHealth = SENSORS;
    status.load = 320 + Math.round(noise(40, 33, tMs / 1000, 1));
    // A 6S pack: 25.2 V full, about 22.7 V at 30 %.
    status.voltageBattery = Math.round(21_600 + 36 * batteryPct + noise(40, 33, tMs / 1000, 2));
    status.currentBattery = armed ? (climbing || landing ? 4_500 : 1_800) + Math.round(noise(60, 33, tMs / 1000, 3)) : 50;
    status.batteryRemaining = batteryPct;
    status.dropRateComm = 0;
    status.errorsComm = 0;
    status.errorsCount1 = 0;
    status.errorsCount2 = 0;
    status.errorsCount3 = 0;
    status.errorsCount4 = 0;
    // MAVLink 2 extensions; zero, like the trailing zero bytes MAVLink 2 truncates anyway.
    status.onboardControlSensorsPresentExtended = 0 as common.MavSysStatusSensorExtended;
    status.onboardControlSensorsEnabledExtended = 0 as common.MavSysStatusSensorExtended;
    status.onboardControlSensorsHealthExtended = 0 as common.MavSysStatusSensorExtended;
    frames.push(frame(status));

    // Before the position, so that the fix sent with it is already on scenario time.
    const time = new common.SystemTime();
    time.timeUnixUsec = BigInt(tMs) * 1000n;
    time.timeBootMs = timeBootMs;
    frames.push(frame(time));
  }

  const position = new common.GlobalPositionInt();
  const speedMs = (st.sogKn * 1852) / 3600;
  const courseRad = ((st.cogDeg ?? st.headingDeg) * Math.PI) / 180;
  // GPS jitter of about a metre, so that no two days send the same bytes.
  const jitter = (k: number) => noise(1e-5, 33, Math.floor(tMs / 500), k);
  position.timeBootMs = timeBootMs;
  position.lat = Math.round((st.lat + jitter(4)) * 1e7);
  position.lon = Math.round((st.lon + jitter(5)) * 1e7);
  position.relativeAlt = Math.round(relAltM * 1000);
  position.alt = Math.round((HOME_ALT_MSL_M + relAltM) * 1000);
  position.vx = Math.round(speedMs * Math.cos(courseRad) * 100);
  position.vy = Math.round(speedMs * Math.sin(courseRad) * 100);
  position.vz = Math.round(-climbMs * 100);
  position.hdg = Math.round(st.headingDeg * 100) % 36_000;
  frames.push(frame(position));
  return Buffer.concat(frames);
}
