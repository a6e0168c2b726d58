/**
 * Which real services the tests use. On a bare machine nothing is configured and the tests run on the
 * embedded defaults (aedes, PGlite); CI sets DATABASE_URL and MQTT_URL to the machine's PostgreSQL/PostGIS
 * and Mosquitto, and the tests run against those as well.
 */
export const services = {
  databaseUrl: process.env.DATABASE_URL || undefined,
  mqttUrl: process.env.MQTT_URL || undefined,
  chromiumPath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  /** In CI a missing service is a failure, never a skip. */
  ci: process.env.CI === 'true',
};

/** The shared fixtures folder beside the repository (`../shared/fixtures`). */
export function fixturePath(relative: string): string {
  return new URL(`../../../shared/fixtures/${relative}`, import.meta.url).pathname;
}
