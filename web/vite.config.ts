import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** The Seawall server in development (`npm start` at the repo root). */
const SERVER = 'http://127.0.0.1:8080';
const ROOT = fileURLToPath(new URL('.', import.meta.url));

/** The pages: the operator console, the patrol unit client, the drone crew client. */
const PAGES = {
  index: `${ROOT}index.html`,
  unit: `${ROOT}unit.html`,
  drone: `${ROOT}drone.html`,
};

/** The crew pages a phone keeps for a start without network (see public/sw.js). */
const SHELL_PAGES = ['unit.html', 'drone.html'];
/** Files from public/ that belong to the shell. */
const SHELL_PUBLIC = ['manifest.webmanifest', 'drone.webmanifest', 'icons/icon.svg'];

export default defineConfig({
  root: ROOT,
  plugins: [crewIcons(), appShell()],
  // The console's track link worker is a module worker (`type: 'module'`), same origin: CSP 'self' allows it.
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // maplibre-gl and deck.gl are large by nature; one map page loads both anyway.
    chunkSizeWarningLimit: 2500,
    rolldownOptions: { input: PAGES },
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

/**
 * The installable crew apps' PNG icons (`/icons/icon-{192,512}.png`, `/icons/maskable-{192,512}.png`),
 * drawn here rather than kept as binaries: the shield and waves of `public/icons/icon.svg`, rasterised with
 * 4×4 supersampling. The maskable ones fill the square (the launcher cuts its own shape; the shield stays
 * inside the 80 % safe circle).
 */
function crewIcons(): Plugin {
  const icons = new Map<string, Buffer>();
  for (const size of [192, 512]) {
    icons.set(`icons/icon-${size}.png`, drawIcon(size, false));
    icons.set(`icons/maskable-${size}.png`, drawIcon(size, true));
  }
  return {
    name: 'seawall-crew-icons',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const png = icons.get((req.url ?? '').replace(/^\//, '').split('?')[0] ?? '');
        if (!png) return next();
        res.setHeader('content-type', 'image/png');
        res.end(png);
      });
    },
    generateBundle() {
      for (const [fileName, source] of icons) this.emitFile({ type: 'asset', fileName, source });
    },
  };
}

/**
 * Lists what the crew pages need to start offline — their HTML, every chunk, stylesheet and asset they
 * import (statically or lazily), the manifests and icons — and writes the list and a build id into the built
 * `sw.js`. A new build changes `sw.js`, so phones install the new shell and drop the old one.
 */
function appShell(): Plugin {
  let files: string[] = [];
  return {
    name: 'seawall-app-shell',
    apply: 'build',
    generateBundle(_options, bundle) {
      const wanted = new Set<string>();
      const visit = (fileName: string) => {
        if (wanted.has(fileName)) return;
        const item = bundle[fileName];
        if (!item) return;
        wanted.add(fileName);
        if (item.type !== 'chunk') return;
        for (const f of [...item.imports, ...item.dynamicImports]) visit(f);
        const meta = (item as { viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> } }).viteMetadata;
        for (const f of meta?.importedCss ?? []) visit(f);
        for (const f of meta?.importedAssets ?? []) visit(f);
      };
      for (const item of Object.values(bundle)) {
        const page = item.type === 'chunk' && item.isEntry ? item.facadeModuleId?.split('/').pop() : undefined;
        if (page && SHELL_PAGES.includes(page)) visit(item.fileName);
      }
      for (const page of SHELL_PAGES) wanted.add(page);
      for (const name of Object.keys(bundle)) if (name.startsWith('icons/')) wanted.add(name);
      for (const f of SHELL_PUBLIC) wanted.add(f);
      files = [...wanted].filter((f) => !f.endsWith('.map')).sort();
    },
    closeBundle() {
      // public/ has been copied by now; fill in the worker's placeholders.
      const sw = `${ROOT}dist/sw.js`;
      if (!existsSync(sw) || files.length === 0) return;
      const list = files.map((f) => `/${f}`);
      const build = createHash('sha256').update(list.join('\n')).digest('hex').slice(0, 12);
      const text = readFileSync(sw, 'utf8')
        .replace("'__SEAWALL_BUILD__'", JSON.stringify(build))
        .replace('/*__SEAWALL_SHELL__*/ []', JSON.stringify(list));
      writeFileSync(sw, text);
    },
  };
}

/** The icon, `size` pixels square, as a PNG (RGBA, 8 bits). */
function drawIcon(size: number, maskable: boolean): Buffer {
  const NAVY = [10, 34, 54];
  const TEAL = [95, 212, 208];
  const SS = 4;
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0; // filter: none
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const x = (px + (sx + 0.5) / SS) / size;
          const y = (py + (sy + 0.5) / SS) / size;
          if (!maskable && !inRoundedSquare(x, y, 0.2)) continue;
          const c = inShield(x, y) && !onWave(x, y) ? TEAL : NAVY;
          r += c[0]!;
          g += c[1]!;
          b += c[2]!;
          a += 255;
        }
      }
      const n = SS * SS;
      const o = py * (size * 4 + 1) + 1 + px * 4;
      // Premultiplied sums: divide colour by the covered samples, alpha by all of them.
      const covered = a / 255;
      raw[o] = covered ? Math.round(r / covered) : 0;
      raw[o + 1] = covered ? Math.round(g / covered) : 0;
      raw[o + 2] = covered ? Math.round(b / covered) : 0;
      raw[o + 3] = Math.round(a / n);
    }
  }
  return encodePng(size, size, raw);
}

function inRoundedSquare(x: number, y: number, radius: number): boolean {
  const dx = Math.max(radius - x, 0, x - (1 - radius));
  const dy = Math.max(radius - y, 0, y - (1 - radius));
  return dx * dx + dy * dy <= radius * radius;
}

/** The shield of icon.svg: straight sides to y 0.5, then quadratic curves to the point at (0.5, 0.82). */
function inShield(x: number, y: number): boolean {
  if (y < 0.24 || y > 0.82) return false;
  if (y <= 0.5) return x >= 0.28 && x <= 0.72;
  // Right curve from (0.72, 0.5) via (0.72, 0.7) to (0.5, 0.82): y(t) = 0.5 + 0.4t - 0.08t², x(t) = 0.72 - 0.22t².
  const t = (0.4 - Math.sqrt(Math.max(0, 0.16 - 0.32 * (y - 0.5)))) / 0.16;
  return Math.abs(x - 0.5) <= 0.22 * (1 - t * t);
}

/** The two waves cut through the shield. */
function onWave(x: number, y: number): boolean {
  const phase = (2 * Math.PI * (x - 0.234)) / 0.328;
  return [0.45, 0.58].some((c) => Math.abs(y - (c - 0.045 * Math.sin(phase))) <= 0.028);
}

function encodePng(width: number, height: number, raw: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(data: Buffer): number {
  let c = ~0;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
