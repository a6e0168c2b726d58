import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { services } from './services';

/** What the pages expose to tests (web/src/test-hooks.ts, web/src/unit/crew-hooks.ts). */
declare global {
  interface Window {
    seawall?: {
      trackCount(): number;
      renderedTrackIds(): string[];
      alertCount(): number;
      orderStatus(id: string): string | null;
      trackPosition(id: string): [number, number] | null;
    };
    seawallUnit?: { currentOrder(): { id: string; status: string } | null };
  }
}

/** Where browser tests leave their screenshots (CI keeps the folder as an artifact). */
export const ARTIFACTS_DIR = new URL('../../test-artifacts/', import.meta.url).pathname;

/** True when Debian's chromium is installed; in CI its absence is a failure, not a skip. */
export function chromiumAvailable(): boolean {
  const found = existsSync(services.chromiumPath);
  if (!found && services.ci) throw new Error(`CI needs chromium at ${services.chromiumPath}`);
  return found;
}

/** Headless Chromium with software WebGL and no background traffic (the machine has no internet). */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: services.chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--enable-unsafe-swiftshader',
      '--use-angle=swiftshader',
      '--ignore-gpu-blocklist',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** Signs the page in before its scripts run (the session the login form would have stored). */
export async function signedIn(page: Page, serverUrl: string, username = 'supervisor', password = 'correct horse battery staple'): Promise<void> {
  const res = await fetch(`${serverUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login as ${username}: ${res.status}`);
  const session = await res.text();
  await page.addInitScript((s) => localStorage.setItem('seawall.session', s), session);
}
