import 'maplibre-gl/dist/maplibre-gl.css';
import '../unit/unit.css';
import './drone.css';
import type { DroneTelemetry, TrackId } from '@seawall/contracts';
import type { Session } from '../auth/session';
import { cleanSensorText } from '../format/track-format';
import { CrewApp } from '../unit/crew-app';
import { installCrewHooks } from '../unit/crew-hooks';
import { CrewMap } from '../unit/crew-map';
import { bootCrewPage } from '../unit/crew-session';
import { el, requireElement } from '../unit/dom';
import { registerServiceWorker } from '../unit/register-sw';
import { linkStateOf } from './link-state';
import { TelemetryPanel } from './telemetry-panel';

/** What browser tests may ask the drone page besides `window.seawallUnit` (its missions). */
export interface SeawallDroneHooks {
  /** The last telemetry received, or null. */
  telemetry(): DroneTelemetry | null;
  /** none / live / lost. */
  link(): string;
}

declare global {
  interface Window {
    seawallDrone?: SeawallDroneHooks;
  }
}

/** The drone crew client: the composition root of drone.html. */
function startDronePage(session: Session): void {
  const root = requireElement('app');
  const droneTrackId = (session.user.droneTrackId ?? null) as TrackId | null;
  const panel = new TelemetryPanel(droneTrackId);
  let follow = true;

  const dronePosition = (): { lon: number; lat: number; headingDeg: number | null } | null => {
    const t = panel.last;
    if (t) return { lon: t.lon, lat: t.lat, headingDeg: t.headingDeg };
    const track = droneTrackId ? app.store.get(droneTrackId) : undefined;
    return track ? { lon: track.lon, lat: track.lat, headingDeg: track.headingDeg ?? track.cogDeg } : null;
  };

  const app: CrewApp = new CrewApp({
    session,
    words: { none: '暂无任务 No mission — standing by', others: '其他任务 Other missions' },
    ownPosition: dronePosition,
    onTelemetry: (t) => {
      if (droneTrackId && t.trackId !== droneTrackId) return;
      panel.update(t, Date.now());
      app.request();
    },
  });

  const mapSection = el('section', 'crew-map');
  const mapCanvas = el('div', 'crew-map-canvas');
  mapCanvas.id = 'map';
  mapCanvas.setAttribute('role', 'application');
  mapCanvas.setAttribute('aria-label', '海图 chart');
  const followButton = el('button', 'follow-button');
  followButton.type = 'button';
  const showFollow = () => {
    followButton.textContent = follow ? '跟随中 Following' : '跟随 Follow';
    followButton.dataset.follow = String(follow);
  };
  showFollow();
  mapSection.append(mapCanvas, followButton);
  root.replaceChildren(app.header.element, panel.element, mapSection, app.card.element, app.list.element);
  const map = new CrewMap(mapCanvas, session.token);
  // Moving the chart by hand stops following until the crew asks again.
  map.map.on('dragstart', () => {
    follow = false;
    showFollow();
  });
  followButton.addEventListener('click', () => {
    follow = true;
    showFollow();
    map.frame(app.current() ? ['drone', 'target', 'target-track'] : ['drone']);
  });

  let framed = false;
  app.onRender(() => {
    const drone = dronePosition();
    const mission = app.current();
    const target = app.targetTrackOf(mission);
    panel.showTrack(droneTrackId ? (app.store.get(droneTrackId) ?? null) : null);
    map.set('drone', drone ? { ...drone, label: '无人机 Drone' } : null);
    map.set('target', mission ? { lon: mission.target.lon, lat: mission.target.lat, label: '目标 Target' } : null);
    map.set('target-track', target ? { lon: target.lon, lat: target.lat, headingDeg: target.headingDeg ?? target.cogDeg, label: cleanSensorText(target.name) ?? target.id } : null);
    if (mission) map.frameOnce(mission.id, ['drone', 'target', 'target-track']);
    else if (drone && !framed) {
      framed = true;
      map.frameOnce('drone', ['drone']);
    }
  });

  // Link state counts seconds; following keeps the drone in the middle of the chart at the crew's zoom.
  setInterval(() => {
    panel.tick(Date.now());
    if (follow) map.follow('drone', app.current() ? ['target', 'target-track'] : []);
  }, 1_000);

  installCrewHooks(app);
  window.seawallDrone = Object.freeze({
    telemetry: () => panel.last,
    link: () => linkStateOf(panel.lastAtMs, Date.now()).state,
  });
  app.start();
  registerServiceWorker();
  void map.loaded.then(() => {
    app.request();
    document.body.dataset.ready = 'true';
  });
}

bootCrewPage(requireElement('app'), startDronePage);
