import { minimal } from 'node-mavlink';

/** The HEARTBEAT (MAVLink message 0) fields a flight mode is read from. */
export interface ModeSource {
  type: number;
  autopilot: number;
  baseMode: number;
  customMode: number;
}

/** ArduCopter `Mode::Number` (ArduCopter/mode.h). */
const ARDUCOPTER_MODES: Readonly<Record<number, string>> = {
  0: 'STABILIZE', 1: 'ACRO', 2: 'ALT_HOLD', 3: 'AUTO', 4: 'GUIDED', 5: 'LOITER', 6: 'RTL', 7: 'CIRCLE',
  9: 'LAND', 11: 'DRIFT', 13: 'SPORT', 14: 'FLIP', 15: 'AUTOTUNE', 16: 'POSHOLD', 17: 'BRAKE', 18: 'THROW',
  19: 'AVOID_ADSB', 20: 'GUIDED_NOGPS', 21: 'SMART_RTL', 22: 'FLOWHOLD', 23: 'FOLLOW', 24: 'ZIGZAG',
  25: 'SYSTEMID', 26: 'AUTOROTATE', 27: 'AUTO_RTL', 28: 'TURTLE',
};

/** ArduPlane `Mode::Number` (ArduPlane/mode.h), QuadPlane modes included. */
const ARDUPLANE_MODES: Readonly<Record<number, string>> = {
  0: 'MANUAL', 1: 'CIRCLE', 2: 'STABILIZE', 3: 'TRAINING', 4: 'ACRO', 5: 'FBWA', 6: 'FBWB', 7: 'CRUISE',
  8: 'AUTOTUNE', 10: 'AUTO', 11: 'RTL', 12: 'LOITER', 13: 'TAKEOFF', 14: 'AVOID_ADSB', 15: 'GUIDED',
  17: 'QSTABILIZE', 18: 'QHOVER', 19: 'QLOITER', 20: 'QLAND', 21: 'QRTL', 22: 'QAUTOTUNE', 23: 'QACRO',
  24: 'THERMAL', 25: 'LOITER_ALT_QLAND', 26: 'AUTOLAND',
};

/** ArduRover `Mode::Number` (Rover/mode.h), also used by ArduPilot boats. */
const ARDUROVER_MODES: Readonly<Record<number, string>> = {
  0: 'MANUAL', 1: 'ACRO', 3: 'STEERING', 4: 'HOLD', 5: 'LOITER', 6: 'FOLLOW', 7: 'SIMPLE', 8: 'DOCK',
  9: 'CIRCLE', 10: 'AUTO', 11: 'RTL', 12: 'SMART_RTL', 15: 'GUIDED',
};

const T = minimal.MavType;
const COPTER_TYPES: ReadonlySet<number> = new Set([
  T.QUADROTOR, T.COAXIAL, T.HELICOPTER, T.HEXAROTOR, T.OCTOROTOR, T.TRICOPTER, T.DODECAROTOR, T.DECAROTOR,
  T.GENERIC_MULTIROTOR,
]);
const PLANE_TYPES: ReadonlySet<number> = new Set([
  T.FIXED_WING, T.VTOL_TAILSITTER_DUOROTOR, T.VTOL_TAILSITTER_QUADROTOR, T.VTOL_TILTROTOR, T.VTOL_FIXEDROTOR,
  T.VTOL_TAILSITTER, T.VTOL_TILTWING, T.VTOL_RESERVED5,
]);
const ROVER_TYPES: ReadonlySet<number> = new Set([T.GROUND_ROVER, T.SURFACE_BOAT]);

/** PX4 `PX4_CUSTOM_MAIN_MODE` (px4_custom_mode.h), byte 2 of custom_mode. */
const PX4_MAIN_MODES: Readonly<Record<number, string>> = {
  1: 'MANUAL', 2: 'ALTCTL', 3: 'POSCTL', 4: 'AUTO', 5: 'ACRO', 6: 'OFFBOARD', 7: 'STABILIZED', 8: 'RATTITUDE',
  9: 'SIMPLE', 10: 'TERMINATION',
};

/** PX4 `PX4_CUSTOM_SUB_MODE_AUTO`, byte 3 of custom_mode when the main mode is AUTO. */
const PX4_AUTO_SUB_MODES: Readonly<Record<number, string>> = {
  1: 'AUTO_READY', 2: 'AUTO_TAKEOFF', 3: 'AUTO_LOITER', 4: 'AUTO_MISSION', 5: 'AUTO_RTL', 6: 'AUTO_LAND',
  8: 'AUTO_FOLLOW_TARGET', 9: 'AUTO_PRECLAND', 10: 'AUTO_VTOL_TAKEOFF',
};

/**
 * The flight mode a HEARTBEAT announces, by the autopilot's own names: ArduPilot copter, plane and rover
 * modes by vehicle type, PX4 main and sub modes; otherwise `custom:<custom_mode>`. Null when the
 * heartbeat does not set MAV_MODE_FLAG_CUSTOM_MODE_ENABLED (its custom_mode then means nothing).
 */
export function describeFlightMode(hb: ModeSource): string | null {
  if ((hb.baseMode & minimal.MavModeFlag.CUSTOM_MODE_ENABLED) === 0) return null;
  const fallback = `custom:${hb.customMode}`;
  if (hb.autopilot === minimal.MavAutopilot.ARDUPILOTMEGA) {
    const table = COPTER_TYPES.has(hb.type)
      ? ARDUCOPTER_MODES
      : PLANE_TYPES.has(hb.type)
        ? ARDUPLANE_MODES
        : ROVER_TYPES.has(hb.type)
          ? ARDUROVER_MODES
          : null;
    return table?.[hb.customMode] ?? fallback;
  }
  if (hb.autopilot === minimal.MavAutopilot.PX4) {
    const main = (hb.customMode >>> 16) & 0xff;
    const sub = (hb.customMode >>> 24) & 0xff;
    if ((hb.customMode & 0xffff) !== 0) return fallback;
    if (main === 4) return PX4_AUTO_SUB_MODES[sub] ?? fallback;
    if (main === 3 && sub === 1) return 'ORBIT';
    return PX4_MAIN_MODES[main] ?? fallback;
  }
  return fallback;
}

/** True when HEARTBEAT base_mode has MAV_MODE_FLAG_SAFETY_ARMED. */
export function isArmed(baseMode: number): boolean {
  return (baseMode & minimal.MavModeFlag.SAFETY_ARMED) !== 0;
}
