// The bench page: the console's real map, track store, tracks layer and track link, fed over socket.io
// by the runner (run.ts) with a synthetic feed of N tracks that all move every second. A batch goes
// the console's way: the link reads its binary track frame (checking every value as it reads) and
// encodes the tracks into columns, all in the link's worker (track-link.worker.ts); the
// page receives the encoded batch and applies it (store + layer update). The page holds each
// received track batch back until the runner calls `bench.apply()`, so the runner can read the main
// thread's CPU time around the apply; the page times receiving and applying every batch itself, and
// every animation frame's interval.
// Query string: n (tracks), slices (batches a second).
import 'maplibre-gl/dist/maplibre-gl.css';
import { MapboxOverlay } from '@deck.gl/mapbox';
import { createMapView } from '../../web/src/map/map-view';
import { TracksLayer } from '../../web/src/map/tracks-layer';
import type { TrackLinkMessage, TrackLinkWork } from '../../web/src/realtime/link-protocol';
import { TrackSocket } from '../../web/src/realtime/track-socket';
import { TrackStore } from '../../web/src/state/track-store';

/** What the page hands the runner once set up. */
export interface BenchPageInfo {
  n: number;
  slices: number;
  /** From opening the link to deck having drawn the snapshot, ms. */
  firstDrawMs: number;
  /** What the snapshot cost the worker, ms. */
  snapshotWork: TrackLinkWork;
  /** What the snapshot cost the main thread, ms: reading the message (its records are cloned, not transferred) and applying it. */
  snapshotReceiveMs: number;
  snapshotApplyMs: number;
  renderer: string;
}

/** One batch as it arrived: the worker's times and the main thread's receiving of the message, ms. */
export interface BenchArrival {
  work: TrackLinkWork;
  /** Reading the message on the main thread (structured-clone decoding of what was not transferred). */
  receiveMs: number;
  items: number;
  records: number;
}

/** One batch's apply, wall clock, ms. */
export interface BenchApplyTimes {
  /** Store apply + layer update (flushNow and deck's layer update, which uploads the attributes). */
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
  /** Resolves when the next track batch has come from the worker (it is held for `apply`). */
  nextBatch(): Promise<BenchArrival>;
  /** Apply the held batch. */
  apply(): BenchApplyTimes;
  startFrames(): void;
  stopFrames(): BenchFrames;
}

declare global {
  interface Window {
    bench?: BenchApi;
    benchError?: string;
  }
}

/** The parts of deck the page times; deck seals its objects, so their prototypes are wrapped. */
interface DeckInternals {
  layerManager: { updateLayers(): void };
  _drawLayers(...a: unknown[]): void;
}

async function main(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const n = Number(params.get('n') ?? 1000);
  const slices = Number(params.get('slices') ?? 1);

  const store = new TrackStore();
  const { map, loaded } = createMapView(document.getElementById('map')!);
  const layer = new TracksLayer(map, store);
  await loaded;

  const workers: Worker[] = [];
  const socket = new TrackSocket(store, {
    socketOptions: { transports: ['websocket'] },
    worker: () => {
      const spawned = new Worker('/track-link.worker.js', { type: 'module', name: 'track-link' });
      workers.push(spawned);
      return spawned;
    },
  });
  const t0 = performance.now();
  socket.start();
  const w = workers[0];
  const deliver = w?.onmessage;
  if (!w || !deliver) throw new Error('the track link worker did not start');
  // Track deltas wait here for the runner; everything else (the snapshot, states) goes straight on.
  const held: { event: MessageEvent<TrackLinkMessage>; arrival: BenchArrival }[] = [];
  let waiting: ((arrival: BenchArrival) => void) | null = null;
  let snapshotReceiveMs = NaN;
  let snapshotApplyMs = NaN;
  w.onmessage = (event: MessageEvent<TrackLinkMessage>) => {
    const a = performance.now();
    const message = event.data;
    const receiveMs = performance.now() - a;
    if (message.type === 'tracks' && message.batch.kind === 'replace') {
      snapshotReceiveMs = receiveMs;
      const b = performance.now();
      deliver.call(w, event);
      snapshotApplyMs = performance.now() - b;
      return;
    }
    if (message.type !== 'tracks' || message.batch.kind !== 'upsert') return deliver.call(w, event);
    const arrival = { work: message.work, receiveMs, items: message.batch.slots.length, records: message.batch.records.length };
    held.push({ event, arrival });
    if (waiting) {
      waiting(arrival);
      waiting = null;
    }
  };
  await socket.firstSnapshot;
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

  window.bench = {
    info: { n, slices, firstDrawMs, snapshotWork: socket.lastWork!, snapshotReceiveMs, snapshotApplyMs, renderer },
    nextBatch() {
      const first = held[0];
      if (first) return Promise.resolve(first.arrival);
      return new Promise((resolve) => {
        waiting = resolve;
      });
    },
    apply() {
      const batch = held.shift();
      if (!batch) throw new Error('no batch to apply');
      const a = performance.now();
      deliver.call(w, batch.event);
      const b = performance.now();
      layer.flushNow();
      deck.layerManager.updateLayers();
      const c = performance.now();
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
