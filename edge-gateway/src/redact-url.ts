/** A broker URL as it may be logged: without its password (MQTT URLs carry the identity's login). */
export function redactUrl(url: unknown): unknown {
  if (typeof url !== 'string') return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'invalid-url';
  }
}
