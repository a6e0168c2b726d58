import type { Track } from '@seawall/contracts';

/**
 * Which symbol a track gets: the shape says what kind of track it is, a `-still` variant is for one
 * whose direction is unknown (nothing to rotate).
 */
export type TrackIconName =
  | 'vessel'
  | 'vessel-still'
  | 'radar'
  | 'radar-still'
  | 'fused'
  | 'fused-still'
  | 'drone'
  | 'unit';

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

/** The symbols in atlas order; a track's icon index (the store's `icons` column) indexes this list. */
export const TRACK_ICON_ORDER: readonly TrackIconName[] = [
  'vessel',
  'vessel-still',
  'radar',
  'radar-still',
  'fused',
  'fused-still',
  'drone',
  'unit',
];

/** Where each symbol sits in the atlas; all are masks, tinted by risk colour. */
export const TRACK_ICON_MAPPING: Readonly<Record<TrackIconName, IconCell>> = Object.fromEntries(
  TRACK_ICON_ORDER.map((name, i) => [
    name,
    { x: i * CELL, y: 0, width: CELL, height: CELL, anchorX: CELL / 2, anchorY: CELL / 2, mask: true },
  ]),
) as Record<TrackIconName, IconCell>;

/** On-screen size in CSS pixels. */
export const TRACK_ICON_SIZE_PX: Readonly<Record<TrackIconName, number>> = {
  vessel: 24,
  'vessel-still': 12,
  radar: 22,
  'radar-still': 13,
  fused: 26,
  'fused-still': 16,
  drone: 20,
  unit: 22,
};

const ICON_INDEX: Readonly<Record<TrackIconName, number>> = Object.fromEntries(
  TRACK_ICON_ORDER.map((name, i) => [name, i]),
) as Record<TrackIconName, number>;

/** Below this speed a course over ground says nothing about where the bow points. */
const MIN_SOG_FOR_COURSE_KN = 0.5;

function validDegrees(deg: number | null): deg is number {
  return deg !== null && Number.isFinite(deg) && deg >= 0 && deg < 360;
}

type Motion = Pick<Track, 'headingDeg' | 'cogDeg' | 'sogKn'>;
type Symbolic = Pick<Track, 'kind' | 'headingDeg' | 'cogDeg' | 'sogKn'>;

/** Where the track points, clockwise from true north: heading, else course when under way, else unknown. */
export function trackBearingDeg(track: Motion): number | null {
  if (validDegrees(track.headingDeg)) return track.headingDeg;
  if (validDegrees(track.cogDeg) && track.sogKn !== null && track.sogKn >= MIN_SOG_FOR_COURSE_KN) return track.cogDeg;
  return null;
}

/**
 * The symbol of a track: a solid arrow for an AIS vessel, an outlined arrow for a radar-only
 * (unidentified) target, an arrow in a ring for a fused (radar + AIS) track; a dot, an open square or a
 * ringed dot for the same when their direction is unknown; a diamond for a drone, a shield for a patrol unit.
 */
export function trackIconOf(track: Symbolic): TrackIconName {
  switch (track.kind) {
    case 'drone':
      return 'drone';
    case 'unit':
      return 'unit';
    case 'radar':
      return trackBearingDeg(track) === null ? 'radar-still' : 'radar';
    case 'fused':
      return trackBearingDeg(track) === null ? 'fused-still' : 'fused';
    default:
      return trackBearingDeg(track) === null ? 'vessel-still' : 'vessel';
  }
}

/** The symbol's position in {@link TRACK_ICON_ORDER}. */
export function trackIconIndex(track: Symbolic): number {
  return ICON_INDEX[trackIconOf(track)];
}

/** Icon index by kind, with a direction and without one (the store's hot path: no names, no second bearing). */
const ICON_BY_KIND: Readonly<Record<Track['kind'], readonly [number, number]>> = {
  ais: [ICON_INDEX.vessel, ICON_INDEX['vessel-still']],
  radar: [ICON_INDEX.radar, ICON_INDEX['radar-still']],
  fused: [ICON_INDEX.fused, ICON_INDEX['fused-still']],
  drone: [ICON_INDEX.drone, ICON_INDEX.drone],
  unit: [ICON_INDEX.unit, ICON_INDEX.unit],
};

/** {@link trackIconIndex} from the kind and the bearing already worked out ({@link trackBearingDeg}). */
export function trackIconIndexFor(kind: Track['kind'], bearingDeg: number | null): number {
  return ICON_BY_KIND[kind][bearingDeg === null ? 1 : 0];
}

/** deck.gl's icon angle: degrees counter-clockwise on screen; the map is kept north-up. */
export function trackIconAngle(track: Motion): number {
  const bearing = trackBearingDeg(track);
  return bearing === null ? 0 : -bearing;
}

/**
 * The IconLayer's per-instance icon definition (its `instanceIconDefs` attribute: offset x, y; frame
 * x, y, width, height; mask flag) and the size in pixels of every symbol, by icon index, so a layer
 * can hand deck binary icon attributes instead of calling `getIcon` per track.
 */
export const TRACK_ICON_DEFS: Float32Array = Float32Array.from(
  TRACK_ICON_ORDER.flatMap((name) => {
    const { x, y, width, height, anchorX, anchorY, mask } = TRACK_ICON_MAPPING[name];
    return [width / 2 - anchorX, height / 2 - anchorY, x, y, width, height, mask ? 1 : 0];
  }),
);
export const TRACK_ICON_SIZES: Float32Array = Float32Array.from(TRACK_ICON_ORDER.map((name) => TRACK_ICON_SIZE_PX[name]));

/** Draws the symbol atlas (white on transparent) on a canvas: no image files, no network. */
export function drawTrackIconAtlas(doc: Document = document): HTMLCanvasElement {
  const canvas = doc.createElement('canvas');
  canvas.width = CELL * TRACK_ICON_ORDER.length;
  canvas.height = CELL;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas is not available for the track symbols');
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#ffffff';
  ctx.lineJoin = 'round';
  const at = (name: TrackIconName) => ICON_INDEX[name] * CELL;
  const path = (name: TrackIconName, points: readonly (readonly [number, number])[]): void => {
    const x0 = at(name);
    ctx.beginPath();
    points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x0 + x, y) : ctx.lineTo(x0 + x, y)));
    ctx.closePath();
  };
  const circle = (name: TrackIconName, r: number): void => {
    ctx.beginPath();
    ctx.arc(at(name) + 32, 32, r, 0, Math.PI * 2);
  };
  const chevron: readonly (readonly [number, number])[] = [[32, 3], [52, 60], [32, 47], [12, 60]];
  const smallChevron: readonly (readonly [number, number])[] = [[32, 12], [45, 50], [32, 42], [19, 50]];

  // vessel (AIS): a solid chevron, bow up; without a direction a solid dot
  path('vessel', chevron);
  ctx.fill();
  circle('vessel-still', 24);
  ctx.fill();
  // radar-only, unidentified: the same chevron in outline; without a direction an open square (a radar plot)
  ctx.lineWidth = 7;
  path('radar', [[32, 8], [50, 57], [32, 45], [14, 57]]);
  ctx.stroke();
  ctx.lineWidth = 9;
  path('radar-still', [[10, 10], [54, 10], [54, 54], [10, 54]]);
  ctx.stroke();
  // fused (radar + AIS): a smaller solid chevron inside a ring; without a direction a dot inside a ring
  ctx.lineWidth = 5;
  circle('fused', 28);
  ctx.stroke();
  path('fused', smallChevron);
  ctx.fill();
  circle('fused-still', 27);
  ctx.stroke();
  circle('fused-still', 13);
  ctx.fill();
  // drone: a diamond with a hollow centre and a notch at its nose
  path('drone', [[32, 2], [60, 32], [32, 60], [4, 32]]);
  ctx.fill();
  ctx.globalCompositeOperation = 'destination-out';
  path('drone', [[32, 22], [42, 32], [32, 42], [22, 32]]);
  ctx.fill();
  path('drone', [[32, 2], [37, 12], [27, 12]]);
  ctx.fill();
  ctx.globalCompositeOperation = 'source-over';
  // unit: a shield, pointing up
  path('unit', [[32, 4], [56, 16], [56, 40], [32, 60], [8, 40], [8, 16]]);
  ctx.fill();
  return canvas;
}
