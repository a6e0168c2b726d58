import { MavLinkProtocolV1, MavLinkProtocolV2, common, minimal, type MavLinkData, type MavLinkDataConstructor } from 'node-mavlink';
import { ok, reject, type Result } from '../result';
import type { MavlinkFrame } from './mavlink-frame';

/** The messages the gateway reads telemetry from, with their MAVLink message ids. */
export type TelemetryMessage =
  | { msgId: 0; name: 'HEARTBEAT'; message: minimal.Heartbeat }
  | { msgId: 1; name: 'SYS_STATUS'; message: common.SysStatus }
  | { msgId: 2; name: 'SYSTEM_TIME'; message: common.SystemTime }
  | { msgId: 24; name: 'GPS_RAW_INT'; message: common.GpsRawInt }
  | { msgId: 30; name: 'ATTITUDE'; message: common.Attitude }
  | { msgId: 33; name: 'GLOBAL_POSITION_INT'; message: common.GlobalPositionInt }
  | { msgId: 74; name: 'VFR_HUD'; message: common.VfrHud }
  | { msgId: 147; name: 'BATTERY_STATUS'; message: common.BatteryStatus };

/** Message ids `decodeTelemetryMessage` decodes; every other frame is left undecoded. */
export const TELEMETRY_MESSAGE_IDS: ReadonlySet<number> = new Set([0, 1, 2, 24, 30, 33, 74, 147]);

const V1 = new MavLinkProtocolV1();
const V2 = new MavLinkProtocolV2();

/**
 * Decodes a frame into one of the telemetry messages with node-mavlink's message classes (a MAVLink 2
 * payload truncated of trailing zeros is zero-padded first). Other message ids give `ok(null)`.
 */
export function decodeTelemetryMessage(frame: MavlinkFrame): Result<TelemetryMessage | null, 'undecodable'> {
  try {
    switch (frame.msgId) {
      case 0:
        return ok({ msgId: 0, name: 'HEARTBEAT', message: deserialize(frame, minimal.Heartbeat) });
      case 1:
        return ok({ msgId: 1, name: 'SYS_STATUS', message: deserialize(frame, common.SysStatus) });
      case 2:
        return ok({ msgId: 2, name: 'SYSTEM_TIME', message: deserialize(frame, common.SystemTime) });
      case 24:
        return ok({ msgId: 24, name: 'GPS_RAW_INT', message: deserialize(frame, common.GpsRawInt) });
      case 30:
        return ok({ msgId: 30, name: 'ATTITUDE', message: deserialize(frame, common.Attitude) });
      case 33:
        return ok({ msgId: 33, name: 'GLOBAL_POSITION_INT', message: deserialize(frame, common.GlobalPositionInt) });
      case 74:
        return ok({ msgId: 74, name: 'VFR_HUD', message: deserialize(frame, common.VfrHud) });
      case 147:
        return ok({ msgId: 147, name: 'BATTERY_STATUS', message: deserialize(frame, common.BatteryStatus) });
      default:
        return ok(null);
    }
  } catch (err) {
    return reject('undecodable', `msgid ${frame.msgId}: ${String(err)}`);
  }
}

function deserialize<T extends MavLinkData>(frame: MavlinkFrame, clazz: MavLinkDataConstructor<T>): T {
  const protocol = frame.version === 1 ? V1 : V2;
  return protocol.data(protocol.payload(frame.raw), clazz);
}
