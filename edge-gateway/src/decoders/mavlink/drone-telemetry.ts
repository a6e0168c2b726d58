import { minimal, type common } from 'node-mavlink';
import { AutopilotClock, plausibleUnixMs } from './autopilot-clock';
import { describeFlightMode, isArmed } from './flight-mode';
import { MavlinkFrameSplitter, type MavlinkFrame, type MavlinkSplitterStats } from './mavlink-frame';
import { decodeTelemetryMessage } from './mavlink-messages';

/** Which message gave a fix its position. */
export type DroneFixSource = 'GLOBAL_POSITION_INT' | 'GPS_RAW_INT';

/**
 * One system's merged telemetry at the moment a position message arrived: the position message's own
 * fields plus the latest heartbeat, battery, GPS and heading state from that system. Null means the
 * vehicle has not said (or said "unknown").
 */
export interface DroneFix {
  systemId: number;
  source: DroneFixSource;
  /** The position frame, start byte to checksum. */
  raw: Buffer;
  /**
   * When the autopilot made the fix, Unix ms: its `time_boot_ms` (GPS_RAW_INT: `time_usec`) put on Unix
   * time with the component's SYSTEM_TIME, or GPS_RAW_INT's own Unix `time_usec`. Null when the vehicle
   * has given no Unix time yet (no SYSTEM_TIME with one since boot): the caller stamps the receipt time.
   */
  observedAtMs: number | null;
  lon: number;
  lat: number;
  /** Above mean sea level. */
  altitudeM: number | null;
  /** Above the home position. */
  relativeAltitudeM: number | null;
  groundSpeedMs: number | null;
  /** Climb rate, positive up. */
  verticalSpeedMs: number | null;
  /** 0 ≤ heading < 360; the course over ground when the position came from GPS_RAW_INT. */
  headingDeg: number | null;
  batteryPct: number | null;
  voltageV: number | null;
  armed: boolean | null;
  mode: string | null;
  vehicleType: string | null;
  autopilot: string | null;
  gpsFixType: number | null;
  satellites: number | null;
}

/** Bad input: each is dead-lettered with the raw frame. */
export type MavlinkRejectReason = 'bad-crc' | 'undecodable';

/**
 * Valid input that yields no fix, counted only: a frame with a message id node-mavlink does not know
 * ('unknown-message'), a position message without a position ('no-position'), a message merged into the
 * system's state ('merged'), any other message ('not-telemetry'); once per chunk, noise skipped between
 * frames ('junk-bytes') and a chunk that ended inside a frame, held for the next ('frame-pending').
 */
export type MavlinkIgnoreReason = 'unknown-message' | 'no-position' | 'merged' | 'not-telemetry' | 'junk-bytes' | 'frame-pending';

/** What one chunk of the stream yielded. */
export interface MavlinkTelemetryBatch {
  fixes: DroneFix[];
  rejections: { reason: MavlinkRejectReason; detail?: string; raw: Buffer }[];
  ignored: MavlinkIgnoreReason[];
}

/**
 * Splitter totals plus how many fixes were made (and how many of them had no autopilot time, so went out on
 * receipt time), how many systems were heard and how many autopilot reboots were seen.
 */
export interface MavlinkTelemetryStats extends MavlinkSplitterStats {
  fixes: number;
  fixesOnReceiptTime: number;
  systems: number;
  reboots: number;
}

/**
 * A GPS_RAW_INT is a fix of its own only while no GLOBAL_POSITION_INT with a position has come from the
 * same system for this long (receipt time): the autopilot's fused estimate is preferred to the raw GPS.
 */
export const GLOBAL_POSITION_FRESH_MS = 5_000;

const UINT16_UNKNOWN = 0xffff;
const INT32_UNKNOWN = 0x7fffffff;

interface SystemState {
  heartbeat: Pick<DroneFix, 'armed' | 'mode' | 'vehicleType' | 'autopilot'> | null;
  sysStatusBattery: Battery | null;
  batteryStatus: Battery | null;
  gps: { fixType: number; satellites: number | null } | null;
  vfrHud: { headingDeg: number; groundSpeedMs: number | null; climbMs: number | null } | null;
  attitudeYawDeg: number | null;
  globalPositionAtMs: number | null;
  /** Each component's boot clock: `time_boot_ms` counts from that component's own boot. */
  clocks: Map<number, AutopilotClock>;
}

interface Battery {
  pct: number | null;
  voltageV: number | null;
}

/**
 * Turns one sensor's MAVLink byte stream into drone fixes: splits it into frames, decodes the telemetry
 * messages and merges them per system id. One fix per GLOBAL_POSITION_INT (message 33) that has a
 * position, or per GPS_RAW_INT (message 24) with a 2D or better fix while no GLOBAL_POSITION_INT is being
 * received. HEARTBEAT (0), SYS_STATUS (1), BATTERY_STATUS (147), ATTITUDE (30) and VFR_HUD (74) update the
 * state that later fixes carry.
 *
 * Time: GLOBAL_POSITION_INT carries only `time_boot_ms`, counted from the autopilot's boot. SYSTEM_TIME
 * (message 2) pairs a `time_boot_ms` with the Unix time (`time_unix_usec`), so once a component has sent
 * one with a plausible Unix time its fixes carry `observedAtMs` on Unix time (see {@link AutopilotClock}:
 * per system and component, dropped on a reboot until the next SYSTEM_TIME). Before that `observedAtMs`
 * is null and the caller stamps the receipt time.
 */
export class MavlinkTelemetryDecoder {
  private readonly splitter = new MavlinkFrameSplitter();
  private readonly systems = new Map<number, SystemState>();
  private fixCount = 0;
  private receiptTimeFixes = 0;

  /** Feeds the next chunk of the stream, received at `receivedAtMs`. Never throws. */
  push(chunk: Uint8Array, receivedAtMs: number): MavlinkTelemetryBatch {
    const batch: MavlinkTelemetryBatch = { fixes: [], rejections: [], ignored: [] };
    const junkBefore = this.splitter.stats().junkBytes;
    for (const event of this.splitter.push(chunk)) {
      switch (event.type) {
        case 'frame':
          this.apply(event.frame, receivedAtMs, batch);
          break;
        case 'bad-crc':
          batch.rejections.push({ reason: 'bad-crc', detail: `msgid ${event.msgId}`, raw: event.raw });
          break;
        case 'unknown-message':
          batch.ignored.push('unknown-message');
          break;
      }
    }
    const after = this.splitter.stats();
    if (after.junkBytes > junkBefore) batch.ignored.push('junk-bytes');
    if (after.pendingBytes > 0) batch.ignored.push('frame-pending');
    this.fixCount += batch.fixes.length;
    for (const fix of batch.fixes) if (fix.observedAtMs === null) this.receiptTimeFixes++;
    return batch;
  }

  /** Drops a held partial frame (the stream had a gap). */
  discardPending(): void {
    this.splitter.discardPending();
  }

  /** A snapshot of the running totals. */
  stats(): MavlinkTelemetryStats {
    let reboots = 0;
    for (const state of this.systems.values()) for (const clock of state.clocks.values()) reboots += clock.reboots;
    return { ...this.splitter.stats(), fixes: this.fixCount, fixesOnReceiptTime: this.receiptTimeFixes, systems: this.systems.size, reboots };
  }

  private apply(frame: MavlinkFrame, receivedAtMs: number, batch: MavlinkTelemetryBatch): void {
    const decoded = decodeTelemetryMessage(frame);
    if (!decoded.ok) {
      batch.rejections.push({ reason: decoded.reason, ...(decoded.detail ? { detail: decoded.detail } : {}), raw: frame.raw });
      return;
    }
    if (decoded.value === null) {
      batch.ignored.push('not-telemetry');
      return;
    }
    const state = this.stateOf(frame.sysId);
    const { value } = decoded;
    switch (value.msgId) {
      case 0: {
        const hb = value.message;
        // Ground stations and components other than the flight controller (gimbal, camera, companion)
        // send heartbeats under the vehicle's system id too; only the autopilot's describe the vehicle.
        if (hb.type === minimal.MavType.GCS || hb.autopilot === minimal.MavAutopilot.INVALID) {
          batch.ignored.push('not-telemetry');
          return;
        }
        state.heartbeat = {
          armed: isArmed(hb.baseMode),
          mode: describeFlightMode(hb),
          vehicleType: minimal.MavType[hb.type] ?? `type:${hb.type}`,
          autopilot: minimal.MavAutopilot[hb.autopilot] ?? `autopilot:${hb.autopilot}`,
        };
        break;
      }
      case 1:
        state.sysStatusBattery = {
          pct: batteryPct(value.message.batteryRemaining),
          // UINT16_MAX: not sent; autopilots without a battery monitor send 0.
          voltageV: value.message.voltageBattery === UINT16_UNKNOWN || value.message.voltageBattery === 0 ? null : value.message.voltageBattery / 1000,
        };
        break;
      case 2:
        this.clockOf(state, frame.compId).systemTime(value.message.timeUnixUsec, value.message.timeBootMs);
        break;
      case 147:
        // Battery 0 is the one SYS_STATUS also reports; others (payload, backup) are not the flight battery.
        if (value.message.id !== 0) {
          batch.ignored.push('not-telemetry');
          return;
        }
        state.batteryStatus = { pct: batteryPct(value.message.batteryRemaining), voltageV: batteryStatusVoltage(value.message) };
        break;
      case 30:
        state.attitudeYawDeg = finite(normalizeDeg((value.message.yaw * 180) / Math.PI));
        break;
      case 74:
        state.vfrHud = {
          headingDeg: normalizeDeg(value.message.heading),
          groundSpeedMs: finite(value.message.groundspeed),
          climbMs: finite(value.message.climb),
        };
        break;
      case 24: {
        const gps = value.message;
        state.gps = { fixType: gps.fixType, satellites: gps.satellitesVisible === 0xff ? null : gps.satellitesVisible };
        const fresh = state.globalPositionAtMs !== null && receivedAtMs - state.globalPositionAtMs <= GLOBAL_POSITION_FRESH_MS;
        if (fresh) break;
        if (gps.fixType < 2 || !hasPosition(gps.lat, gps.lon)) {
          batch.ignored.push('no-position');
          return;
        }
        batch.fixes.push(
          this.fix(frame, state, 'GPS_RAW_INT', gpsFixTime(gps.timeUsec, this.clockOf(state, frame.compId)), gps.lat, gps.lon, {
            altitudeM: gps.alt / 1000,
            relativeAltitudeM: null,
            groundSpeedMs: gps.vel === UINT16_UNKNOWN ? (state.vfrHud?.groundSpeedMs ?? null) : gps.vel / 100,
            verticalSpeedMs: state.vfrHud?.climbMs ?? null,
            headingDeg: gps.cog === UINT16_UNKNOWN ? fallbackHeading(state) : normalizeDeg(gps.cog / 100),
          }),
        );
        return;
      }
      case 33: {
        const gpi = value.message;
        // Stamped before the position check: a message without a position still tells of a reboot.
        const observedAtMs = this.clockOf(state, frame.compId).stamp(gpi.timeBootMs);
        // lat = lon = 0: the estimator has no origin yet (ArduPilot sends zeros before its EKF is set).
        if (!hasPosition(gpi.lat, gpi.lon)) {
          batch.ignored.push('no-position');
          return;
        }
        state.globalPositionAtMs = receivedAtMs;
        batch.fixes.push(
          this.fix(frame, state, 'GLOBAL_POSITION_INT', observedAtMs, gpi.lat, gpi.lon, {
            altitudeM: gpi.alt / 1000,
            relativeAltitudeM: gpi.relativeAlt / 1000,
            groundSpeedMs: Math.hypot(gpi.vx, gpi.vy) / 100,
            // vz is NED: positive down.
            verticalSpeedMs: gpi.vz === 0 ? 0 : -gpi.vz / 100,
            headingDeg: gpi.hdg === UINT16_UNKNOWN ? fallbackHeading(state) : normalizeDeg(gpi.hdg / 100),
          }),
        );
        return;
      }
    }
    batch.ignored.push('merged');
  }

  private fix(
    frame: MavlinkFrame,
    state: SystemState,
    source: DroneFixSource,
    observedAtMs: number | null,
    latE7: number,
    lonE7: number,
    motion: Pick<DroneFix, 'altitudeM' | 'relativeAltitudeM' | 'groundSpeedMs' | 'verticalSpeedMs' | 'headingDeg'>,
  ): DroneFix {
    return {
      systemId: frame.sysId,
      source,
      raw: frame.raw,
      observedAtMs,
      lon: lonE7 / 1e7,
      lat: latE7 / 1e7,
      ...motion,
      batteryPct: state.batteryStatus?.pct ?? state.sysStatusBattery?.pct ?? null,
      voltageV: state.batteryStatus?.voltageV ?? state.sysStatusBattery?.voltageV ?? null,
      armed: state.heartbeat?.armed ?? null,
      mode: state.heartbeat?.mode ?? null,
      vehicleType: state.heartbeat?.vehicleType ?? null,
      autopilot: state.heartbeat?.autopilot ?? null,
      gpsFixType: state.gps?.fixType ?? null,
      satellites: state.gps?.satellites ?? null,
    };
  }

  private stateOf(systemId: number): SystemState {
    let state = this.systems.get(systemId);
    if (!state) {
      state = {
        heartbeat: null,
        sysStatusBattery: null,
        batteryStatus: null,
        gps: null,
        vfrHud: null,
        attitudeYawDeg: null,
        globalPositionAtMs: null,
        clocks: new Map(),
      };
      this.systems.set(systemId, state);
    }
    return state;
  }

  private clockOf(state: SystemState, componentId: number): AutopilotClock {
    let clock = state.clocks.get(componentId);
    if (!clock) {
      clock = new AutopilotClock();
      state.clocks.set(componentId, clock);
    }
    return clock;
  }
}

/**
 * GPS_RAW_INT `time_usec` is "UNIX epoch time or time since system boot", told apart by magnitude; 0 is
 * unknown. A boot time is put on Unix time with the component's clock.
 */
function gpsFixTime(timeUsec: bigint, clock: AutopilotClock): number | null {
  if (timeUsec === 0n) return null;
  return plausibleUnixMs(timeUsec) ?? clock.convert(Number(timeUsec / 1000n));
}

/** battery_remaining (SYS_STATUS, BATTERY_STATUS): percent, -1 when unknown. */
function batteryPct(remaining: number): number | null {
  return remaining >= 0 && remaining <= 100 ? remaining : null;
}

/**
 * BATTERY_STATUS voltage: the sum of the cell voltages in mV (UINT16_MAX = no such cell; a pack that does
 * not measure cells puts its total in cell 0, and one above 65534 mV spills into cell 1).
 */
function batteryStatusVoltage(m: common.BatteryStatus): number | null {
  let mv = 0;
  let any = false;
  for (const cell of [...m.voltages, ...m.voltagesExt]) {
    // voltages_ext uses 0 for "not sent" as well.
    if (cell === UINT16_UNKNOWN || cell === 0) continue;
    mv += cell;
    any = true;
  }
  return any ? mv / 1000 : null;
}

function hasPosition(latE7: number, lonE7: number): boolean {
  return !(latE7 === 0 && lonE7 === 0) && latE7 !== INT32_UNKNOWN && lonE7 !== INT32_UNKNOWN;
}

function fallbackHeading(state: SystemState): number | null {
  return state.vfrHud?.headingDeg ?? state.attitudeYawDeg ?? null;
}

/** Float fields (ATTITUDE, VFR_HUD) may carry NaN for "unknown". */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function normalizeDeg(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d;
}
