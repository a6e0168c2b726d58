/**
 * NMEA 0183 `$RATTM` (tracked target message) for the simulated shore radars. Pure: no I/O, no clock.
 */
import { nmeaChecksum } from './encode-ais';

/** One ARPA target as a TTM reports it, in nautical miles and knots (units `N`). */
export interface TtmTarget {
  /** 0-999; written with at least two digits. */
  targetNumber: number;
  distanceNm: number;
  bearingDeg: number;
  /** `T` true (from north), `R` relative to the radar's heading marker. */
  bearingRef: 'T' | 'R';
  speedKn: number;
  courseDeg: number;
  courseRef: 'T' | 'R';
  /** Seconds since the Unix epoch; written as the sentence's `hhmmss.ss` UTC field. */
  unixSeconds: number;
}

/** `hhmmss.ss` UTC of a Unix time. */
function utcField(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}.${two(Math.floor((unixSeconds % 1) * 100))}`;
}

/**
 * `$RATTM,nn,dist,brg,T|R,spd,crs,T|R,cpa,tcpa,N,name,T,,hhmmss.ss,A*hh` (NMEA 0183 v3 and later: 15 fields):
 * status T (tracking), acquisition A (automatic); CPA, TCPA, name and the reference-target flag empty.
 */
export function formatTtm(t: TtmTarget): string {
  const body = [
    'RATTM',
    String(t.targetNumber).padStart(2, '0'),
    t.distanceNm.toFixed(3),
    t.bearingDeg.toFixed(1),
    t.bearingRef,
    t.speedKn.toFixed(1),
    t.courseDeg.toFixed(1),
    t.courseRef,
    '',
    '',
    'N',
    '',
    'T',
    '',
    utcField(t.unixSeconds),
    'A',
  ].join(',');
  return `$${body}*${nmeaChecksum(body)}`;
}
