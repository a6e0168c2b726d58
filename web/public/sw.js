/*
 * Seawall crew apps' service worker: keeps the app shell (the unit and drone pages, their scripts, styles,
 * manifests and icons) so a phone can open the app without network, and otherwise stays out of the way.
 *
 * - /api, /socket.io, /health, /metrics: not handled here, straight to the network; never cached.
 * - pages (navigations, *.html, manifests): network first, the kept copy when offline.
 * - /assets/* (content-hashed by Vite, never change): the kept copy first, else the network.
 *
 * The build writes the shell's file list and a build id below (web/vite.config.ts); a new build is a new
 * worker, which keeps the new shell and deletes the old one when it takes over.
 */
const BUILD = '__SEAWALL_BUILD__';
const SHELL = /*__SEAWALL_SHELL__*/ [];
const CACHE = `seawall-shell-${BUILD}`;
const NEVER = ['/api/', '/socket.io/', '/health', '/metrics'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // One by one: a file that fails to load must not keep the rest out.
      await Promise.all(
        SHELL.map((url) =>
          fetch(new Request(url, { cache: 'reload' }))
            .then((res) => (res.ok ? cache.put(url, res) : undefined))
            .catch(() => undefined),
        ),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith('seawall-shell-') && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (NEVER.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (url.pathname.startsWith('/assets/')) event.respondWith(keptFirst(request));
  else if (request.mode === 'navigate' || /\.(html|webmanifest)$/.test(url.pathname) || url.pathname.startsWith('/icons/')) {
    event.respondWith(networkFirst(request));
  }
});

async function keptFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    // Revalidate with the server rather than trust the HTTP cache: a new build must reach the crew.
    const res = await fetch(request, { cache: 'no-cache' });
    if (res.ok) await cache.put(request, res.clone());
    return res;
  } catch (error) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}
