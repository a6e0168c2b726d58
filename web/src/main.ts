import 'maplibre-gl/dist/maplibre-gl.css';
import './styles/app.css';
import { HealthPoll } from './api/health-poll';
import { createMapView } from './map/map-view';
import { TracksLayer } from './map/tracks-layer';
import { RiskLegend } from './panels/risk-legend';
import { mountStatusBar } from './panels/status-bar';
import { TrackInspector } from './panels/track-inspector';
import { TrackTooltip } from './panels/track-tooltip';
import { TrackSocket } from './realtime/track-socket';
import { FrameBatcher } from './state/frame-batcher';
import { TrackStore } from './state/track-store';
import { installTestHooks, markReady } from './test-hooks';

function requireElement(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el;
}

/** The operator console's composition root: builds each part once and wires them. */
function startConsole(): void {
  const store = new TrackStore();
  const statusBar = mountStatusBar(requireElement('status-bar'));
  const mapContainer = requireElement('map');
  const { map, loaded } = createMapView(mapContainer);

  const tooltip = new TrackTooltip(mapContainer);
  let inspector: TrackInspector | null = null;
  const tracksLayer = new TracksLayer(map, store, {
    onHover: (event) => inspector?.handleHover(event),
    onClick: (event) => inspector?.handleClick(event),
  });
  inspector = new TrackInspector(map, store, tooltip, tracksLayer);
  const legend = new RiskLegend(mapContainer);

  const panels = new FrameBatcher(() => {
    statusBar.setTrackCount(store.size);
    statusBar.setLastUpdate(store.lastChangeMs);
    legend.update(store.list());
    inspector?.refresh();
  });
  store.subscribe(() => panels.request());

  const socket = new TrackSocket(store);
  socket.onStateChange((state) => statusBar.setConnection(state));
  socket.start();

  const health = new HealthPoll();
  health.onChange((state) => statusBar.setHealth(state));
  health.start();

  installTestHooks({
    trackCount: () => store.size,
    renderedTrackIds: () => tracksLayer.renderedTrackIds(),
  });

  void Promise.all([loaded, socket.firstSnapshot])
    .then(() => {
      panels.flushNow();
      return tracksLayer.whenDrawn();
    })
    .then(() => markReady());
}

startConsole();
