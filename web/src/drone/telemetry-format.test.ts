import { describe, expect, it } from 'vitest';
import { armedLabel, batteryTone, formatAltitude, formatBattery, formatGps, formatMode } from './telemetry-format';

describe('telemetry formatting', () => {
  it('battery turns amber at 35 % and red at the 20 % the alert rule uses', () => {
    expect(batteryTone(80)).toBe('ok');
    expect(batteryTone(35)).toBe('low');
    expect(batteryTone(20)).toBe('critical');
    expect(batteryTone(null)).toBe('unknown');
    expect(formatBattery(47.6)).toBe('48 %');
    expect(formatBattery(null)).toBe('—');
  });

  it('altitude shows height above home first, then above sea level', () => {
    expect(formatAltitude(120.4, 85.2)).toBe('85 m 相对 rel · 120 m 海拔 MSL');
    expect(formatAltitude(120.4, undefined)).toBe('120 m 海拔 MSL');
    expect(formatAltitude(null, null)).toBe('—');
  });

  it('armed state and GPS fix in words', () => {
    expect(armedLabel(true)).toBe('已解锁 Armed');
    expect(armedLabel(false)).toBe('未解锁 Disarmed');
    expect(armedLabel(null)).toBe('—');
    expect(formatGps(3, 14)).toBe('3D · 14 sat');
    expect(formatGps(null, null)).toBe('—');
  });

  it('a flight mode from the autopilot is cleaned of control characters and stays text', () => {
    expect(formatMode('AUTO\u0000\u0007')).toBe('AUTO');
    expect(formatMode('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(formatMode(null)).toBe('—');
  });
});
