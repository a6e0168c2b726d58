import type { Fix } from './position-throttle';

/** Where the phone's position stands: being fixed by the phone, refused or unavailable (the feed stands in). */
export type GeolocationState = 'waiting' | 'gps' | 'denied' | 'unavailable';

/**
 * Follows the phone's position with `navigator.geolocation.watchPosition`. The browser asks the crew's
 * permission once; refused or without a fix, the page falls back to the unit's track from the feed (the
 * scenario's boats report over MQTT). Geolocation needs a secure origin (https, or localhost).
 */
export function watchOwnPosition(onFix: (fix: Fix) => void, onState: (state: GeolocationState) => void): () => void {
  if (!('geolocation' in navigator) || !window.isSecureContext) {
    onState('unavailable');
    return () => undefined;
  }
  onState('waiting');
  const id = navigator.geolocation.watchPosition(
    (p) => {
      onState('gps');
      onFix({ lon: p.coords.longitude, lat: p.coords.latitude, accuracyM: p.coords.accuracy, atMs: p.timestamp });
    },
    (err) => onState(err.code === err.PERMISSION_DENIED ? 'denied' : 'unavailable'),
    { enableHighAccuracy: true, maximumAge: 5_000, timeout: 30_000 },
  );
  return () => navigator.geolocation.clearWatch(id);
}
