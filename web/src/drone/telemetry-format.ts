import { cleanSensorText } from '../format/track-format';

const DASH = '—';

/** At or under this the server raises the drone-battery alert (server/config/rules.json); the bar turns red. */
export const BATTERY_CRITICAL_PCT = 20;
/** At or under this the bar turns amber: time to think about coming home. */
export const BATTERY_LOW_PCT = 35;

export type BatteryTone = 'ok' | 'low' | 'critical' | 'unknown';

export function batteryTone(pct: number | null | undefined): BatteryTone {
  if (pct == null || !Number.isFinite(pct)) return 'unknown';
  if (pct <= BATTERY_CRITICAL_PCT) return 'critical';
  if (pct <= BATTERY_LOW_PCT) return 'low';
  return 'ok';
}

export function formatBattery(pct: number | null | undefined): string {
  return pct == null || !Number.isFinite(pct) ? DASH : `${Math.round(pct)} %`;
}

/** Height above home first (what the pilot flies by), then above sea level: `85 m 相对 rel · 120 m 海拔 MSL`. */
export function formatAltitude(altitudeM: number | null | undefined, relativeAltitudeM?: number | null): string {
  const parts: string[] = [];
  if (relativeAltitudeM != null && Number.isFinite(relativeAltitudeM)) parts.push(`${Math.round(relativeAltitudeM)} m 相对 rel`);
  if (altitudeM != null && Number.isFinite(altitudeM)) parts.push(`${Math.round(altitudeM)} m 海拔 MSL`);
  return parts.length > 0 ? parts.join(' · ') : DASH;
}

export function armedLabel(armed: boolean | null | undefined): string {
  if (armed == null) return DASH;
  return armed ? '已解锁 Armed' : '未解锁 Disarmed';
}

/** The autopilot's flight mode, as the sensor sent it (cleaned; still untrusted text). */
export function formatMode(mode: string | null | undefined): string {
  return cleanSensorText(mode) ?? DASH;
}

/** MAVLink GPS_FIX_TYPE in words, with the satellites in view. */
export function formatGps(fixType: number | null | undefined, satellites: number | null | undefined): string {
  const FIX = ['无GPS No GPS', '未定位 No fix', '2D', '3D', 'DGPS', 'RTK float', 'RTK fixed', 'Static', 'PPP'];
  const fix = fixType == null ? null : (FIX[fixType] ?? `type ${fixType}`);
  const sats = satellites == null ? null : `${satellites} sat`;
  return [fix, sats].filter((p) => p !== null).join(' · ') || DASH;
}
