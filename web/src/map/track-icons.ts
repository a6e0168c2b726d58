import type { Track } from '@seawall/contracts';

/** Which symbol a track gets. */
export type TrackIconName = 'vessel' | 'contact' | 'drone' | 'unit';

interface IconCell {
  x: number;
  y: number;
  width: number;
  height: number;
  anchorX: number;
  anchorY: number;
  mask: boolean;
}

const CELL = 64;
const ICON_ORDER: readonly TrackIconName[] = ['vessel', 'contact', 'drone', 'unit'];

/** Where each symbol sits in the atlas; all are masks, tinted by risk colour. */
export const TRACK_ICON_MAPPING: Readonly<Record<TrackIconName, IconCell>> = Object.fromEntries(
  ICON_ORDER.map((name, i) => [
    name,
    { x: i * CELL, y: 0, width: CELL, height: CELL, anchorX: CELL / 2, anchorY: CELL / 2, mask: true },
  ]),
) as Record<TrackIconName, IconCell>;

/** On-screen size in CSS pixels. */
export const TRACK_ICON_SIZE_PX: Readonly<Record<TrackIconName, number>> = {
  vessel: 24,
  contact: 13,
  drone: 18,
  unit: 22,
};

/** Below this speed a course over ground says nothing about where the bow points. */
const MIN_SOG_FOR_COURSE_KN = 0.5;

function validDegrees(deg: number | null): deg is number {
  return deg !== null && Number.isFinite(deg) && deg >= 0 && deg < 360;
}

/** Where the track points, clockwise from true north: heading, else course when under way, else unknown. */
export function trackBearingDeg(track: Pick<Track, 'headingDeg' | 'cogDeg' | 'sogKn'>): number | null {
  if (validDegrees(track.headingDeg)) return track.headingDeg;
  if (validDegrees(track.cogDeg) && track.sogKn !== null && track.sogKn >= MIN_SOG_FOR_COURSE_KN) return track.cogDeg;
  return null;
}

/** A drone is a diamond, a patrol unit a shield, a ship with a known direction an arrow, anything else a dot. */
export function trackIconOf(track: Pick<Track, 'kind' | 'headingDeg' | 'cogDeg' | 'sogKn'>): TrackIconName {
  if (track.kind === 'drone') return 'drone';
  if (track.kind === 'unit') return 'unit';
  return trackBearingDeg(track) === null ? 'contact' : 'vessel';
}

/** deck.gl's icon angle: degrees counter-clockwise on screen; the map is kept north-up. */
export function trackIconAngle(track: Track): number {
  if (track.kind === 'drone') return 0;
  const bearing = trackBearingDeg(track);
  return bearing === null ? 0 : -bearing;
}

/** Draws the symbol atlas (white on transparent) on a canvas: no image files, no network. */
export function drawTrackIconAtlas(doc: Document = document): HTMLCanvasElement {
  const canvas = doc.createElement('canvas');
  canvas.width = CELL * ICON_ORDER.length;
  canvas.height = CELL;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas is not available for the track symbols');
  ctx.fillStyle = '#ffffff';
  const polygon = (cell: number, points: readonly (readonly [number, number])[]): void => {
    ctx.beginPath();
    points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(cell * CELL + x, y) : ctx.lineTo(cell * CELL + x, y)));
    ctx.closePath();
    ctx.fill();
  };
  // vessel: a chevron arrow, bow up
  polygon(0, [[32, 3], [52, 60], [32, 47], [12, 60]]);
  // contact: a plain dot
  ctx.beginPath();
  ctx.arc(1 * CELL + 32, 32, 26, 0, Math.PI * 2);
  ctx.fill();
  // drone: a diamond with a hollow centre
  polygon(2, [[32, 4], [60, 32], [32, 60], [4, 32]]);
  ctx.globalCompositeOperation = 'destination-out';
  polygon(2, [[32, 22], [42, 32], [32, 42], [22, 32]]);
  ctx.globalCompositeOperation = 'source-over';
  // unit: a shield, pointing up
  polygon(3, [[32, 4], [56, 16], [56, 40], [32, 60], [8, 40], [8, 16]]);
  return canvas;
}
