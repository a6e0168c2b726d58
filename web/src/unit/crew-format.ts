import type { UnitStatus } from '@seawall/contracts';

const DASH = '—';

/** One coordinate as mariners read it: whole degrees, minutes to three decimals, hemisphere. */
function degMin(value: number, positive: string, negative: string, degDigits: number): string {
  const hemi = value < 0 ? negative : positive;
  const abs = Math.abs(value);
  let deg = Math.floor(abs);
  let min = Number(((abs - deg) * 60).toFixed(3));
  if (min >= 60) {
    deg += 1;
    min = 0;
  }
  return `${String(deg).padStart(degDigits, '0')}°${min.toFixed(3).padStart(6, '0')}′${hemi}`;
}

/** `20°09.000′N 110°18.000′E`. */
export function formatLatLon(lat: number | null | undefined, lon: number | null | undefined): string {
  if (lat == null || lon == null || !Number.isFinite(lat) || !Number.isFinite(lon)) return DASH;
  return `${degMin(lat, 'N', 'S', 2)} ${degMin(lon, 'E', 'W', 3)}`;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance (m) and initial bearing (degrees true) from one point to another; a sphere is close enough for a crew's glance. */
export function distanceBearing(from: { lon: number; lat: number }, to: { lon: number; lat: number }): { distanceM: number; bearingDeg: number } {
  const φ1 = rad(from.lat);
  const φ2 = rad(to.lat);
  const Δφ = φ2 - φ1;
  const Δλ = rad(to.lon - from.lon);
  const a = Math.sin(Δφ / 2) ** 2 + Math.cos(φ1) * Math.cos(φ2) * Math.sin(Δλ / 2) ** 2;
  const distanceM = 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
  const y = Math.sin(Δλ) * Math.cos(φ2);
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ);
  const bearingDeg = ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
  return { distanceM, bearingDeg };
}

const METRES_PER_NM = 1852;

/** A distance in nautical miles (the crews' unit at sea) with kilometres beside it. */
export function formatDistance(distanceM: number | null): string {
  if (distanceM === null || !Number.isFinite(distanceM) || distanceM < 0) return DASH;
  const nm = distanceM / METRES_PER_NM;
  const km = distanceM / 1000;
  return `${nm < 10 ? nm.toFixed(2) : nm.toFixed(1)} nm · ${km < 10 ? km.toFixed(2) : km.toFixed(1)} km`;
}

/** Metres per second to knots. */
export function msToKn(ms: number): number {
  return (ms * 3600) / METRES_PER_NM;
}

/** A ground speed in m/s and knots: `12.3 m/s · 23.9 kn`. */
export function formatSpeedMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return DASH;
  return `${ms.toFixed(1)} m/s · ${msToKn(ms).toFixed(1)} kn`;
}

/** How long ago, in words a crew reads at a glance: `12 s`, `4 min`, `2 h 5 min`. */
export function formatAge(ageMs: number): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

const UNIT_STATUS_LABELS: Readonly<Record<UnitStatus, string>> = {
  available: '待命 Available',
  assigned: '已派遣 Assigned',
  'en-route': '出发中 En route',
  'on-scene': '在现场 On scene',
  returning: '返航 Returning',
  'off-duty': '下班 Off duty',
};

export function unitStatusLabel(status: UnitStatus): string {
  return UNIT_STATUS_LABELS[status];
}

/**
 * The statuses a crew sets by hand (`unit:report {status}`), given where it stands: the others follow its
 * orders. Available when off duty or back from a call; off duty when free.
 */
export function selfStatusChoices(status: UnitStatus): UnitStatus[] {
  switch (status) {
    case 'available':
      return ['off-duty'];
    case 'off-duty':
      return ['available'];
    case 'returning':
      return ['available', 'off-duty'];
    default:
      return [];
  }
}
