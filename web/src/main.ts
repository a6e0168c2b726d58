import 'maplibre-gl/dist/maplibre-gl.css';
import './styles/app.css';
import type { OrderId, TrackId } from '@seawall/contracts';
import { HealthPoll } from './api/health-poll';
import { RestClient } from './api/rest-client';
import { showLogin } from './auth/login-view';
import { redirectFor } from './auth/role-home';
import { clearSession, loadSession, type Session } from './auth/session';
import { bindAttribute, bindText, language, onLanguageChange, t } from './i18n/i18n';
import { createLanguageToggle } from './i18n/language-toggle';
import { applyBasemap, loadBasemapConfig } from './map/basemap';
import { createMapView } from './map/map-view';
import { RiskControl, RiskLayer } from './map/risk-layer';
import { TracksLayer } from './map/tracks-layer';
import { AlertPanel } from './panels/alert-panel';
import { TrackDispatchButton, mountDispatchPanel, openDispatch } from './panels/dispatch-panel';
import { RiskLegend } from './panels/risk-legend';
import { mountStatusBar } from './panels/status-bar';
import { TrackInspector } from './panels/track-inspector';
import { TrackTooltip } from './panels/track-tooltip';
import { DispatchBook, UnitBoard } from './panels/unit-board';
import { FilterBar } from './panels/filter-bar';
import { TrackPanel } from './panels/track-panel';
import { TrackSocket } from './realtime/track-socket';
import { AlertStore, parseAlertList } from './state/alert-store';
import { FrameBatcher } from './state/frame-batcher';
import { TrackStore } from './state/track-store';
import { installTestHooks, markReady } from './test-hooks';

function requireElement(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no #${id}`);
  return el;
}

/** The page's language and title follow the chosen language. */
function followLanguage(): void {
  const apply = () => {
    document.documentElement.lang = language();
    document.title = t('app.title');
  };
  apply();
  onLanguageChange(apply);
}

/** Language, who is signed in, and sign out: the right end of the status bar. */
function sessionControls(session: Session): HTMLElement {
  const box = document.createElement('div');
  box.className = 'session-controls';
  const user = document.createElement('span');
  user.className = 'session-user';
  user.textContent = session.user.displayName || session.user.username;
  bindAttribute(user, 'title', () => t('app.signedInAs', { name: session.user.username }));
  const out = document.createElement('button');
  out.type = 'button';
  out.className = 'sign-out';
  bindText(out, 'app.signOut');
  out.addEventListener('click', signOut);
  box.append(createLanguageToggle(), user, out);
  return box;
}

/** The operator console's composition root: builds each part once and wires them. */
function startConsole(session: Session): void {
  followLanguage();
  const rest = new RestClient({ token: () => session.token, onUnauthorized: signOut });
  const store = new TrackStore();
  const statusRoot = requireElement('status-bar');
  const statusBar = mountStatusBar(statusRoot);
  statusRoot.append(sessionControls(session));
  const mapArea = requireElement('map-area');
  const mapContainer = requireElement('map');
  bindAttribute(mapContainer, 'aria-label', 'app.mapLabel');
  const { map, loaded } = createMapView(mapContainer, { token: session.token });
  // Offline chart by default; a configured tile basemap (and its datum) otherwise: see map/basemap.ts.
  const basemap = applyBasemap(map, loadBasemapConfig());
  const fetchJson = (path: string) => rest.get<unknown>(path);

  const tooltip = new TrackTooltip(mapContainer);
  let inspector: TrackInspector | null = null;
  const tracksLayer = new TracksLayer(map, store, {
    onHover: (event) => inspector?.handleHover(event),
    onClick: (event) => inspector?.handleClick(event),
    // On a GCJ-02 tile basemap the tracks are shifted with it, so they sit on the right spot.
    toDisplay: basemap.toDisplay,
  });
  const trackDispatch = new TrackDispatchButton(mapArea);
  const trackPanel = new TrackPanel(mapArea, map, fetchJson, { toDisplay: basemap.toDisplay, onClose: () => inspector?.unpin() });
  inspector = new TrackInspector(map, store, tooltip, {
    select(id) {
      tracksLayer.select(id);
      trackDispatch.setTrack(id);
      if (id) void trackPanel.show(id);
      else trackPanel.hide();
    },
  }, { cardWhenPinned: false });
  const legend = new RiskLegend(mapContainer);
  /** Pins a track as a click on its symbol would; false when it is not in the picture. */
  const selectTrack = (id: TrackId): boolean => {
    const track = store.get(id);
    if (!track || !inspector) return false;
    inspector.handleClick({ track, x: 0, y: 0 });
    return true;
  };

  const alerts = new AlertStore();
  const book = new DispatchBook();
  const side = requireElement('side-panels');
  mountDispatchPanel(mapArea, { rest, book, alertOf: (id) => alerts.get(id), trackOf: (id) => store.get(id) });
  const alertPanel = new AlertPanel(side, { store: alerts, rest, map, selectTrack, openDispatch });
  new UnitBoard(side, book);

  const filterBar = new FilterBar(mapArea, { tracks: () => store.list() });
  filterBar.onPick((id) => {
    selectTrack(id);
    const t = store.get(id);
    if (t) map.flyTo({ center: basemap.toDisplay(t.lon, t.lat), zoom: Math.max(map.getZoom(), 10) });
  });
  // The filter narrows what is drawn; the tracks layer applies `matchesFilter` (see filter-bar.ts).
  filterBar.onChange((filter) => tracksLayer.setFilter(filter));
  const risk = new RiskLayer(map, fetchJson, { toDisplay: basemap.toDisplay });
  new RiskControl(filterBar.element, risk);

  const panels = new FrameBatcher(() => {
    statusBar.setTrackCount(store.size);
    statusBar.setLastUpdate(store.lastChangeMs);
    legend.update(store.levelCounts());
    inspector?.refresh();
    filterBar.refresh();
    const shown = trackPanel.trackId ? store.get(trackPanel.trackId as TrackId) : undefined;
    if (shown) trackPanel.update(shown);
  });
  store.subscribe(() => panels.request());

  const socket = new TrackSocket(store, {
    socketOptions: { auth: { token: session.token } },
    onUnauthorized: signOut,
    // The track traffic is decoded and checked off the main thread (realtime/track-link.ts).
    worker: () => new Worker(new URL('./realtime/track-link.worker.ts', import.meta.url), { type: 'module', name: 'track-link' }),
  });
  let resolveAlertsLoaded!: () => void;
  const alertsLoaded = new Promise<void>((resolve) => {
    resolveAlertsLoaded = resolve;
  });
  let unitsFromSocket = false;
  // On every (re)connect: the lists from REST, merged with what the socket says meanwhile (see AlertStore).
  const loadLists = () => {
    const mark = alerts.mark();
    rest
      .get<{ alerts?: unknown }>('/api/alerts', { status: 'open,acknowledged,dispatched', limit: 2000 })
      .then((r) => alerts.replaceAll(parseAlertList(r.alerts), mark))
      .catch((err: unknown) => console.error('loading alerts failed', err))
      .finally(resolveAlertsLoaded);
    rest
      .get<{ orders?: unknown }>('/api/orders')
      .then((r) => book.replaceOrders(r.orders))
      .catch((err: unknown) => console.error('loading orders failed', err));
    // `units:snapshot` comes on every connect; the REST list only fills in until the first one has.
    rest
      .get<{ units?: unknown }>('/api/units')
      .then((r) => {
        if (!unitsFromSocket) book.replaceUnits(r.units);
      })
      .catch((err: unknown) => console.error('loading units failed', err));
  };
  socket.onStateChange((state) => {
    statusBar.setConnection(state);
    if (state === 'syncing') loadLists();
  });
  socket.start();
  socket.on('alert:raised', (payload) => alerts.apply(payload));
  socket.on('alert:updated', (payload) => alerts.apply(payload));
  socket.on('order:updated', (payload) => book.applyOrder(payload));
  socket.on('unit:updated', (payload) => book.applyUnit(payload));
  socket.on('units:snapshot', (payload) => {
    unitsFromSocket = true;
    book.replaceUnits(payload);
  });

  const health = new HealthPoll();
  health.onChange((state) => statusBar.setHealth(state));
  health.start();

  installTestHooks({
    trackCount: () => store.size,
    renderedTrackIds: () => tracksLayer.renderedTrackIds(),
    alertCount: () => alerts.size,
    orderStatus: (orderId) => book.order(orderId as OrderId)?.status ?? null,
    alarmCount: () => alertPanel.alarms,
    trackPosition: (id) => {
      const t = store.get(id as TrackId);
      return t ? [t.lon, t.lat] : null;
    },
  });

  void Promise.all([loaded, socket.firstSnapshot, alertsLoaded])
    .then(() => {
      panels.flushNow();
      return tracksLayer.whenDrawn();
    })
    .then(() => markReady());
}

/** A refused or expired session: back to the login form. */
function signOut(): void {
  clearSession();
  window.location.reload();
}

const session = loadSession();
// A patrol or drone crew signed in here belongs on its own page; operators and supervisors stay.
const elsewhere = session ? redirectFor(session.user.role, window.location.pathname) : null;
if (elsewhere) window.location.replace(elsewhere);
else if (session) startConsole(session);
else {
  followLanguage();
  showLogin(document.body, () => {
    // The console's elements were replaced by the form: reload into the signed-in page (or the crew's own).
    window.location.reload();
  });
  const corner = document.createElement('div');
  corner.className = 'login-lang';
  corner.append(createLanguageToggle());
  document.body.append(corner);
}
