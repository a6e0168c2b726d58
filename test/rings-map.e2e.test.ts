import { createClassifier } from '@seawall/geodata';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, chromiumAvailable, launchChromium, signedIn } from './support/browser';
import { eventually, startTestSystem, type TestSystem } from './support/system';

type Rgb = [number, number, number];
type AreaRing = 'near-sea' | 'shoreline' | 'inland';
/** Under the rings: the chart's sea and land fill (web/src/map/base-style.ts, CHART_COLORS). */
const SEA = '#07131f';
const LAND = '#16232c';
const classifier = createClassifier();

const hex = (h: string): Rgb => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as Rgb;
const blend = (fg: Rgb, alpha: number, bg: Rgb): Rgb => fg.map((c, i) => Math.round(alpha * c + (1 - alpha) * bg[i]!)) as Rgb;
const distance = (a: Rgb, b: Rgb) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Each ring's fill as the legend declares it (the map layer's paint). */
type Paint = Record<AreaRing, { fill: string; opacity: number }>;

/** What a ring's fill looks like over the sea and over the land fill, as maplibre blends it. */
function expectedColours(paint: Paint, ring: AreaRing | 'outside'): Rgb[] {
  const under = [hex(SEA), hex(LAND)];
  return ring === 'outside' ? under : under.map((bg) => blend(hex(paint[ring].fill), paint[ring].opacity, bg));
}

/** Web Mercator as maplibre draws it (512 px tiles): page pixel of a position, for a map centred in `box`. */
function toPixel(lon: number, lat: number, view: { lon: number; lat: number; zoom: number }, box: { x: number; y: number; width: number; height: number }) {
  const size = 512 * 2 ** view.zoom;
  const px = (l: number) => ((l + 180) / 360) * size;
  const py = (p: number) => ((1 - Math.log(Math.tan(Math.PI / 4 + (p * Math.PI) / 360)) / Math.PI) / 2) * size;
  return { x: Math.round(box.x + box.width / 2 + px(lon) - px(view.lon)), y: Math.round(box.y + box.height / 2 + py(lat) - py(view.lat)) };
}

/** Pixel colours of a PNG, read back in a blank page (the app's CSP is not in the way there). */
async function pixels(reader: Page, png: Buffer, at: { x: number; y: number }[]): Promise<Rgb[]> {
  return reader.evaluate(
    async ({ b64, at }) => {
      const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob());
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      return at.map(({ x, y }) => Array.from(ctx.getImageData(x, y, 1, 1).data.slice(0, 3)) as [number, number, number]);
    },
    { b64: png.toString('base64'), at },
  );
}

/** Sample spots: each checked with the classifier, away from ring edges and zone outlines. */
const WHOLE_ISLAND = { lon: 109.75, lat: 19.2, zoom: 7 };
const STRAIT = { lon: 110.3, lat: 20.1, zoom: 10 };
const SPOTS: { view: typeof WHOLE_ISLAND; lon: number; lat: number; ring: AreaRing | 'outside' }[] = [
  { view: WHOLE_ISLAND, lon: 109.55, lat: 19.05, ring: 'inland' },
  { view: WHOLE_ISLAND, lon: 110.8, lat: 19.1, ring: 'near-sea' },
  { view: WHOLE_ISLAND, lon: 108.2, lat: 17.7, ring: 'outside' },
  { view: STRAIT, lon: 110.37, lat: 19.99, ring: 'inland' },
  { view: STRAIT, lon: 110.2, lat: 20.07, ring: 'shoreline' },
  { view: STRAIT, lon: 110.2, lat: 20.12, ring: 'near-sea' },
  { view: STRAIT, lon: 110.2, lat: 20.2, ring: 'outside' },
];

describe.skipIf(!chromiumAvailable())('the rings on the map in headless Chromium', () => {
  let system: TestSystem;
  let browser: Browser;
  let reader: Page;

  beforeAll(async () => {
    system = await startTestSystem();
    browser = await launchChromium();
    reader = await browser.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('serves the rings and zones from PostGIS as GeoJSON', async () => {
    const rings = (await (await system.api('/api/rings')).json()) as { features: { properties: { name: string } }[] };
    expect(rings.features.map((f) => f.properties.name).sort()).toEqual(['inland', 'near-sea', 'shoreline']);
    const zones = await system.api('/api/zones');
    expect(zones.headers.get('content-type')).toContain('application/geo+json');
    expect(((await zones.json()) as { features: unknown[] }).features.length).toBeGreaterThan(20);
    const again = await system.api('/api/zones', { headers: { 'if-none-match': zones.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  for (const [view, file] of [[WHOLE_ISLAND, 'rings-map.png'], [STRAIT, 'rings-qiongzhou-strait.png']] as const) {
    it(`draws the three rings in their own colours with the 近海/岸线/岛内 legend (${file})`, async () => {
      const spots = SPOTS.filter((s) => s.view === view);
      for (const s of spots) expect([s.lon, s.lat, classifier.ring(s.lon, s.lat)]).toEqual([s.lon, s.lat, s.ring]);

      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signedIn(page, system.server.url);
      const ringsLoaded = page.waitForResponse((r) => r.url().endsWith('/api/rings') && r.ok());
      await page.goto(`${system.server.url}/#${view.zoom}/${view.lat}/${view.lon}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      await ringsLoaded;

      const legend = await page.locator('.ring-legend').innerText();
      for (const label of ['近海', '岸线', '岛内']) expect(legend).toContain(label);
      const paint = Object.fromEntries(
        await page.$$eval('.ring-legend [data-fill]', (rows) =>
          rows.map((r) => [(r as HTMLElement).dataset.ring, { fill: (r as HTMLElement).dataset.fill, opacity: Number((r as HTMLElement).dataset.fillOpacity) }]),
        ),
      ) as Paint;
      expect(new Set(Object.values(paint).map((p) => p.fill)).size).toBe(3);

      const box = (await page.locator('#map').boundingBox())!;
      const at = spots.map((s) => toPixel(s.lon, s.lat, view, box));
      // The GeoJSON is parsed and tiled in a worker: wait until every spot shows its ring's colour.
      const seen = await eventually(async () => {
        const png = await page.screenshot({ path: `${ARTIFACTS_DIR}/${file}` });
        const got = await pixels(reader, png, at);
        const ok = got.every((c, i) => Math.min(...expectedColours(paint, spots[i]!.ring).map((e) => distance(c, e))) < 30);
        return ok ? got : undefined;
      }, 45_000, `ring colours at ${JSON.stringify(at)}`);
      for (let i = 0; i < seen.length; i++) {
        for (let j = i + 1; j < seen.length; j++) {
          if (spots[i]!.ring !== spots[j]!.ring) expect(distance(seen[i]!, seen[j]!)).toBeGreaterThan(25);
        }
      }
      expect(errors).toEqual([]);
      await page.close();
    }, 120_000);
  }
});
