import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The Seawall server in development (`npm start` at the repo root). */
const SERVER = 'http://127.0.0.1:8080';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // maplibre-gl and deck.gl are large by nature; one map page loads both anyway.
    chunkSizeWarningLimit: 2500,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': SERVER,
      '/health': SERVER,
      '/socket.io': { target: SERVER, ws: true },
    },
  },
  preview: { host: '127.0.0.1' },
});
