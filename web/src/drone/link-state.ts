/** How long after the last telemetry the drone's link still counts as live. */
export const LINK_LIVE_MS = 5_000;

/** The drone's link as the crew sees it: never heard, live, or lost for `agoS` seconds. */
export type LinkState = { state: 'none' } | { state: 'live' } | { state: 'lost'; agoS: number };

/** From the time (this browser's clock) the last telemetry arrived. */
export function linkStateOf(lastTelemetryMs: number | null, nowMs: number, liveMs = LINK_LIVE_MS): LinkState {
  if (lastTelemetryMs === null) return { state: 'none' };
  const ageMs = nowMs - lastTelemetryMs;
  if (ageMs <= liveMs) return { state: 'live' };
  return { state: 'lost', agoS: Math.floor(ageMs / 1000) };
}

/** `实时 live`, `中断 lost 12 s ago`, `无遥测 no telemetry`. */
export function linkLabel(link: LinkState): string {
  switch (link.state) {
    case 'none':
      return '无遥测 No telemetry';
    case 'live':
      return '实时 Live';
    case 'lost':
      return `中断 Lost ${formatAgo(link.agoS)} ago`;
  }
}

function formatAgo(s: number): string {
  if (s < 120) return `${s}s`;
  const min = Math.floor(s / 60);
  return min < 120 ? `${min} min` : `${Math.floor(min / 60)} h`;
}
