import { t } from './i18n';

const DASH = '—';
const METRES_PER_NM = 1852;

/** A distance in nautical miles and kilometres, one decimal each (mariners and the shore patrol both read it). */
export function formatDistance(distanceM: number | null | undefined): string {
  if (distanceM == null || !Number.isFinite(distanceM) || distanceM < 0) return DASH;
  return t('dispatch.distance', { nm: (distanceM / METRES_PER_NM).toFixed(1), km: (distanceM / 1000).toFixed(1) });
}

/** Whole minutes until arrival, rounded up: a unit 30 s away is "1 min", not "0 min". */
export function etaMinutes(etaMs: number): number {
  return Math.max(1, Math.ceil(etaMs / 60_000));
}

export function formatEta(etaMs: number | null | undefined): string {
  if (etaMs == null || !Number.isFinite(etaMs) || etaMs < 0) return DASH;
  return t('dispatch.eta', { min: etaMinutes(etaMs) });
}

/** An order id short enough for a table cell: `ord-` and the first eight hex digits of its UUID. */
export function shortOrderId(id: string): string {
  const match = /^(ord-)?([0-9a-f]{8})-[0-9a-f-]+$/i.exec(id);
  return match ? `${match[1] ?? ''}${match[2]}` : id;
}
