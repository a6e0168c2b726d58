import mqtt from 'mqtt';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioMessages } from '../edge-gateway/src/scenario/hainan-scenario';
import { ARTIFACTS_DIR, chromiumAvailable, launchChromium } from './support/browser';
import { SUPERVISOR, TEST_PASSWORD, eventually, startTestSystem, type TestSystem } from './support/system';


describe.skipIf(!chromiumAvailable())('the live map in headless Chromium', () => {
  let system: TestSystem;
  let browser: Browser;

  beforeAll(async () => {
    system = await startTestSystem();
    // Ten minutes of the built-in Hainan scenario, sent through the real pipeline as raw AIVDM.
    const start = Date.UTC(2026, 0, 15, 2, 0, 0);
    const sensor = await mqtt.connectAsync(system.mqttUrl, { clientId: `scenario-e2e-${process.pid}-${Date.now()}` });
    for (const m of scenarioMessages(start, start + 10 * 60_000, { kinds: ['ais'] })) await sensor.publishAsync(m.topic, m.payload, { qos: 1 });
    await sensor.endAsync();
    await eventually(async () => {
      const { tracks } = (await (await system.api('/api/tracks')).json()) as { tracks: unknown[] };
      return tracks.length >= 5 ? true : undefined;
    }, 30_000, 'scenario tracks on the server');
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('loads the page, draws the map canvas and renders the scenario vessels as tracks', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(system.server.url);
    // Signed out: the login form, which refuses a wrong password and lets the supervisor in.
    await page.fill('#login input[name=username]', SUPERVISOR);
    await page.fill('#login input[name=password]', 'not the password');
    await page.click('#login button[type=submit]');
    await page.waitForFunction(() => (document.querySelector('.login-error')?.textContent ?? '').length > 0);
    expect(await page.locator('.login-error').innerText()).toContain('Wrong username or password');
    await page.fill('#login input[name=password]', TEST_PASSWORD);
    await page.click('#login button[type=submit]');
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await page.locator('#map canvas').count()).toBeGreaterThanOrEqual(1);

    const rendered = await eventually(async () => {
      const ids = await page.evaluate(() => window.seawall?.renderedTrackIds() ?? []);
      return ids.length > 0 ? ids : undefined;
    }, 30_000, 'a rendered track');
    expect(rendered.every((id) => id.startsWith('ais:'))).toBe(true);
    expect(await page.evaluate(() => window.seawall?.trackCount())).toBeGreaterThanOrEqual(5);
    await page.screenshot({ path: `${ARTIFACTS_DIR}/web-live-map.png` });
    expect(errors).toEqual([]);
  });
});
