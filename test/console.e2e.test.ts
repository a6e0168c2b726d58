import { topics, type Alert } from '@seawall/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioMessages } from '../edge-gateway/src/scenario/hainan-scenario';
import { ARTIFACTS_DIR, chromiumAvailable, launchChromium, signedIn } from './support/browser';
import { TEST_PASSWORD, eventually, startTestSystem, type TestSystem } from './support/system';

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const HOSTILE_MMSI = 412_999_001;

/**
 * The built-in scenario on the wall clock: the last five minutes at once, then each message when its time
 * comes, as the sensors would send them. Returns the function that stops it.
 */
function liveFeed(sensor: MqttClient): () => void {
  const start = Date.now() - 5 * 60_000;
  const messages = scenarioMessages(start, start + 30 * 60_000, { kinds: ['ais', 'radar'] });
  let next = 0;
  const tick = () => {
    for (; next < messages.length && messages[next]!.t <= Date.now(); next++) void sensor.publishAsync(messages[next]!.topic, messages[next]!.payload, { qos: 1 });
  };
  tick();
  const timer = setInterval(tick, 1_000);
  return () => clearInterval(timer);
}

/** A boat without AIS off Haikou, seen by a radar reporting as a JSON sensor: an unidentified-target alert. */
async function threat(system: TestSystem, sensor: MqttClient): Promise<Alert> {
  const t0 = Date.now() - 8 * 60_000;
  const reports = Array.from({ length: 12 }, (_, i) => ({
    kind: 'radar.target', observedAtMs: t0 + i * 30_000, targetNumber: 77, lon: 110.31, lat: 20.16 - i * 0.002, sogKn: 8, cogDeg: 180, status: 'tracking',
  }));
  await sensor.publishAsync(topics.sensor('json', 'rdr-console'), JSON.stringify(reports), { qos: 1 });
  return eventually(async () => {
    const { alerts } = (await (await system.api('/api/alerts?rule=unidentified-target')).json()) as { alerts: Alert[] };
    return alerts.find((a) => a.trackIds[0] === 'radar:rdr-console:77');
  }, 20_000, 'the unidentified-target alert');
}

describe.skipIf(!chromiumAvailable())('the operator console and the patrol unit client in headless Chromium', () => {
  let system: TestSystem;
  let browser: Browser;
  let sensor: MqttClient;
  let stopFeed: () => void;
  let console_: Page;
  let operator: string;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    system = await startTestSystem();
    sensor = await mqtt.connectAsync(system.mqttUrl, { clientId: `console-e2e-${process.pid}` });
    stopFeed = liveFeed(sensor);
    await eventually(async () => {
      const { tracks } = (await (await system.api('/api/tracks')).json()) as { tracks: unknown[] };
      return tracks.length >= 10 ? true : undefined;
    }, 60_000, 'live tracks on the server');
    operator = (await system.user('operator')).username;
    browser = await launchChromium();
    console_ = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    console_.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    console_.on('pageerror', (e) => pageErrors.push(e.message));
    await signedIn(console_, system.server.url, operator, TEST_PASSWORD);
    await console_.goto(system.server.url);
    await console_.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    stopFeed?.();
    await sensor?.endAsync();
    await browser?.close();
    await system?.stop();
  });

  it('runs the track link in a Web Worker, not on the page', async () => {
    // Once tracks are drawn the link has spoken; a worker that failed before that is terminated and the
    // page falls back to the main thread without a word.
    await eventually(async () => ((await console_.evaluate(() => window.seawall!.renderedTrackIds())).length > 0 ? true : undefined), 30_000, 'tracks drawn');
    const links = console_.workers().filter((w) => w.url().includes('track-link'));
    expect(links.map((w) => w.url())).toHaveLength(1);
  });

  it('shows the three rings and tracks that move', async () => {
    const legend = await console_.locator('.ring-legend').innerText();
    for (const ring of ['近海', '岸线', '岛内']) expect(legend).toContain(ring);
    const drawn = await eventually(async () => {
      const ids = await console_.evaluate(() => window.seawall!.renderedTrackIds());
      return ids.length >= 5 ? ids : undefined;
    }, 30_000, 'tracks drawn');
    const id = drawn.find((i) => i.startsWith('ais:'))!;
    const before = await console_.evaluate((i) => window.seawall!.trackPosition(i), id);
    await eventually(async () => {
      const now = await console_.evaluate((i) => window.seawall!.trackPosition(i), id);
      return now && before && (now[0] !== before[0] || now[1] !== before[1]) ? true : undefined;
    }, 60_000, `track ${id} to move on the page`);
    await console_.screenshot({ path: `${ARTIFACTS_DIR}/console-live.png` });
  });

  it('puts a threat alert in the panel, dispatches it, and follows the unit accepting it on its phone', async () => {
    const alert = await threat(system, sensor);
    const row = console_.locator(`#alert-panel [data-alert-id="${alert.id}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-level')).toBe('yellow');
    expect(await row.innerText()).toContain(alert.summary);
    await console_.screenshot({ path: `${ARTIFACTS_DIR}/console-alert.png` });

    // A real mouse click (press, then release) while the live feed keeps the panel busy. It is the first press
    // in the page, the one that unblocks the alarm sound and so hides the sound hint above the list: that
    // must wait for the release, or the rows move up under the press and the release misses the button.
    await row.locator('[data-action="dispatch"]').click();
    const first = console_.locator('#dispatch-panel [data-unit-id]').first();
    await first.waitFor({ timeout: 20_000 });
    expect(await first.getAttribute('data-unit-id')).toBe('pb-haikou-01');
    await console_.screenshot({ path: `${ARTIFACTS_DIR}/console-dispatch.png` });
    await console_.locator('#dispatch-panel button[data-action="send"][data-unit-id="pb-haikou-01"]').click();
    const orderId = await eventually(async () => (await console_.locator('#dispatch-panel [data-order-id]').first().getAttribute('data-order-id').catch(() => null)) ?? undefined, 20_000, 'the order');
    expect(await console_.evaluate((id) => window.seawall!.orderStatus(id), orderId)).toBe('sent');

    // The patrol boat's crew, on a phone.
    const crew = (await system.user('unit', 'pb-haikou-01')).username;
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    try {
      const unitPage = await phone.newPage();
      unitPage.on('pageerror', (e) => pageErrors.push(`unit: ${e.message}`));
      await signedIn(unitPage, system.server.url, crew, TEST_PASSWORD);
      await unitPage.goto(`${system.server.url}/unit.html`);
      const card = unitPage.locator(`.order-card[data-order-id="${orderId}"]`);
      await card.waitFor({ timeout: 30_000 });
      await unitPage.screenshot({ path: `${ARTIFACTS_DIR}/unit-order.png` });
      await card.locator('[data-action="accept"]').click();
      await eventually(async () => ((await card.getAttribute('data-order-status')) === 'accepted' ? true : undefined), 15_000, 'the phone to show the order accepted');
      await unitPage.screenshot({ path: `${ARTIFACTS_DIR}/unit-accepted.png` });
    } finally {
      await phone.close();
    }

    // The console follows: the order accepted, the boat assigned to it on the unit board.
    await eventually(async () => ((await console_.evaluate((id) => window.seawall!.orderStatus(id), orderId)) === 'accepted' ? true : undefined), 15_000, 'the console to show the acceptance');
    const boat = console_.locator('#unit-board [data-unit-id="pb-haikou-01"]');
    expect(await boat.getAttribute('data-order-status')).toBe('accepted');
    expect(await boat.getAttribute('data-status')).toBe('assigned');
    expect(await row.getAttribute('data-status')).toBe('dispatched');
    await console_.screenshot({ path: `${ARTIFACTS_DIR}/console-accepted.png` });
    await console_.locator('#dispatch-panel [data-action="close"]').click();
  });

  it('shows a ship named <img src=x onerror=alert(1)> by that literal name, and runs nothing', async () => {
    const at = Date.now();
    const reports = [
      { kind: 'ais.static', observedAtMs: at - 2_000, mmsi: HOSTILE_MMSI, msgType: 5, aisClass: 'A', shipName: HOSTILE_NAME, callsign: '<b>X</b>', destination: '"><script>alert(2)</script>' },
      ...[0, 1, 2].map((i) => ({
        kind: 'ais.position', observedAtMs: at - 2_000 + i * 1_000, mmsi: HOSTILE_MMSI, msgType: 1, aisClass: 'A',
        lon: 110.25 + i * 0.001, lat: 20.12, sogKn: 6, cogDeg: 90, headingDeg: 90, navStatus: 0, rotDegPerMin: 0, accuracy: true,
      })),
    ];
    await sensor.publishAsync(topics.sensor('json', 'rx-console'), JSON.stringify(reports), { qos: 1 });
    const search = console_.locator('[data-role="track-search"]');
    await search.fill(String(HOSTILE_MMSI));
    const hit = console_.locator(`[data-role="search-results"] [data-track-id="ais:${HOSTILE_MMSI}"]`);
    await hit.waitFor({ timeout: 20_000 });
    expect(await hit.innerText()).toContain(HOSTILE_NAME);
    await hit.click();
    const panel = console_.locator(`[data-track-id="ais:${HOSTILE_MMSI}"]`).filter({ hasText: HOSTILE_NAME }).first();
    await panel.waitFor({ timeout: 20_000 });
    expect(await panel.innerText()).toContain(HOSTILE_NAME);
    await console_.screenshot({ path: `${ARTIFACTS_DIR}/console-hostile-name.png` });

    expect(await console_.locator('img[src="x"]').count()).toBe(0);
    expect(await console_.locator('script:has-text("alert(2)")').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
