import { common, minimal, type MavLinkData } from 'node-mavlink';
import { describe, expect, it } from 'vitest';
import { MavlinkTelemetryDecoder, type DroneFix, type MavlinkTelemetryBatch } from './drone-telemetry';
import { chunks, fixtureStream, frameOf, inventory, type FixtureFile } from './test-support';

const T0 = 1_764_201_600_000;

/** Every fix and ignored reason of a fixture fed in seeded random chunks. */
function decodeFixture(file: FixtureFile) {
  const decoder = new MavlinkTelemetryDecoder();
  const fixes: DroneFix[] = [];
  const ignored: Record<string, number> = {};
  let rejections = 0;
  for (const chunk of chunks(fixtureStream(file), 3)) {
    const batch = decoder.push(chunk, T0);
    fixes.push(...batch.fixes);
    rejections += batch.rejections.length;
    for (const reason of batch.ignored) ignored[reason] = (ignored[reason] ?? 0) + 1;
  }
  return { fixes, ignored, rejections, stats: decoder.stats() };
}

/** Inside the GLOBAL_POSITION_INT lat/lon ranges INVENTORY.json gives for the file. */
const inRange = (file: FixtureFile) => {
  const { latRange, lonRange } = inventory(file).nodeMavlink.globalPositionInt!;
  return (f: DroneFix) => f.lat >= latRange[0] && f.lat <= latRange[1] && f.lon >= lonRange[0] && f.lon <= lonRange[1];
};

const heartbeat = (fields: Partial<minimal.Heartbeat>) =>
  Object.assign(new minimal.Heartbeat(), { type: minimal.MavType.QUADROTOR, autopilot: minimal.MavAutopilot.ARDUPILOTMEGA, baseMode: 128 | 1, customMode: 5, ...fields });
const globalPosition = (fields: Partial<common.GlobalPositionInt>) =>
  Object.assign(new common.GlobalPositionInt(), { lat: 182_500_000, lon: 1_095_000_000, alt: 120_000, relativeAlt: 80_000, vx: 300, vy: 400, vz: -100, hdg: 9000, ...fields });
const gpsRaw = (fields: Partial<common.GpsRawInt>) =>
  Object.assign(new common.GpsRawInt(), { lat: 182_510_000, lon: 1_095_010_000, alt: 118_000, fixType: 3, satellitesVisible: 12, vel: 550, cog: 4500, eph: 100, epv: 100, ...fields });

/** Pushes each message as its own chunk at its own time; returns the batches. */
function feed(decoder: MavlinkTelemetryDecoder, steps: [MavLinkData, number?, number?][]): MavlinkTelemetryBatch[] {
  return steps.map(([message, atMs = T0, sysid = 1], seq) => decoder.push(frameOf(message, { sysid, seq }), atMs));
}

describe('MavlinkTelemetryDecoder on the shared fixtures', () => {
  it('node-mavlink-v2-3412-packets.bin: one fix per GLOBAL_POSITION_INT (505), then carrying the PX4 heartbeat and battery', () => {
    const { fixes, rejections, stats } = decodeFixture('node-mavlink-v2-3412-packets.bin');
    expect(rejections).toBe(0);
    expect(stats).toMatchObject({ crcErrors: 0, fixes: 505, systems: 1 });
    expect(fixes.every((f) => f.source === 'GLOBAL_POSITION_INT')).toBe(true);
    // The first GLOBAL_POSITION_INT comes before any HEARTBEAT or SYS_STATUS.
    expect(fixes[0]).toMatchObject({
      systemId: 1,
      lat: 37.8328353,
      lon: -122.5125805,
      altitudeM: 25.223,
      relativeAltitudeM: 0.165,
      verticalSpeedMs: 0.06,
      headingDeg: 88.77,
      armed: null,
      mode: null,
      batteryPct: null,
    });
    expect(fixes[0]!.groundSpeedMs).toBeCloseTo(Math.SQRT2 / 100, 10);
    expect(fixes.at(-1)).toMatchObject({
      armed: false,
      mode: 'AUTO_LOITER',
      vehicleType: 'FIXED_WING',
      autopilot: 'PX4',
      batteryPct: 100,
      voltageV: 16.2,
      gpsFixType: 3,
      satellites: 10,
    });
    expect(fixes.every(inRange('node-mavlink-v2-3412-packets.bin'))).toBe(true);
  });

  it('node-mavlink-vtol.tlog: the first GPS_RAW_INT comes before any GLOBAL_POSITION_INT, so 1 + 807 fixes', () => {
    const { fixes, rejections } = decodeFixture('node-mavlink-vtol.tlog');
    expect(rejections).toBe(0);
    expect(fixes).toHaveLength(808);
    expect(fixes.filter((f) => f.source === 'GPS_RAW_INT')).toHaveLength(1);
    expect(fixes[0]).toMatchObject({
      source: 'GPS_RAW_INT',
      lat: -35.3629847,
      lon: 149.1649392,
      altitudeM: 587.85,
      relativeAltitudeM: null,
      groundSpeedMs: 1.87,
      headingDeg: 182.82,
      gpsFixType: 6,
      satellites: 10,
    });
    expect(fixes[1]).toMatchObject({ source: 'GLOBAL_POSITION_INT', lat: -35.3629904, lon: 149.1649392, altitudeM: 587.85, relativeAltitudeM: 6.75, headingDeg: 140.37 });
    expect(fixes[1]!.groundSpeedMs).toBeCloseTo(Math.hypot(188, 6) / 100, 10);
    expect(fixes.find((f) => f.mode !== null)).toMatchObject({ armed: true, mode: 'QLOITER', vehicleType: 'FIXED_WING', autopilot: 'ARDUPILOTMEGA' });
    // SITL reports no battery: SYS_STATUS battery_remaining -1 and voltage 0.
    expect(fixes.every((f) => f.batteryPct === null && f.voltageV === null)).toBe(true);
    expect(fixes.filter((f) => f.source === 'GLOBAL_POSITION_INT').every(inRange('node-mavlink-vtol.tlog'))).toBe(true);
  });

  it('node-mavlink-data.mavlink: GLOBAL_POSITION_INT at 0,0 and GPS_RAW_INT without a fix give no fix (63 + 63 no-position)', () => {
    const { fixes, ignored } = decodeFixture('node-mavlink-data.mavlink');
    expect(fixes).toHaveLength(0);
    expect(ignored['no-position']).toBe(126);
  });

  it('node-mavlink-GH-5.bin: no position message, so no fix; its junk prefix and 2 unknown ids are counted', () => {
    const { fixes, ignored, stats } = decodeFixture('node-mavlink-GH-5.bin');
    expect(fixes).toHaveLength(0);
    expect(ignored['unknown-message']).toBe(2);
    expect(ignored['junk-bytes']).toBe(1);
    expect(stats.junkBytes).toBe(5);
  });
});

describe('MavlinkTelemetryDecoder merging', () => {
  it('makes one fix per GLOBAL_POSITION_INT, carrying the latest heartbeat, battery and GPS state', () => {
    const decoder = new MavlinkTelemetryDecoder();
    const sysStatus = Object.assign(new common.SysStatus(), { batteryRemaining: 76, voltageBattery: 15_200 });
    const batches = feed(decoder, [[heartbeat({})], [sysStatus], [gpsRaw({})], [globalPosition({})]]);
    expect(batches.map((b) => b.ignored)).toEqual([['merged'], ['merged'], [], []]);
    // With no GLOBAL_POSITION_INT heard yet, the GPS_RAW_INT is a fix of its own.
    expect(batches[2]!.fixes).toMatchObject([{ source: 'GPS_RAW_INT', lat: 18.251, lon: 109.501, groundSpeedMs: 5.5, headingDeg: 45 }]);
    expect(batches[3]!.fixes).toEqual([
      {
        systemId: 1,
        source: 'GLOBAL_POSITION_INT',
        raw: expect.any(Buffer),
        // No SYSTEM_TIME: the handler stamps the receipt time.
        observedAtMs: null,
        lon: 109.5,
        lat: 18.25,
        altitudeM: 120,
        relativeAltitudeM: 80,
        groundSpeedMs: 5,
        verticalSpeedMs: 1,
        headingDeg: 90,
        batteryPct: 76,
        voltageV: 15.2,
        armed: true,
        mode: 'LOITER',
        vehicleType: 'QUADROTOR',
        autopilot: 'ARDUPILOTMEGA',
        gpsFixType: 3,
        satellites: 12,
      },
    ]);
  });

  it('uses GPS_RAW_INT for position only while GLOBAL_POSITION_INT has been silent for 5 s', () => {
    const decoder = new MavlinkTelemetryDecoder();
    const batches = feed(decoder, [
      [gpsRaw({}), T0],
      [globalPosition({}), T0 + 100],
      [gpsRaw({}), T0 + 5_100],
      [gpsRaw({}), T0 + 5_101],
    ]);
    expect(batches.map((b) => b.fixes.map((f) => f.source))).toEqual([['GPS_RAW_INT'], ['GLOBAL_POSITION_INT'], [], ['GPS_RAW_INT']]);
    expect(batches[2]!.ignored).toEqual(['merged']);
  });

  it('counts a position message without a position as no-position', () => {
    const decoder = new MavlinkTelemetryDecoder();
    const batches = feed(decoder, [[globalPosition({ lat: 0, lon: 0 })], [gpsRaw({ fixType: 1 })], [gpsRaw({ lat: 0x7fffffff, lon: 0x7fffffff })]]);
    expect(batches.flatMap((b) => b.fixes)).toEqual([]);
    expect(batches.flatMap((b) => b.ignored)).toEqual(['no-position', 'no-position', 'no-position']);
  });

  it('takes the heading from hdg, else VFR_HUD heading, else ATTITUDE yaw', () => {
    const decoder = new MavlinkTelemetryDecoder();
    const attitude = Object.assign(new common.Attitude(), { yaw: -Math.PI / 2 });
    const vfrHud = Object.assign(new common.VfrHud(), { heading: 45, groundspeed: 7, climb: 0.5 });
    const batches = feed(decoder, [[globalPosition({ hdg: 0xffff })], [attitude], [globalPosition({ hdg: 0xffff })], [vfrHud], [globalPosition({ hdg: 0xffff })], [globalPosition({ hdg: 35_999 })]]);
    // yaw is a float32: -π/2 comes back as 269.9999975°.
    expect(batches.flatMap((b) => b.fixes.map((f) => (f.headingDeg === null ? null : Math.round(f.headingDeg * 1000) / 1000)))).toEqual([null, 270, 45, 359.99]);
  });

  it('prefers BATTERY_STATUS of battery 0 to SYS_STATUS, and reads "unknown" values as null', () => {
    const decoder = new MavlinkTelemetryDecoder();
    const sysStatus = Object.assign(new common.SysStatus(), { batteryRemaining: -1, voltageBattery: 0xffff });
    const battery = (id: number, remaining: number) =>
      Object.assign(new common.BatteryStatus(), { id, batteryRemaining: remaining, voltages: [4100, 4100, 4100, 4100, ...Array(6).fill(0xffff)], voltagesExt: [0, 0, 0, 0] });
    const batches = feed(decoder, [[sysStatus], [globalPosition({})], [battery(0, 55)], [battery(1, 10)], [globalPosition({})]]);
    expect(batches.flatMap((b) => b.fixes.map((f) => [f.batteryPct, f.voltageV]))).toEqual([
      [null, null],
      [55, 16.4],
    ]);
    expect(batches[3]!.ignored).toEqual(['not-telemetry']);
  });

  it('does not take a ground station or gimbal heartbeat for the vehicle', () => {
    const decoder = new MavlinkTelemetryDecoder();
    const gcs = heartbeat({ type: minimal.MavType.GCS, autopilot: minimal.MavAutopilot.INVALID, baseMode: 0 as minimal.MavModeFlag });
    const gimbal = heartbeat({ type: minimal.MavType.GIMBAL, autopilot: minimal.MavAutopilot.INVALID });
    const batches = feed(decoder, [[gcs], [gimbal], [globalPosition({})]]);
    expect(batches.map((b) => b.ignored)).toEqual([['not-telemetry'], ['not-telemetry'], []]);
    expect(batches[2]!.fixes[0]).toMatchObject({ armed: null, mode: null, vehicleType: null });
  });

  it('keeps each system id apart', () => {
    const decoder = new MavlinkTelemetryDecoder();
    const batches = feed(decoder, [[heartbeat({}), T0, 1], [globalPosition({}), T0, 2], [globalPosition({}), T0, 1]]);
    expect(batches.flatMap((b) => b.fixes.map((f) => [f.systemId, f.armed]))).toEqual([
      [2, null],
      [1, true],
    ]);
    expect(decoder.stats().systems).toBe(2);
  });

  it('rejects a frame with a bad checksum with its bytes, and counts junk and a frame left pending', () => {
    const decoder = new MavlinkTelemetryDecoder();
    const good = frameOf(globalPosition({}), { seq: 1 });
    const bad = Buffer.from(good);
    bad[14]! ^= 0x01;
    const next = frameOf(globalPosition({}), { seq: 2 });
    const batch = decoder.push(Buffer.concat([Buffer.from('noise'), bad, next, next.subarray(0, 10)]), T0);
    expect(batch.rejections).toEqual([{ reason: 'bad-crc', detail: 'msgid 33', raw: bad }]);
    expect(batch.fixes.map((f) => f.raw)).toEqual([next]);
    expect(batch.ignored).toEqual(['junk-bytes', 'frame-pending']);
    expect(decoder.push(next.subarray(10), T0).fixes).toHaveLength(1);
  });
});
