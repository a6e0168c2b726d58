import { readFileSync } from 'node:fs';
import { Observation } from '@seawall/contracts';
import { common } from 'node-mavlink';
import { describe, expect, it } from 'vitest';
import { chunks, FIXTURES, fixtureStream, frameOf, prng, tlogFixTimes, tlogRecords } from '../decoders/mavlink/test-support';
import { hashObservationId } from '../normalize/obs-id';
import { createDroneHandler } from './drone-handler';
import type { HandleResult } from './sensor-handler';

const T0 = 1_764_201_600_000;

function collect(results: HandleResult[]) {
  return {
    observations: results.flatMap((r) => r.observations),
    rejections: results.flatMap((r) => r.rejections),
    ignored: results.flatMap((r) => r.ignored ?? []),
  };
}

describe('drone handler', () => {
  it('replays node-mavlink-vtol.tlog a frame per MQTT message at its recorded time: 810 valid observations', () => {
    const handler = createDroneHandler('gw-1');
    const records = tlogRecords(readFileSync(new URL('node-mavlink-vtol.tlog', FIXTURES)));
    const fixTimes = tlogFixTimes(records);
    const { observations, rejections } = collect(records.map((r) => handler.handle('uav-link-1', r.frame, r.timeMs)));
    expect(rejections).toEqual([]);
    // 807 GLOBAL_POSITION_INT, and 3 GPS_RAW_INT: the first, before any GLOBAL_POSITION_INT, and one after
    // each of the recording's two GLOBAL_POSITION_INT gaps longer than 5 s (5.2 s and 6.0 s).
    expect(observations).toHaveLength(810);
    for (const obs of observations) expect(Observation.parse(obs)).toEqual(obs);
    expect(new Set(observations.map((o) => o.obsId)).size).toBe(810);
    expect(observations.every((o) => o.kind === 'drone.telemetry' && o.sensorId === 'uav-link-1' && o.gatewayId === 'gw-1')).toBe(true);
    // The first two fixes come before the first SYSTEM_TIME: receipt time. Every later one is on the
    // autopilot's clock, which runs 15.4 to 19.5 s behind the recorder's (by the SYSTEM_TIME messages);
    // the fixes were received 15.4 to 20.3 s after they were made.
    expect(observations.slice(0, 2).every((o) => o.observedAtMs === o.receivedAtMs)).toBe(true);
    const autopilotTimed = observations.slice(2);
    const byId = new Map([...fixTimes].map(([raw, t]) => [hashObservationId(['uav-link-1', '1', raw]), t]));
    for (const o of autopilotTimed) expect(o.observedAtMs).toBe(byId.get(o.obsId));
    for (const o of autopilotTimed) expect(o.receivedAtMs - o.observedAtMs).toBeGreaterThan(15_000);
    for (const o of autopilotTimed) expect(o.receivedAtMs - o.observedAtMs).toBeLessThan(20_500);
    expect(observations[1]).toMatchObject({ systemId: 1, lat: -35.3629904, lon: 149.1649392, altitudeM: 587.85, relativeAltitudeM: 6.75, headingDeg: 140.37 });
    expect(observations.at(-1)).toMatchObject({ armed: false, mode: 'QLAND', vehicleType: 'FIXED_WING', autopilot: 'ARDUPILOTMEGA', gpsFixType: 6, satellites: 10 });
    expect(handler.counters!()).toEqual({
      'frames-v1': 23894,
      'frames-v2': 0,
      'unknown-frames': 0,
      'crc-errors': 0,
      'junk-bytes': 0,
      'fixes-receipt-time': 2,
      'autopilot-reboots': 0,
    });
  });

  it('keeps each sensor\'s time sync to itself, and falls back to the receipt time without one', () => {
    const handler = createDroneHandler('gw-1');
    const unixUs = BigInt(T0 - 60_000) * 1000n;
    const systemTime = Object.assign(new common.SystemTime(), { timeUnixUsec: unixUs, timeBootMs: 100_000 });
    const position = (timeBootMs: number) => Object.assign(new common.GlobalPositionInt(), { timeBootMs, lat: 182_500_000, lon: 1_095_000_000 });
    // Two drones, both system 1, on two links; only the first has sent SYSTEM_TIME.
    handler.handle('uav-a', frameOf(systemTime), T0);
    const a = handler.handle('uav-a', frameOf(position(100_400), { seq: 1 }), T0 + 7);
    const b = handler.handle('uav-b', frameOf(position(100_400), { seq: 1 }), T0 + 9);
    expect(a.observations).toMatchObject([{ sensorId: 'uav-a', observedAtMs: T0 - 60_000 + 400, receivedAtMs: T0 + 7 }]);
    expect(b.observations).toMatchObject([{ sensorId: 'uav-b', observedAtMs: T0 + 9, receivedAtMs: T0 + 9 }]);
    // uav-a reboots: back to receipt time until its next SYSTEM_TIME.
    const rebooted = handler.handle('uav-a', frameOf(position(1_500), { seq: 2 }), T0 + 11);
    expect(rebooted.observations).toMatchObject([{ observedAtMs: T0 + 11, receivedAtMs: T0 + 11 }]);
    expect(handler.counters!()).toMatchObject({ 'fixes-receipt-time': 2, 'autopilot-reboots': 1 });
  });

  it('keeps the streams of two sensors apart when their MQTT messages interleave and split frames', () => {
    const handler = createDroneHandler('gw-1');
    const a = chunks(fixtureStream('node-mavlink-v2-3412-packets.bin'), 1, 2_000);
    const b = chunks(fixtureStream('node-mavlink-GH-5.bin'), 2, 50);
    const results: { sensor: string; result: HandleResult }[] = [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (a[i]) results.push({ sensor: 'a', result: handler.handle('a', a[i]!, T0 + i) });
      if (b[i]) results.push({ sensor: 'b', result: handler.handle('b', b[i]!, T0 + i) });
    }
    const fromA = collect(results.filter((r) => r.sensor === 'a').map((r) => r.result));
    const fromB = collect(results.filter((r) => r.sensor === 'b').map((r) => r.result));
    expect(fromA.observations).toHaveLength(505);
    expect(fromA.rejections).toEqual([]);
    expect(fromB.observations).toHaveLength(0);
    expect(fromB.ignored.filter((r) => r === 'unknown-message')).toHaveLength(2);
    // Neither capture has a SYSTEM_TIME: every fix goes out on receipt time.
    expect(handler.counters!()).toEqual({
      'frames-v1': 26,
      'frames-v2': 3398 + 110,
      'unknown-frames': 14 + 2,
      'crc-errors': 0,
      'junk-bytes': 5,
      'fixes-receipt-time': 505,
      'autopilot-reboots': 0,
    });
  });

  it('dead-letters a frame with a bad checksum with its bytes and reads the frames after it', () => {
    const handler = createDroneHandler('gw-1');
    const position = Object.assign(new common.GlobalPositionInt(), { lat: 182_500_000, lon: 1_095_000_000, alt: 50_000, hdg: 18_000 });
    const bad = frameOf(position, { seq: 1 });
    bad[12]! ^= 0x80;
    const r = handler.handle('uav-link-1', Buffer.concat([bad, frameOf(position, { seq: 2 })]), T0);
    expect(r.rejections).toEqual([{ reason: 'bad-crc', detail: 'msgid 33', raw: bad }]);
    expect(r.observations).toMatchObject([{ kind: 'drone.telemetry', lon: 109.5, lat: 18.25, altitudeM: 50, headingDeg: 180 }]);
    expect(handler.counters!()['crc-errors']).toBe(1);
  });

  it('rejects an empty and an oversize payload', () => {
    const handler = createDroneHandler('gw-1');
    expect(handler.handle('uav-link-1', new Uint8Array(0), T0).rejections).toMatchObject([{ reason: 'empty-payload' }]);
    const r = handler.handle('uav-link-1', new Uint8Array(300 * 1024), T0);
    expect(r.rejections).toMatchObject([{ reason: 'oversize', detail: '307200 bytes' }]);
    expect(r.rejections[0]!.raw).toHaveLength(1024);
  });

  it('never throws on 20,000 hostile payloads and accounts for each one', () => {
    const handler = createDroneHandler('gw-fuzz');
    const corpus = [fixtureStream('node-mavlink-GH-5.bin'), fixtureStream('node-mavlink-v2-3412-packets.bin').subarray(0, 20_000)];
    const rand = prng(3);
    const reasons: Record<string, number> = {};
    for (let i = 0; i < 20_000; i++) {
      const source = corpus[i % 2]!;
      const start = Math.floor(rand() * source.length);
      const bytes = Uint8Array.from(source.subarray(start, start + 1 + Math.floor(rand() * 600)));
      switch (Math.floor(rand() * 4)) {
        case 0: // flip bits
          for (let n = 1 + Math.floor(rand() * 8); n > 0; n--) bytes[Math.floor(rand() * bytes.length)]! ^= 1 << Math.floor(rand() * 8);
          break;
        case 1: // random bytes, start bytes included
          bytes.forEach((_, j) => (bytes[j] = rand() < 0.1 ? 0xfd + Math.floor(rand() * 2) : Math.floor(rand() * 256)));
          break;
        default: // a clean slice: valid input must still decode among the hostile
      }
      const r = handler.handle(`uav-${i % 5}`, bytes, T0 + i * 10);
      expect(r.observations.length + r.rejections.length + (r.ignored?.length ?? 0)).toBeGreaterThan(0);
      for (const x of r.rejections) reasons[x.reason] = (reasons[x.reason] ?? 0) + 1;
      for (const x of r.ignored ?? []) reasons[`ignored:${x}`] = (reasons[`ignored:${x}`] ?? 0) + 1;
      reasons.observations = (reasons.observations ?? 0) + r.observations.length;
    }
    console.log('drone handler, hostile payloads', JSON.stringify(reasons));
    expect(reasons.observations).toBeGreaterThan(100);
    expect(reasons['bad-crc']).toBeGreaterThan(100);
  });
});
