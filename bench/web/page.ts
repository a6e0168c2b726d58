// The bench page: the console's real map, track store and tracks layer, fed by a synthetic feed of N
// tracks that all move every second. Each batch goes the way a socket batch goes: JSON text decoded
// (socket.io's JSON.parse), validated item by item (the socket's validateTrackBatch: the contract's zod
// schema), then applied (store upsert + layer update). Every stage is timed, and every animation frame's
// interval.
// Parameters in the query string: n (tracks), seconds (measured), warmup (seconds not counted).
import 'maplibre-gl/dist/maplibre-gl.css';
import type { Track } from '@seawall/contracts';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { createMapView } from '../../web/src/map/map-view';
import { TracksLayer } from '../../web/src/map/tracks-layer';
import { validateTrackBatch } from '../../web/src/realtime/track-socket';
import { TrackStore } from '../../web/src/state/track-store';
import { SyntheticFeed } from './feed';

/** What the runner reads back when the page is done. */
export interface BenchPageResult {
  n: number;
  batches: number;
  /** ms per batch, measured batches only. */
  decodeMs: number[];
  validateMs: number[];
  applyMs: number[];
  /** The layer's part of applyMs: flushNow (attributes to deck) and deck's layer update in its next frame. */
  layerMs: number[];
  /** deck's drawing, per frame it drew (not part of the apply). */
  drawMs: number[];
  /** ms between consecutive animation frames over the measured seconds. */
  frameMs: number[];
  snapshotMs: number;
  firstDrawMs: number;
  batchBytes: number;
  trailSegments: number;
  renderer: string;
  errors: string[];
}

declare global {
  interface Window {
    benchResult?: BenchPageResult;
    benchError?: string;
  }
}

/** Distinct pre-built batches, replayed back and forth: every batch moves every track. */
const PREBUILT = 8;

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const n = Number(params.get('n') ?? 1000);
  const seconds = Number(params.get('seconds') ?? 20);
  const warmup = Number(params.get('warmup') ?? 3);
  const errors: string[] = [];
  window.addEventListener('error', (e) => errors.push(String(e.message)));

  // The feed is prepared before anything is measured: what arrives is JSON text, as from the socket.
  const start = Date.now();
  const feed = new SyntheticFeed(n, start);
  const snapshotText = JSON.stringify(feed.snapshot());
  const texts: string[] = [];
  for (let i = 0; i < PREBUILT; i++) texts.push(JSON.stringify(feed.step(1000)));

  const store = new TrackStore();
  const { map, loaded } = createMapView(document.getElementById('map')!);
  const layer = new TracksLayer(map, store);
  await loaded;

  const t0 = performance.now();
  store.replaceAll(validateTrackBatch(JSON.parse(snapshotText)).items);
  const snapshotMs = performance.now() - t0;
  await layer.whenDrawn();
  const firstDrawMs = performance.now() - t0;

  const gl = document.createElement('canvas').getContext('webgl2');
  const debug = gl?.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl && debug ? String(gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)) : 'unknown';

  const result: BenchPageResult = {
    n,
    batches: 0,
    decodeMs: [],
    validateMs: [],
    applyMs: [],
    layerMs: [],
    drawMs: [],
    frameMs: [],
    snapshotMs,
    firstDrawMs,
    batchBytes: texts[0]!.length,
    trailSegments: 0,
    renderer,
    errors,
  };

  // deck updates its layers (builds and uploads attributes) in its own next frame, not in setProps: time
  // that update too, and the drawing, by wrapping the two calls on the overlay's deck (bench-only access).
  const overlay = (map as unknown as { _controls: unknown[] })._controls.find((c) => c instanceof MapboxOverlay) as
    | { _deck?: { layerManager: { updateLayers(): void }; _drawLayers(...a: unknown[]): void } }
    | undefined;
  const deck = overlay?._deck;
  if (!deck?.layerManager) throw new Error('the tracks overlay has no deck yet');
  let deckUpdateMs = 0;
  // deck seals its objects: wrap the methods on their prototypes (this page has one deck).
  const managerProto = Object.getPrototypeOf(deck.layerManager) as { updateLayers(this: unknown): void };
  const updateLayers = managerProto.updateLayers;
  managerProto.updateLayers = function (this: unknown) {
    const t = performance.now();
    updateLayers.call(this);
    deckUpdateMs += performance.now() - t;
  };
  const deckProto = Object.getPrototypeOf(deck) as { _drawLayers(this: unknown, ...a: unknown[]): void };
  const drawLayers = deckProto._drawLayers;
  deckProto._drawLayers = function (this: unknown, ...a: unknown[]) {
    const t = performance.now();
    drawLayers.apply(this, a);
    if (measuring) result.drawMs.push(performance.now() - t);
  };

  let measuring = false;
  let last = performance.now();
  const onFrame = (now: number): void => {
    if (measuring) result.frameMs.push(now - last);
    last = now;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);

  let batch = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // Back and forth through the pre-built batches: 0 1 … 7 6 … 1 0 1 …
      const k = batch % (2 * PREBUILT - 2);
      const text = texts[k < PREBUILT ? k : 2 * PREBUILT - 2 - k]!;
      const counted = batch >= warmup;
      // The previous batch's deck update happened in the frames since: it belongs to that batch.
      if (result.layerMs.length > 0 && batch > warmup) result.layerMs[result.layerMs.length - 1]! += deckUpdateMs;
      if (result.applyMs.length > 0 && batch > warmup) result.applyMs[result.applyMs.length - 1]! += deckUpdateMs;
      deckUpdateMs = 0;
      measuring = counted;
      const a = performance.now();
      const payload: unknown = JSON.parse(text);
      const b = performance.now();
      const { items } = validateTrackBatch(payload);
      const c = performance.now();
      store.upsert(items as Track[]);
      const u = performance.now();
      layer.flushNow();
      const d = performance.now();
      if (counted) {
        result.decodeMs.push(b - a);
        result.validateMs.push(c - b);
        result.applyMs.push(d - c);
        result.layerMs.push(d - u);
        result.batches += 1;
      }
      batch += 1;
      if (batch >= warmup + seconds) {
        clearInterval(timer);
        // One more second of frames after the last batch, so its drawing is counted.
        setTimeout(() => {
          result.layerMs[result.layerMs.length - 1]! += deckUpdateMs;
          result.applyMs[result.applyMs.length - 1]! += deckUpdateMs;
          measuring = false;
          resolve();
        }, 1000);
      }
    }, 1000);
  });
  result.trailSegments = store.trails.count;
  window.benchResult = result;
}

main().catch((error: unknown) => {
  window.benchError = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
});
