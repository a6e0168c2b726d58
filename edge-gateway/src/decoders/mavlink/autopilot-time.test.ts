import { readFileSync } from 'node:fs';
import { common, minimal, type MavLinkData } from 'node-mavlink';
import { describe, expect, it } from 'vitest';
import { AutopilotClock, MAX_PLAUSIBLE_UNIX_MS, MIN_PLAUSIBLE_UNIX_MS, REBOOT_STEP_BACK_MS } from './autopilot-clock';
import { MavlinkTelemetryDecoder, type DroneFix } from './drone-telemetry';
import { MavlinkFrameSplitter } from './mavlink-frame';
import { chunks, FIXTURES, fixtureStream, frameOf, inventory, tlogFixTimes, tlogRecords } from './test-support';

const T0 = 1_764_201_600_000;
/** 2026-01-15T07:00:00Z in µs, a GPS-synced autopilot's time. */
const UNIX_US = BigInt(Date.UTC(2026, 0, 15, 7)) * 1000n;
const UNIX_MS = Number(UNIX_US / 1000n);

const systemTime = (timeUnixUsec: bigint, timeBootMs: number) => Object.assign(new common.SystemTime(), { timeUnixUsec, timeBootMs });
const position = (timeBootMs: number, fields: Partial<common.GlobalPositionInt> = {}) =>
  Object.assign(new common.GlobalPositionInt(), { timeBootMs, lat: 182_500_000, lon: 1_095_000_000, alt: 120_000, relativeAlt: 80_000, hdg: 9000, ...fields });
const gpsRaw = (timeUsec: bigint) =>
  Object.assign(new common.GpsRawInt(), { timeUsec, lat: 182_510_000, lon: 1_095_010_000, alt: 118_000, fixType: 3, satellitesVisible: 12, vel: 550, cog: 4500 });

/** Pushes each message as a frame of its own (system 1, component 1 unless given), all received at T0. */
function push(decoder: MavlinkTelemetryDecoder, ...messages: (MavLinkData | [MavLinkData, { sysid?: number; compid?: number }])[]): DroneFix[] {
  return messages.flatMap((m, seq) => {
    const [message, ids] = Array.isArray(m) ? m : [m, {}];
    return decoder.push(frameOf(message, { seq, ...ids }), T0).fixes;
  });
}
const times = (fixes: DroneFix[]) => fixes.map((f) => f.observedAtMs);

describe('AutopilotClock', () => {
  it('maps time_boot_ms to Unix time once a SYSTEM_TIME has given a plausible Unix time', () => {
    const clock = new AutopilotClock();
    expect(clock.stamp(10_000)).toBeNull();
    expect(clock.systemTime(0n, 10_500)).toBe(false);
    expect(clock.stamp(11_000)).toBeNull();
    expect(clock.systemTime(UNIX_US + 123n, 12_000)).toBe(true);
    expect(clock.stamp(12_480)).toBe(UNIX_MS + 480);
    // Sent just before the SYSTEM_TIME (an estimate is made before it is sent): before the sync time.
    expect(clock.stamp(11_950)).toBe(UNIX_MS - 50);
    // The newest SYSTEM_TIME wins.
    clock.systemTime(UNIX_US + 1_001_000n, 13_000);
    expect(clock.stamp(13_500)).toBe(UNIX_MS + 1_501);
  });

  it('refuses Unix times before 2009-02-13 (PX4_EPOCH_SECS) or after 2100', () => {
    for (const ms of [1, MIN_PLAUSIBLE_UNIX_MS - 1, MAX_PLAUSIBLE_UNIX_MS + 1]) {
      const clock = new AutopilotClock();
      expect(clock.systemTime(BigInt(ms) * 1000n, 5_000), String(ms)).toBe(false);
    }
    expect(new AutopilotClock().systemTime(BigInt(MIN_PLAUSIBLE_UNIX_MS) * 1000n, 5_000)).toBe(true);
    expect(new AutopilotClock().systemTime(2n ** 64n - 1n, 5_000)).toBe(false);
  });

  it(`drops the sync when time_boot_ms steps back more than ${REBOOT_STEP_BACK_MS} ms (a reboot), until the next SYSTEM_TIME`, () => {
    const clock = new AutopilotClock();
    clock.systemTime(UNIX_US, 600_000);
    expect(clock.stamp(600_500)).toBe(UNIX_MS + 500);
    // Reordered frames: back by less than the bound, still this boot.
    expect(clock.stamp(600_500 - REBOOT_STEP_BACK_MS)).toBe(UNIX_MS + 500 - REBOOT_STEP_BACK_MS);
    expect(clock.reboots).toBe(0);
    // Rebooted: counting from zero again.
    expect(clock.stamp(2_400)).toBeNull();
    expect(clock.reboots).toBe(1);
    expect(clock.synced).toBe(false);
    expect(clock.stamp(2_900)).toBeNull();
    // After the reboot the GPS has no time yet: still nothing.
    expect(clock.systemTime(0n, 3_000)).toBe(false);
    expect(clock.stamp(3_400)).toBeNull();
    clock.systemTime(UNIX_US + 200_000_000n, 4_000);
    expect(clock.stamp(4_500)).toBe(UNIX_MS + 200_000 + 500);
    expect(clock.reboots).toBe(1);
  });

  it('keeps the sync when a SYSTEM_TIME of the same boot has no Unix time', () => {
    const clock = new AutopilotClock();
    clock.systemTime(UNIX_US, 10_000);
    expect(clock.systemTime(0n, 11_000)).toBe(true);
    expect(clock.stamp(11_500)).toBe(UNIX_MS + 1_500);
  });

  it('converts a lagging boot time (GPS_RAW_INT) without taking it for a reboot', () => {
    const clock = new AutopilotClock();
    clock.systemTime(UNIX_US, 100_000);
    expect(clock.convert(99_000)).toBe(UNIX_MS - 1_000);
    expect(clock.convert(1_000)).toBeNull();
    expect(clock.reboots).toBe(0);
    expect(clock.stamp(100_200)).toBe(UNIX_MS + 200);
  });
});

describe('MavlinkTelemetryDecoder time from SYSTEM_TIME, on the shared fixtures', () => {
  it('node-mavlink-vtol.tlog (ArduPlane SITL, 811 SYSTEM_TIME): every fix after the first SYSTEM_TIME on the autopilot clock, whatever the receipt time', () => {
    expect(inventory('node-mavlink-vtol.tlog').nodeMavlink.msgCounts['2:SYSTEM_TIME']).toBe(811);
    const expected = tlogFixTimes(tlogRecords(readFileSync(new URL('node-mavlink-vtol.tlog', FIXTURES))));
    const decoder = new MavlinkTelemetryDecoder();
    // All received at one instant, in random chunks: the stamps come from the stream alone.
    const fixes = chunks(fixtureStream('node-mavlink-vtol.tlog'), 11).flatMap((c) => decoder.push(c, T0).fixes);
    expect(fixes).toHaveLength(808);
    // The first GPS_RAW_INT and GLOBAL_POSITION_INT come before the first SYSTEM_TIME.
    expect(times(fixes.slice(0, 2))).toEqual([null, null]);
    for (const f of fixes) expect(f.observedAtMs).toBe(expected.get(f.raw.toString('latin1')));
    expect(fixes[2]!.observedAtMs).toBe(Date.parse('2018-08-08T14:05:45.704Z'));
    expect(new Date(fixes.at(-1)!.observedAtMs!).toISOString()).toMatch(/^2018-08-08T14:09:/);
    // Its one 1.44 s step back (frames recorded out of order) is not a reboot.
    expect(decoder.stats()).toMatchObject({ fixes: 808, fixesOnReceiptTime: 2, reboots: 0 });
  });

  it('node-mavlink-data.mavlink (ArduPilot without GPS time): its 62 SYSTEM_TIME say time_unix_usec 0, so a fix after them has no autopilot time', () => {
    const stream = fixtureStream('node-mavlink-data.mavlink');
    const systemTimes = new MavlinkFrameSplitter().push(stream).filter((e) => e.type === 'frame' && e.frame.msgId === 2);
    expect(systemTimes).toHaveLength(inventory('node-mavlink-data.mavlink').nodeMavlink.msgCounts['2:SYSTEM_TIME']!);
    const decoder = new MavlinkTelemetryDecoder();
    expect(decoder.push(stream, T0).fixes).toEqual([]);
    // The capture's last frame is truncated: start clean for the position the capture never had.
    decoder.discardPending();
    const fixes = push(decoder, position(14_900_000));
    expect(times(fixes)).toEqual([null]);
    expect(decoder.stats().fixesOnReceiptTime).toBe(1);
  });

  it('drops the sync of node-mavlink-vtol.tlog on a reboot, and takes the next SYSTEM_TIME', () => {
    const records = tlogRecords(readFileSync(new URL('node-mavlink-vtol.tlog', FIXTURES)));
    const decoder = new MavlinkTelemetryDecoder();
    const before = records.slice(0, 2_000).flatMap((r) => decoder.push(r.frame, T0).fixes);
    expect(before.at(-1)!.observedAtMs).not.toBeNull();
    const lastBootMs = 608_582 + (before.at(-1)!.observedAtMs! - Date.parse('2018-08-08T14:05:45.465Z'));
    expect(lastBootMs).toBeGreaterThan(REBOOT_STEP_BACK_MS);
    // The autopilot browns out and boots again: time_boot_ms starts over; a GPS lock takes a while.
    const after = push(decoder, position(3_000), systemTime(0n, 3_500), position(3_600), systemTime(UNIX_US, 40_000), position(40_100), position(40_300));
    expect(times(after)).toEqual([null, null, UNIX_MS + 100, UNIX_MS + 300]);
    expect(decoder.stats()).toMatchObject({ reboots: 1, fixesOnReceiptTime: 2 + 2 });
  });
});

describe('MavlinkTelemetryDecoder time from SYSTEM_TIME, per system and component', () => {
  it('stamps a position with the time of its own system and component only', () => {
    const decoder = new MavlinkTelemetryDecoder();
    const fixes = push(
      decoder,
      // A companion computer's SYSTEM_TIME: its own boot clock, not the autopilot's.
      [systemTime(UNIX_US, 50_000), { compid: 191 }],
      position(900_000),
      // Another vehicle on the same link.
      [systemTime(UNIX_US, 70_000), { sysid: 2 }],
      position(900_500),
      [position(70_250), { sysid: 2 }],
      systemTime(UNIX_US + 5_000_000n, 901_000),
      position(901_500),
    );
    expect(fixes.map((f) => [f.systemId, f.observedAtMs])).toEqual([
      [1, null],
      [1, null],
      [2, UNIX_MS + 250],
      [1, UNIX_MS + 5_000 + 500],
    ]);
  });

  it('takes GPS_RAW_INT time_usec as Unix time by its magnitude, else on the boot clock, 0 as unknown', () => {
    const direct = new MavlinkTelemetryDecoder();
    expect(times(push(direct, gpsRaw(UNIX_US + 250_000n)))).toEqual([UNIX_MS + 250]);
    expect(times(push(direct, gpsRaw(0n)))).toEqual([null]);
    const boot = new MavlinkTelemetryDecoder();
    expect(times(push(boot, gpsRaw(20_000_000n)))).toEqual([null]);
    expect(times(push(boot, systemTime(UNIX_US, 20_500), gpsRaw(20_400_000n)))).toEqual([UNIX_MS - 100]);
  });

  it('counts SYSTEM_TIME as merged state, not as a fix', () => {
    const decoder = new MavlinkTelemetryDecoder();
    const batch = decoder.push(Buffer.concat([frameOf(new minimal.Heartbeat()), frameOf(systemTime(UNIX_US, 1_000), { seq: 1 })]), T0);
    expect(batch).toMatchObject({ fixes: [], rejections: [], ignored: ['merged', 'merged'] });
  });
});
