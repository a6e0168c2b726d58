import { common } from 'node-mavlink';
import { describe, expect, it } from 'vitest';
import { MavlinkFrameSplitter } from './mavlink-frame';
import { decodeTelemetryMessage, type TelemetryMessage } from './mavlink-messages';
import { FIXTURE_FILES, fixtureStream, frameOf, inventory } from './test-support';

/** The first decoded message of each telemetry kind in a fixture, fields as INVENTORY.json writes them. */
function firstDecoded(stream: Buffer): Record<string, Record<string, number | string>> {
  const first: Record<string, Record<string, number | string>> = {};
  for (const event of new MavlinkFrameSplitter().push(stream)) {
    if (event.type !== 'frame') continue;
    const decoded = decodeTelemetryMessage(event.frame);
    if (!decoded.ok) throw new Error(decoded.reason);
    if (decoded.value && !first[decoded.value.name]) first[decoded.value.name] = plain(decoded.value);
  }
  return first;
}

function plain(m: TelemetryMessage): Record<string, number | string> {
  return Object.fromEntries(Object.entries(m.message).map(([k, v]) => [k, typeof v === 'bigint' ? String(v) : (v as number)]));
}

describe('decodeTelemetryMessage', () => {
  it.each(FIXTURE_FILES)('decodes the first HEARTBEAT, SYS_STATUS, GPS_RAW_INT and GLOBAL_POSITION_INT of %s as INVENTORY.json has them', (file) => {
    const expected = inventory(file).nodeMavlink.firstDecoded;
    const actual = firstDecoded(fixtureStream(file));
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(2);
    for (const [name, fields] of Object.entries(expected)) expect(actual[name], name).toMatchObject(fields);
  });

  it('decodes SYSTEM_TIME: the first of node-mavlink-vtol.tlog (MAVLink 1) and of node-mavlink-data.mavlink (MAVLink 2)', () => {
    const first = (file: 'node-mavlink-vtol.tlog' | 'node-mavlink-data.mavlink') => firstDecoded(fixtureStream(file))['SYSTEM_TIME'];
    // ArduPlane SITL, 2018-08-08T14:05:45.465009Z.
    expect(first('node-mavlink-vtol.tlog')).toEqual({ timeUnixUsec: '1533737145465009', timeBootMs: 608_582 });
    // ArduPilot without a GPS: no Unix time.
    expect(first('node-mavlink-data.mavlink')).toEqual({ timeUnixUsec: '0', timeBootMs: 14_840_276 });
  });

  it('zero-fills the fields a MAVLink 2 sender truncated', () => {
    const gps = Object.assign(new common.GpsRawInt(), { lat: 200_000_000, lon: 1_100_000_000, fixType: 3, satellitesVisible: 9 });
    const raw = frameOf(gps);
    expect(raw[1]).toBe(30);
    const decoded = decodeTelemetryMessage({ version: 2, msgId: 24, sysId: 1, compId: 1, seq: 0, signed: false, raw });
    expect(decoded).toMatchObject({ ok: true, value: { name: 'GPS_RAW_INT', message: { lat: 200_000_000, fixType: 3, satellitesVisible: 9, yaw: 0, hAcc: 0 } } });
  });

  it('leaves messages it does not read undecoded', () => {
    const raw = frameOf(new common.AttitudeQuaternion());
    expect(decodeTelemetryMessage({ version: 2, msgId: 31, sysId: 1, compId: 1, seq: 0, signed: false, raw })).toEqual({ ok: true, value: null });
  });
});
