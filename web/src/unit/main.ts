import 'maplibre-gl/dist/maplibre-gl.css';
import './unit.css';
import type { TrackId } from '@seawall/contracts';
import type { Session } from '../auth/session';
import { CrewApp } from './crew-app';
import { installCrewHooks } from './crew-hooks';
import { CrewMap } from './crew-map';
import { bootCrewPage } from './crew-session';
import { el, requireElement } from './dom';
import { watchOwnPosition, type GeolocationState } from './own-position';
import { PositionThrottle, type Fix } from './position-throttle';
import { registerServiceWorker } from './register-sw';
import { cleanSensorText } from '../format/track-format';

/** A phone fix older than this no longer stands for where the crew is; the feed takes over. */
const GPS_FRESH_MS = 120_000;

type OwnSource = { lon: number; lat: number; source: 'gps' | 'track' | 'report'; accuracyM?: number };

/** The patrol unit client: the composition root of unit.html. */
function startUnitPage(session: Session): void {
  const root = requireElement('app');
  const ownTrackId = `unit:${session.user.unitId ?? ''}` as TrackId;
  let gps: Fix | null = null;
  let geoState: GeolocationState = 'waiting';

  const own = (): OwnSource | null => {
    if (gps && Date.now() - gps.atMs < GPS_FRESH_MS) return { lon: gps.lon, lat: gps.lat, source: 'gps', accuracyM: gps.accuracyM };
    const track = app.store.get(ownTrackId);
    if (track) return { lon: track.lon, lat: track.lat, source: 'track' };
    const unit = app.unit;
    if (unit?.lon != null && unit.lat != null) return { lon: unit.lon, lat: unit.lat, source: 'report' };
    return null;
  };

  const app = new CrewApp({
    session,
    words: { none: '暂无指令，待命中 No order — standing by', others: '其他待办指令 Other pending orders' },
    ownPosition: own,
  });

  const mapSection = el('section', 'crew-map');
  const mapCanvas = el('div', 'crew-map-canvas');
  mapCanvas.id = 'map';
  mapCanvas.setAttribute('role', 'application');
  mapCanvas.setAttribute('aria-label', '海图 chart');
  mapSection.append(mapCanvas);
  root.replaceChildren(app.header.element, app.card.element, mapSection, app.list.element);
  const map = new CrewMap(mapCanvas, session.token);

  // The phone's own position, reported at most every 15 s; when it has none, the unit's track stands in.
  const throttle = new PositionThrottle();
  let retry: ReturnType<typeof setTimeout> | null = null;
  const decide = (decision: ReturnType<PositionThrottle['due']>) => {
    if (decision.send) app.reportPosition(decision.send.lon, decision.send.lat);
    if (retry !== null) clearTimeout(retry);
    retry = decision.retryAtMs === null ? null : setTimeout(() => decide(throttle.due(Date.now())), Math.max(0, decision.retryAtMs - Date.now()));
  };
  watchOwnPosition(
    (fix) => {
      gps = fix;
      decide(throttle.offer(fix, Date.now()));
      app.request();
    },
    (state) => {
      geoState = state;
      app.request();
    },
  );

  app.onRender(() => {
    const me = own();
    const order = app.current();
    const target = app.targetTrackOf(order);
    const unitName = app.unit ? (cleanSensorText(app.unit.name) ?? app.unit.id) : '本船 Own';
    map.set('own', me ? { lon: me.lon, lat: me.lat, label: unitName } : null);
    map.set('target', order ? { lon: order.target.lon, lat: order.target.lat, label: '目标 Target' } : null);
    map.set('target-track', target ? { lon: target.lon, lat: target.lat, headingDeg: target.headingDeg ?? target.cogDeg, label: cleanSensorText(target.name) ?? target.id } : null);
    if (order) map.frameOnce(order.id, ['own', 'target', 'target-track']);
    else if (me) map.frameOnce('own', ['own']);
    app.header.setPositionSource(positionText(me, geoState));
  });

  installCrewHooks(app);
  app.start();
  registerServiceWorker();
  void map.loaded.then(() => {
    app.request();
    document.body.dataset.ready = 'true';
  });
}

function positionText(me: OwnSource | null, geo: GeolocationState): string {
  if (me?.source === 'gps') return `GPS ±${Math.round(me.accuracyM ?? 0)} m`;
  const why = geo === 'denied' ? ' (定位被拒 location refused)' : '';
  if (me?.source === 'track') return `航迹 Feed${why}`;
  if (me?.source === 'report') return `上报位置 Last report${why}`;
  return `位置未知 No position${why}`;
}

bootCrewPage(requireElement('app'), startUnitPage);
