import { DroneTelemetryObservation } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import type { DroneFix } from '../decoders/mavlink';
import { hashObservationId } from './obs-id';
import { toDroneObservation } from './drone-observation';

const T0 = 1_764_201_600_000;
const context = { sensorId: 'drone-link-1', gatewayId: 'gw-main', receivedAtMs: T0 };

const fix = (fields: Partial<DroneFix> = {}): DroneFix => ({
  systemId: 1,
  source: 'GLOBAL_POSITION_INT',
  raw: Buffer.from([0xfd, 0x1c, 0x00, 0x00, 0x07, 0x01, 0x01, 0x21, 0x00, 0x00]),
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
  ...fields,
});

describe('toDroneObservation', () => {
  it('makes a drone.telemetry observation stamped with the receipt time, valid by the contract', () => {
    const r = toDroneObservation(fix(), context);
    expect(r.ok).toBe(true);
    const obs = r.ok ? r.value : null;
    expect(DroneTelemetryObservation.parse(obs)).toEqual(obs);
    expect(obs).toEqual({
      kind: 'drone.telemetry',
      obsId: hashObservationId(['drone-link-1', '1', fix().raw.toString('latin1')]),
      sensorId: 'drone-link-1',
      gatewayId: 'gw-main',
      observedAtMs: T0,
      receivedAtMs: T0,
      systemId: 1,
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
    });
  });

  it('stamps a fix the autopilot timed (SYSTEM_TIME) with that time, the receipt time still beside it', () => {
    const r = toDroneObservation(fix({ observedAtMs: T0 - 1_250 }), context);
    expect(r).toMatchObject({ ok: true, value: { observedAtMs: T0 - 1_250, receivedAtMs: T0 } });
  });

  it('gives the same frame the same id, and another frame, sensor or system another', () => {
    const id = (f: DroneFix, sensorId = 'drone-link-1') => {
      const r = toDroneObservation(f, { ...context, sensorId });
      return r.ok ? r.value.obsId : null;
    };
    const other = Buffer.from(fix().raw);
    other[4] = 8;
    expect(id(fix())).toBe(id(fix()));
    expect(new Set([id(fix()), id(fix({ raw: other })), id(fix(), 'drone-link-2'), id(fix({ systemId: 2 }))]).size).toBe(4);
  });

  it('rejects a position off the globe as bad-position and a value the contract refuses as invalid-observation', () => {
    expect(toDroneObservation(fix({ lat: 91 }), context)).toMatchObject({ ok: false, reason: 'bad-position' });
    expect(toDroneObservation(fix({ lon: Number.NaN }), context)).toMatchObject({ ok: false, reason: 'bad-position' });
    expect(toDroneObservation(fix({ satellites: 300 }), context)).toMatchObject({ ok: false, reason: 'invalid-observation', detail: expect.stringMatching(/^satellites:/) });
  });
});
