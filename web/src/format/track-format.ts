import type { RiskLevel, Ring, Track, TrackKind } from '@seawall/contracts';

const DASH = '—';

/** Control characters (C0, DEL, C1) that sensors sometimes leave in names. */
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * A sensor-supplied text (ship name, call sign) made fit to display: control
 * characters dropped, AIS `@` padding and runs of spaces removed. The result is
 * still untrusted text: put it in the page with `textContent`, never as HTML.
 */
export function cleanSensorText(text: string | null | undefined): string | null {
  if (text == null) return null;
  const cleaned = text.replace(CONTROL_CHARS, ' ').replace(/@+$/u, '').replace(/\s+/gu, ' ').trim();
  return cleaned === '' ? null : cleaned;
}

/** The name an operator sees: the ship's own name, else its kind and id. */
export function formatTrackTitle(track: Pick<Track, 'name' | 'id' | 'kind'>): string {
  return cleanSensorText(track.name) ?? `${KIND_LABELS[track.kind]} ${track.id}`;
}

export function formatMmsi(mmsi: number | null): string {
  return mmsi === null ? DASH : String(mmsi).padStart(9, '0');
}

/** Speed over ground in knots, one decimal. */
export function formatSog(sogKn: number | null): string {
  return sogKn === null || !Number.isFinite(sogKn) ? DASH : `${sogKn.toFixed(1)} kn`;
}

/** A course or heading in whole degrees, three digits, as mariners write it. */
export function formatDegrees(deg: number | null): string {
  if (deg === null || !Number.isFinite(deg) || deg < 0 || deg >= 360) return DASH;
  const whole = Math.round(deg) % 360;
  return `${String(whole).padStart(3, '0')}°`;
}

/** Wall-clock time in the browser's local time zone, 24-hour `HH:MM:SS`. */
export function formatLocalTime(epochMs: number | null): string {
  if (epochMs === null) return DASH;
  const d = new Date(epochMs);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * Local time, with the local date in front (`YYYY-MM-DD HH:MM:SS`) unless it is
 * today: a replayed or long-lost track's time must not pass for today's.
 */
export function formatLocalDateTime(epochMs: number | null, nowMs = Date.now()): string {
  if (epochMs === null) return DASH;
  const d = new Date(epochMs);
  const today = new Date(nowMs);
  const time = formatLocalTime(epochMs);
  if (d.toDateString() === today.toDateString()) return time;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time}`;
}

export const KIND_LABELS: Record<TrackKind, string> = {
  ais: 'AIS',
  radar: '雷达 radar',
  fused: '融合 fused',
  drone: '无人机 drone',
  unit: '巡逻 unit',
};

export const LEVEL_LABELS: Record<RiskLevel, string> = {
  red: '红 red',
  orange: '橙 orange',
  yellow: '黄 yellow',
  blue: '蓝 blue',
};

export const RING_LABELS: Record<Ring, string> = {
  'near-sea': '近海 near-sea',
  shoreline: '岸线 shoreline',
  inland: '岛内 inland',
  outside: '圈外 outside',
};

export function formatLevel(level: RiskLevel | null): string {
  return level === null ? '无 none' : LEVEL_LABELS[level];
}

export function formatRing(ring: Ring | null): string {
  return ring === null ? DASH : RING_LABELS[ring];
}
