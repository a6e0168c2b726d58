import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LANGUAGE, setLanguage } from '../i18n/i18n';
import {
  HISTORY_WINDOWS,
  SPEED_GAP_MS,
  formatShipType,
  parseHistory,
  replayPointAt,
  speedAxisMaxKn,
  speedPath,
  speedSeries,
  type HistoryFix,
} from './track-panel';

const T0 = 1_764_201_600_000;
const MIN = 60_000;

/** A history answer as `/api/tracks/:id/history` sends it: the LineString, then one Point per fix. */
function historyBody(fixes: { atMs: number; lon: number; lat: number; sogKn: number | null; cogDeg: number | null }[]) {
  return {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { trackId: 'ais:412345678', fromMs: fixes[0]?.atMs, toMs: fixes.at(-1)?.atMs },
        geometry: { type: 'LineString', coordinates: fixes.map((f) => [f.lon, f.lat]) },
      },
      ...fixes.map((f) => ({
        type: 'Feature',
        properties: { atMs: f.atMs, sogKn: f.sogKn, cogDeg: f.cogDeg, sensorId: 'rx-haikou' },
        geometry: { type: 'Point', coordinates: [f.lon, f.lat] },
      })),
    ],
  };
}

describe('reading a track history', () => {
  it('takes the Point features as fixes, oldest first, and skips the LineString', () => {
    const body = historyBody([
      { atMs: T0 + 2 * MIN, lon: 110.32, lat: 20.06, sogKn: 9, cogDeg: 45 },
      { atMs: T0, lon: 110.3, lat: 20.05, sogKn: 8, cogDeg: 40 },
    ]);
    expect(parseHistory(body)).toEqual([
      { atMs: T0, lon: 110.3, lat: 20.05, sogKn: 8, cogDeg: 40 },
      { atMs: T0 + 2 * MIN, lon: 110.32, lat: 20.06, sogKn: 9, cogDeg: 45 },
    ]);
  });

  it('keeps fixes without speed or course, with null for them', () => {
    expect(parseHistory(historyBody([{ atMs: T0, lon: 110.3, lat: 20.05, sogKn: null, cogDeg: null }]))).toEqual([
      { atMs: T0, lon: 110.3, lat: 20.05, sogKn: null, cogDeg: null },
    ]);
  });

  it('drops broken features and keeps one fix per time', () => {
    const body = {
      type: 'FeatureCollection',
      features: [
        null,
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [110, 20] } },
        { type: 'Feature', properties: { atMs: T0 }, geometry: { type: 'Point', coordinates: ['110', 20] } },
        { type: 'Feature', properties: { atMs: T0 }, geometry: { type: 'Point', coordinates: [200, 20] } },
        { type: 'Feature', properties: { atMs: T0, sogKn: 'fast' }, geometry: { type: 'Point', coordinates: [110, 20] } },
        { type: 'Feature', properties: { atMs: T0, sogKn: 5 }, geometry: { type: 'Point', coordinates: [110.1, 20] } },
      ],
    };
    expect(parseHistory(body)).toEqual([{ atMs: T0, lon: 110.1, lat: 20, sogKn: 5, cogDeg: null }]);
  });

  it('gives no fixes for an answer that is not a FeatureCollection', () => {
    expect(parseHistory(null)).toEqual([]);
    expect(parseHistory({ error: 'not-found' })).toEqual([]);
  });
});

describe('the replay position', () => {
  const fixes: HistoryFix[] = [
    { atMs: T0, lon: 110.0, lat: 20.0, sogKn: 10, cogDeg: 90 },
    { atMs: T0 + 10 * MIN, lon: 110.1, lat: 20.0, sogKn: 20, cogDeg: 80 },
    { atMs: T0 + 20 * MIN, lon: 110.1, lat: 20.1, sogKn: null, cogDeg: 0 },
  ];

  it('is interpolated between the fixes around the time, speed too', () => {
    const p = replayPointAt(fixes, T0 + 2.5 * MIN)!;
    expect(p.atMs).toBe(T0 + 2.5 * MIN);
    expect(p.lon).toBeCloseTo(110.025, 9);
    expect(p.lat).toBeCloseTo(20.0, 9);
    expect(p.sogKn).toBeCloseTo(12.5, 9);
    expect(p.cogDeg).toBe(90);
  });

  it('is the fix itself at a fix time', () => {
    expect(replayPointAt(fixes, T0 + 10 * MIN)).toEqual({ ...fixes[1], atMs: T0 + 10 * MIN });
  });

  it('takes the speed that was reported when the next fix has none', () => {
    expect(replayPointAt(fixes, T0 + 15 * MIN)!.sogKn).toBe(20);
  });

  it('stays at the first and last fix outside the history', () => {
    expect(replayPointAt(fixes, T0 - MIN)).toMatchObject({ atMs: T0, lon: 110.0 });
    expect(replayPointAt(fixes, T0 + 99 * MIN)).toMatchObject({ atMs: T0 + 20 * MIN, lat: 20.1 });
  });

  it('is nothing without fixes', () => {
    expect(replayPointAt([], T0)).toBeNull();
  });
});

describe('the speed chart', () => {
  const fixes: HistoryFix[] = [
    { atMs: T0 - 90 * MIN, lon: 110, lat: 20, sogKn: 30, cogDeg: null },
    { atMs: T0 - 50 * MIN, lon: 110, lat: 20, sogKn: 6, cogDeg: null },
    { atMs: T0 - 40 * MIN, lon: 110, lat: 20, sogKn: null, cogDeg: null },
    { atMs: T0 - 30 * MIN, lon: 110, lat: 20, sogKn: 12.4, cogDeg: null },
    { atMs: T0, lon: 110, lat: 20, sogKn: 11, cogDeg: null },
  ];

  it('plots the reported speeds of the last hour only', () => {
    expect(speedSeries(fixes, T0 - 60 * MIN, T0)).toEqual([
      { atMs: T0 - 50 * MIN, sogKn: 6 },
      { atMs: T0 - 30 * MIN, sogKn: 12.4 },
      { atMs: T0, sogKn: 11 },
    ]);
  });

  it('scales to the fastest speed rounded up to 5 kn, never under 5 kn', () => {
    expect(speedAxisMaxKn([{ sogKn: 12.4 }, { sogKn: 6 }])).toBe(15);
    expect(speedAxisMaxKn([{ sogKn: 0.3 }])).toBe(5);
    expect(speedAxisMaxKn([])).toBe(5);
  });

  it('draws time left to right and speed bottom to top inside the plot area', () => {
    const box = { width: 120, height: 70, left: 10, right: 10, top: 10, bottom: 10 };
    const d = speedPath(
      [
        { atMs: T0 - 60 * MIN, sogKn: 0 },
        { atMs: T0 - 59 * MIN, sogKn: 10 },
        { atMs: T0, sogKn: 5 },
      ],
      T0 - 60 * MIN,
      T0,
      10,
      box,
    );
    // The last point comes 59 min after the second, past SPEED_GAP_MS: it starts a new sub-path.
    expect(d).toBe('M10.0 60.0L11.7 10.0M110.0 35.0');
  });

  it('breaks the line over a silence longer than the gap, and joins points closer than it', () => {
    const box = { width: 100, height: 100, left: 0, right: 0, top: 0, bottom: 0 };
    const series = [
      { atMs: T0, sogKn: 1 },
      { atMs: T0 + SPEED_GAP_MS, sogKn: 1 },
      { atMs: T0 + 2 * SPEED_GAP_MS + 1, sogKn: 1 },
    ];
    expect(speedPath(series, T0, T0 + 3 * SPEED_GAP_MS, 5, box).match(/[ML]/g)).toEqual(['M', 'L', 'M']);
  });
});

describe('ship type text', () => {
  afterEach(() => setLanguage(DEFAULT_LANGUAGE));

  it.each([
    [null, '—'],
    [0, '—'],
    [30, '30 渔船'],
    [52, '52 拖轮'],
    [55, '55 执法船'],
    [41, '41 高速船'],
    [60, '60 客船'],
    [79, '79 货船'],
    [84, '84 油轮'],
    [99, '99 其他'],
    [38, '38 保留'],
    [7, '7 保留'],
  ])('reads %s as %s in Chinese (ITU-R M.1371-5 table 53)', (code, text) => {
    expect(formatShipType(code)).toBe(text);
  });

  it.each([
    [null, '—'],
    [30, '30 Fishing'],
    [52, '52 Tug'],
    [55, '55 Law enforcement'],
    [41, '41 High-speed craft'],
    [84, '84 Tanker'],
    [38, '38 Reserved'],
  ])('reads %s as %s in English', (code, text) => {
    setLanguage('en');
    expect(formatShipType(code)).toBe(text);
  });
});

describe('replay windows', () => {
  afterEach(() => setLanguage(DEFAULT_LANGUAGE));

  it('are named in the language on screen', () => {
    expect(HISTORY_WINDOWS.map((w) => [w.label(), w.ms])).toEqual([
      ['1 小时', 3_600_000],
      ['6 小时', 6 * 3_600_000],
      ['24 小时', 24 * 3_600_000],
    ]);
    setLanguage('en');
    expect(HISTORY_WINDOWS.map((w) => w.label())).toEqual(['1 h', '6 h', '24 h']);
  });
});
