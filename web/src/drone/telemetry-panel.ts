import type { DroneTelemetry, Track } from '@seawall/contracts';
import { cleanSensorText, formatDegrees, formatLocalDateTime } from '../format/track-format';
import { formatLatLon, formatSpeedMs } from '../unit/crew-format';
import { el } from '../unit/dom';
import { linkLabel, linkStateOf } from './link-state';
import { armedLabel, batteryTone, formatAltitude, formatBattery, formatGps, formatMode } from './telemetry-format';

type Field = 'position' | 'altitude' | 'speed' | 'heading' | 'battery' | 'armed' | 'mode' | 'link' | 'gps' | 'observed';

const LABELS: Readonly<Record<Field, string>> = {
  link: '链路 Link',
  battery: '电量 Battery',
  altitude: '高度 Altitude',
  speed: '速度 Speed',
  heading: '航向 Heading',
  mode: '模式 Mode',
  armed: '解锁 Armed',
  position: '位置 Position',
  gps: '定位 GPS',
  observed: '遥测时间 Observed',
};

/**
 * The drone's live telemetry, one field a row: link (live if telemetry came in the last 5 s, else how long
 * it has been lost), battery with a bar, altitude, speed in m/s and knots, heading, flight mode, armed,
 * position. The mode and vehicle names come from the autopilot: text only.
 */
export class TelemetryPanel {
  readonly element: HTMLElement;
  readonly #values = new Map<Field, HTMLElement>();
  readonly #title: HTMLElement;
  readonly #bar: HTMLElement;
  readonly #barFill: HTMLElement;
  #last: DroneTelemetry | null = null;
  #lastAtMs: number | null = null;

  constructor(droneTrackId: string | null) {
    this.element = el('section', 'telemetry');
    this.element.dataset.testid = 'telemetry';
    const head = el('header', 'telemetry-head');
    head.append(el('span', 'section-title', '无人机遥测 Drone telemetry'));
    this.#title = el('span', 'telemetry-drone', droneTrackId ?? '未绑定无人机 No drone assigned');
    head.append(this.#title);
    const grid = el('dl', 'telemetry-grid');
    for (const field of Object.keys(LABELS) as Field[]) {
      const dt = el('dt', undefined, LABELS[field]);
      const dd = el('dd', `telemetry-value telemetry-${field}`, '—');
      dd.dataset.field = field;
      this.#values.set(field, dd);
      grid.append(dt, dd);
    }
    this.#bar = el('div', 'battery-bar');
    this.#barFill = el('div', 'battery-fill');
    this.#bar.append(this.#barFill);
    this.#values.get('battery')!.after(this.#bar);
    this.element.append(head, grid);
  }

  /** The last telemetry and when (this browser's clock) it came. */
  get last(): DroneTelemetry | null {
    return this.#last;
  }

  get lastAtMs(): number | null {
    return this.#lastAtMs;
  }

  update(t: DroneTelemetry, receivedAtMs: number): void {
    this.#last = t;
    this.#lastAtMs = receivedAtMs;
    const vehicle = [cleanSensorText(t.vehicleType ?? null), cleanSensorText(t.autopilot ?? null)].filter(Boolean).join(' · ');
    this.#title.textContent = vehicle ? `${t.trackId} · ${vehicle}` : t.trackId;
    this.#set('position', formatLatLon(t.lat, t.lon));
    this.#set('altitude', formatAltitude(t.altitudeM, t.relativeAltitudeM));
    this.#set('speed', formatSpeedMs(t.groundSpeedMs));
    this.#set('heading', formatDegrees(t.headingDeg));
    this.#set('battery', formatBattery(t.batteryPct) + (t.voltageV != null ? ` · ${t.voltageV.toFixed(1)} V` : ''));
    const tone = batteryTone(t.batteryPct);
    this.#values.get('battery')!.dataset.tone = tone;
    this.#bar.dataset.tone = tone;
    this.#barFill.style.width = `${Math.max(0, Math.min(100, t.batteryPct ?? 0))}%`;
    this.#set('armed', armedLabel(t.armed));
    this.#values.get('armed')!.dataset.armed = t.armed == null ? 'unknown' : String(t.armed);
    this.#set('mode', formatMode(t.mode));
    this.#set('gps', formatGps(t.gpsFixType, t.satellites));
    this.tick(receivedAtMs);
  }

  /** Before any telemetry: the drone's track, if the feed has it. */
  showTrack(track: Track | null): void {
    if (this.#last || !track) return;
    this.#set('position', formatLatLon(track.lat, track.lon));
    this.#set('heading', formatDegrees(track.headingDeg ?? track.cogDeg));
  }

  /** Link state and ages move on every second. */
  tick(nowMs: number): void {
    const link = linkStateOf(this.#lastAtMs, nowMs);
    const linkField = this.#values.get('link')!;
    linkField.textContent = linkLabel(link);
    linkField.dataset.link = link.state;
    this.element.dataset.link = link.state;
    if (this.#last) this.#set('observed', formatLocalDateTime(this.#last.observedAtMs, nowMs));
  }

  #set(field: Field, text: string): void {
    this.#values.get(field)!.textContent = text;
  }
}
