/** What browser tests may ask the page; read-only, cheap unless called. */
export interface SeawallTestHooks {
  /** Tracks held in the page's store. */
  trackCount(): number;
  /** Ids of the tracks drawn in the current viewport, read back from deck's picking buffer. */
  renderedTrackIds(): string[];
  /** Alerts in the alert panel (open, acknowledged, dispatched). */
  alertCount(): number;
  /** The status the page knows for an order, or null when it knows no such order. */
  orderStatus(orderId: string): string | null;
  /** How many times the red-alert alarm went off (sound cannot be heard headless). */
  alarmCount(): number;
  /** Where the page holds a track now ([lon, lat]), or null when it holds no such track. */
  trackPosition(id: string): [number, number] | null;
}

declare global {
  interface Window {
    seawall?: SeawallTestHooks;
  }
}

/** Expose `window.seawall` for browser tests. */
export function installTestHooks(hooks: SeawallTestHooks, target: Window = window): void {
  target.seawall = Object.freeze({
    trackCount: () => hooks.trackCount(),
    renderedTrackIds: () => hooks.renderedTrackIds(),
    alertCount: () => hooks.alertCount(),
    orderStatus: (orderId: string) => hooks.orderStatus(orderId),
    alarmCount: () => hooks.alarmCount(),
    trackPosition: (id: string) => hooks.trackPosition(id),
  });
}

/** `<body data-ready="true">`: the map has loaded and the first snapshot is on screen. */
export function markReady(doc: Document = document): void {
  doc.body.dataset.ready = 'true';
}
