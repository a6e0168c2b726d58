// Loads a `seawall` command straight from its TypeScript sources, with no build step for the user.
//
// Fast path: an esbuild bundle of the command module and the TypeScript it imports (workspace packages
// included; JavaScript packages stay external and load from node_modules as usual), cached in
// edge-gateway/node_modules/.cache/seawall/ and rebuilt whenever any of its input files changes size or
// mtime. Start-up is then about 0.1 s instead of about 0.5 s through tsx, whose loader thread dominates
// a short command. Fallback, taken silently: tsx's ESM loader (`tsx/esm/api` register()), when esbuild is
// not installed, the cache cannot be written, or the command's sources use `import.meta` (a bundle would
// change what `import.meta.url` points at).
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = new URL('../node_modules/.cache/seawall/', import.meta.url);
// Bump when the build below changes, so older bundles are rebuilt.
const CACHE_FORMAT = 1;

/** Imports the command module at `moduleUrl` (a .ts file) and returns its namespace. */
export async function loadCommand(name, moduleUrl) {
  const bundle = await bundledCommand(name, moduleUrl).catch(() => null);
  if (bundle !== null) return import(bundle.href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(moduleUrl.href);
}

/** The URL of an up-to-date bundle of the command, building it if needed; null when it cannot be bundled. */
async function bundledCommand(name, moduleUrl) {
  const out = new URL(`${name}.mjs`, CACHE);
  const manifestUrl = new URL(`${name}.json`, CACHE);
  const manifest = readManifest(manifestUrl);
  if (manifest?.format === CACHE_FORMAT && manifest.entry === moduleUrl.href && manifest.inputs.every(isUnchanged)) {
    return manifest.bundled ? out : null;
  }

  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [fileURLToPath(moduleUrl)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    outfile: fileURLToPath(out),
    metafile: true,
    logLevel: 'silent',
    plugins: [externalJavaScriptPackages],
  });
  const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(p));
  const bundled = !inputs.some((p) => /\bimport\.meta\b/.test(readFileSync(p, 'utf8')));
  mkdirSync(CACHE, { recursive: true });
  if (bundled) writeAtomically(out, result.outputFiles[0].contents);
  writeAtomically(
    manifestUrl,
    JSON.stringify({ format: CACHE_FORMAT, entry: moduleUrl.href, bundled, inputs: inputs.map(fingerprint) }),
  );
  return bundled ? out : null;
}

/** Bare imports that resolve to JavaScript stay imports; TypeScript ones (workspace packages) are bundled. */
const externalJavaScriptPackages = {
  name: 'external-javascript-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { resolving: true },
      });
      if (resolved.errors.length === 0 && /\.[cm]?tsx?$/.test(resolved.path)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

function readManifest(url) {
  try {
    return JSON.parse(readFileSync(url, 'utf8'));
  } catch {
    return null;
  }
}

function fingerprint(path) {
  const s = statSync(path);
  return { path, size: s.size, mtimeMs: s.mtimeMs };
}

function isUnchanged(input) {
  const s = statSync(input.path, { throwIfNoEntry: false });
  return s !== undefined && s.size === input.size && s.mtimeMs === input.mtimeMs;
}

/** Writes beside the target and renames, so a concurrent `seawall` never imports half a file. */
function writeAtomically(url, contents) {
  const path = fileURLToPath(url);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
}
