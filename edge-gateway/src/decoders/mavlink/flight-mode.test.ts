import { describe, expect, it } from 'vitest';
import { describeFlightMode, isArmed } from './flight-mode';

const CUSTOM = 1;

describe('describeFlightMode', () => {
  it.each([
    ['ArduCopter quadrotor in LOITER', { type: 2, autopilot: 3, baseMode: CUSTOM, customMode: 5 }, 'LOITER'],
    ['ArduCopter hexarotor in SMART_RTL', { type: 13, autopilot: 3, baseMode: CUSTOM, customMode: 21 }, 'SMART_RTL'],
    ['ArduPlane (the vtol.tlog heartbeat) in QLOITER', { type: 1, autopilot: 3, baseMode: 209, customMode: 19 }, 'QLOITER'],
    ['ArduPlane tiltrotor in AUTO', { type: 21, autopilot: 3, baseMode: CUSTOM, customMode: 10 }, 'AUTO'],
    ['ArduRover boat in HOLD', { type: 11, autopilot: 3, baseMode: CUSTOM, customMode: 4 }, 'HOLD'],
    ['ArduPilot mode number it does not have', { type: 2, autopilot: 3, baseMode: CUSTOM, customMode: 8 }, 'custom:8'],
    ['ArduPilot generic vehicle (the data.mavlink heartbeat)', { type: 0, autopilot: 3, baseMode: 81, customMode: 0 }, 'custom:0'],
    ['PX4 AUTO.LOITER (the 3412-packets heartbeat)', { type: 1, autopilot: 12, baseMode: 29, customMode: 50593792 }, 'AUTO_LOITER'],
    ['PX4 MANUAL (the GH-5 heartbeat)', { type: 1, autopilot: 12, baseMode: 65, customMode: 65536 }, 'MANUAL'],
    ['PX4 AUTO.MISSION', { type: 2, autopilot: 12, baseMode: CUSTOM, customMode: (4 << 16) | (4 << 24) }, 'AUTO_MISSION'],
    ['PX4 POSCTL', { type: 2, autopilot: 12, baseMode: CUSTOM, customMode: 3 << 16 }, 'POSCTL'],
    ['PX4 ORBIT', { type: 2, autopilot: 12, baseMode: CUSTOM, customMode: (3 << 16) | (1 << 24) }, 'ORBIT'],
    ['PX4 OFFBOARD', { type: 2, autopilot: 12, baseMode: CUSTOM, customMode: 6 << 16 }, 'OFFBOARD'],
    ['PX4 main mode it does not have', { type: 2, autopilot: 12, baseMode: CUSTOM, customMode: 42 << 16 }, `custom:${42 << 16}`],
    ['another autopilot', { type: 2, autopilot: 0, baseMode: CUSTOM, customMode: 7 }, 'custom:7'],
    ['a heartbeat without MAV_MODE_FLAG_CUSTOM_MODE_ENABLED', { type: 2, autopilot: 3, baseMode: 128, customMode: 5 }, null],
  ])('%s', (_name, heartbeat, expected) => {
    expect(describeFlightMode(heartbeat)).toBe(expected);
  });
});

describe('isArmed', () => {
  it('reads MAV_MODE_FLAG_SAFETY_ARMED (128) of base_mode', () => {
    expect([209, 81, 29, 65, 128, 0].map(isArmed)).toEqual([true, false, false, false, true, false]);
  });
});
