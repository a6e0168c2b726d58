// Steps shared by `npm start` and `npm test` on a fresh clone. Plain Node, no dependencies: it runs
// before `node_modules` exists.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args, what) {
  process.stderr.write(`seawall: ${what}…\n`);
  const r = spawnSync(npm, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`seawall: ${what} failed (npm ${args.join(' ')})\n`);
    process.exit(r.status ?? 1);
  }
}

/** Installs the locked dependency tree when it is missing or older than the lockfile. */
export function ensureDependencies() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  run(['ci', '--no-audit', '--no-fund'], 'installing dependencies (npm ci)');
}

function newestMtime(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Builds the web client when `web/dist` is missing or older than its sources or the contract. */
export function ensureWebBuild() {
  const built = join(root, 'web', 'dist', 'index.html');
  const sources = ['web/src', 'web/index.html', 'web/unit.html', 'web/drone.html', 'web/public', 'web/vite.config.ts', 'server/contracts/src']
    .map((p) => join(root, p))
    .filter(existsSync);
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  run(['run', 'build', '-w', 'web'], 'building the web client');
}
