// The bench page: the console's real map, track store and tracks layer, fed by a synthetic feed of N
// tracks that all move every second. Each batch goes the way a socket batch goes: JSON text decoded
// (socket.io's JSON.parse), validated item by item (the socket's validateTrackBatch: the contract's zod
// schema), then applied (store upsert + layer update). The runner (run.ts) calls `bench.prepare()` and
// `bench.apply()` once a second, so it can read the main thread's CPU time around the apply; the page
// times every stage itself and every animation frame's interval.
// Query string: n (tracks), slices (batches a second, each with n / slices of the tracks; default 1).
import 'maplibre-gl/dist/maplibre-gl.css';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Track } from '@seawall/contracts';
import { createMapView } from '../../web/src/map/map-view';
import { TracksLayer } from '../../web/src/map/tracks-layer';
import { validateTrackBatch } from '../../web/src/realtime/track-socket';
import { TrackStore } from '../../web/src/state/track-store';
import { SyntheticFeed } from './feed';

/** What the page hands the runner once set up. */
export interface BenchPageInfo {
  n: number;
  slices: number;
  /** From the snapshot's text to deck having drawn it, ms. */
  firstDrawMs: number;
  batchBytes: number;
  renderer: string;
}

/** One batch's wall-clock times, ms. */
export interface BenchBatchTimes {
  decodeMs: number;
  validateMs: number;
  /** Store upsert + layer update (flushNow and deck's layer update, which uploads the attributes). */
  applyMs: number;
  /** The layer's part of applyMs. */
  layerMs: number;
}

/** What the page measured between `startFrames` and `stopFrames`. */
export interface BenchFrames {
  /** ms between consecutive animation frames. */
  frameMs: number[];
  /** deck's drawing, per frame it drew. */
  drawMs: number[];
  trailSegments: number;
}

export interface BenchApi {
  info: BenchPageInfo;
  /** Decode and validate the next batch (kept for `apply`). */
  prepare(): Pick<BenchBatchTimes, 'decodeMs' | 'validateMs'>;
  /** Apply the prepared batch. */
  apply(): Pick<BenchBatchTimes, 'applyMs' | 'layerMs'>;
  startFrames(): void;
  stopFrames(): BenchFrames;
}

declare global {
  interface Window {
    bench?: BenchApi;
    benchError?: string;
  }
}

/** Distinct pre-built batches, replayed back and forth: every batch moves every track. */
const PREBUILT = 8;

/** The parts of deck the page times; deck seals its objects, so their prototypes are wrapped. */
interface DeckInternals {
  layerManager: { updateLayers(): void };
  _drawLayers(...a: unknown[]): void;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const n = Number(params.get('n') ?? 1000);
  const slices = Number(params.get('slices') ?? 1);

  // The feed is prepared before anything is measured: what arrives is JSON text, as from the socket.
  // Each second's batch is cut into `slices` batches, as the server's pushes every 250 ms cut it.
  const feed = new SyntheticFeed(n, Date.now());
  const snapshotText = JSON.stringify(feed.snapshot());
  const texts: string[][] = [];
  for (let i = 0; i < PREBUILT; i++) {
    const tracks = feed.step(1000);
    const per = Math.ceil(tracks.length / slices);
    texts.push(Array.from({ length: slices }, (_, j) => JSON.stringify(tracks.slice(j * per, (j + 1) * per))));
  }

  const store = new TrackStore();
  const { map, loaded } = createMapView(document.getElementById('map')!);
  const layer = new TracksLayer(map, store);
  await loaded;

  const t0 = performance.now();
  store.replaceAll(validateTrackBatch(JSON.parse(snapshotText)).items);
  await layer.whenDrawn();
  const firstDrawMs = performance.now() - t0;

  const gl = document.createElement('canvas').getContext('webgl2');
  const debug = gl?.getExtension('WEBGL_debug_renderer_info');
  const renderer = gl && debug ? String(gl.getParameter(debug.UNMASKED_RENDERER_WEBGL)) : 'unknown';

  // Bench-only access to the overlay's deck: deck updates its layers (builds and uploads the attributes)
  // in its own next frame, not in setProps. `apply` runs that update at once so it is part of the batch.
  const overlay = (map as unknown as { _controls: unknown[] })._controls.find((c) => c instanceof MapboxOverlay) as
    | { _deck?: DeckInternals }
    | undefined;
  const deck = overlay?._deck;
  if (!deck?.layerManager) throw new Error('the tracks overlay has no deck yet');
  let frames: BenchFrames | null = null;
  const deckProto = Object.getPrototypeOf(deck) as { _drawLayers(this: unknown, ...a: unknown[]): void };
  const drawLayers = deckProto._drawLayers;
  deckProto._drawLayers = function (this: unknown, ...a: unknown[]) {
    const t = performance.now();
    drawLayers.apply(this, a);
    frames?.drawMs.push(performance.now() - t);
  };
  let last = performance.now();
  const onFrame = (now: number): void => {
    frames?.frameMs.push(now - last);
    last = now;
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);

  let batch = 0;
  let prepared: Track[] = [];
  window.bench = {
    info: { n, slices, firstDrawMs, batchBytes: texts[0]![0]!.length, renderer },
    prepare() {
      // Back and forth through the pre-built seconds: 0 1 … 7 6 … 1 0 1 …, each second's slices in turn.
      const k = Math.floor(batch / slices) % (2 * PREBUILT - 2);
      const text = texts[k < PREBUILT ? k : 2 * PREBUILT - 2 - k]![batch % slices]!;
      batch += 1;
      const a = performance.now();
      const payload: unknown = JSON.parse(text);
      const b = performance.now();
      prepared = validateTrackBatch(payload).items;
      const c = performance.now();
      return { decodeMs: b - a, validateMs: c - b };
    },
    apply() {
      const a = performance.now();
      store.upsert(prepared);
      const b = performance.now();
      layer.flushNow();
      deck.layerManager.updateLayers();
      const c = performance.now();
      prepared = [];
      return { applyMs: c - a, layerMs: c - b };
    },
    startFrames() {
      frames = { frameMs: [], drawMs: [], trailSegments: 0 };
    },
    stopFrames() {
      const done = frames ?? { frameMs: [], drawMs: [], trailSegments: 0 };
      frames = null;
      done.trailSegments = store.trails.count;
      return done;
    },
  };
}

main().catch((error: unknown) => {
  window.benchError = error instanceof Error ? `${error.message}\n${error.stack}` : String(error);
});
