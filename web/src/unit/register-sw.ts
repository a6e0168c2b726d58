/**
 * Registers the service worker (`public/sw.js`) that keeps the app shell for a start without network. Not
 * in the Vite dev server (its modules are not the built ones), and only where browsers allow workers: a
 * secure origin (https, or localhost).
 */
export function registerServiceWorker(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  const register = () =>
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => console.warn('service worker not registered', error));
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}
