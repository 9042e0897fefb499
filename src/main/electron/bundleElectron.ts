/**
 * Bundles the Electron main process, its worker threads and the preload into dist/electron
 * (`npm run build` runs this after the renderer's vite build):
 * - main.mjs: an ES module for Electron's Node (npm packages stay external: electron-builder
 *   packs the production dependencies);
 * - jobWorker.mjs, editorSimWorker.mjs: the worker entries of the training jobs and of sim.run
 *   (WORKER_ENTRIES), bundled the same way; main.mjs starts its workers from these
 *   (src/main/workers/tsWorker.ts `useBundledWorkers`), so the built and packaged app runs no
 *   TypeScript: tsx's esbuild binary could not run from inside app.asar.
 *   Modules under src/ that resolve files relative to themselves through `import.meta.url`
 *   (package.json for the version; the .ts worker entries, which tsWorker.ts maps to the bundles
 *   by name) resolve them from their source location (build/sourceLocationPlugin.ts): package.json must
 *   ship beside dist/ (electron.config.ts `files`), the sources need not;
 * - preload.cjs: CommonJS with everything inlined, because a sandboxed preload can require only
 *   'electron'; built for the browser platform, so a `node:*` import fails the build instead of
 *   the window.
 *
 *   node --import tsx src/main/electron/bundleElectron.ts [outDir]
 */
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { sourceLocationPlugin } from '../build/sourceLocationPlugin.js';

/** Electron 45 ships Node 22 and Chromium 142. */
const MAIN_TARGET = 'node22';
const PRELOAD_TARGET = 'chrome140';

/** Where `npm run build` writes. */
export const ELECTRON_OUT_DIR = fileURLToPath(new URL('../../../dist/electron/', import.meta.url));

/** This folder: its import.meta.url means the bundle's own location (main.ts finds preload.cjs). */
const ELECTRON_SOURCE_DIR = fileURLToPath(new URL('./', import.meta.url));

/** Source entry points. */
const MAIN_ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));
const PRELOAD_ENTRY = fileURLToPath(new URL('./preload.ts', import.meta.url));
/**
 * Every module main.mjs starts a worker thread on, bundled to `<name>.mjs` (the name is how
 * tsWorker.ts finds the bundle of an entry, so names must differ).
 */
export const WORKER_ENTRIES = Object.freeze([
  fileURLToPath(new URL('../jobs/jobWorker.ts', import.meta.url)),
  fileURLToPath(new URL('../sim/editorSimWorker.ts', import.meta.url)),
  fileURLToPath(new URL('../bridge/bridgeIoWorker.ts', import.meta.url)),
]);

/** Builds main.mjs, the worker bundles and preload.cjs into `outDir`; resolves to their paths. */
export async function bundleElectron(
  outDir: string = ELECTRON_OUT_DIR,
): Promise<{ main: string; workers: string[]; preload: string }> {
  const dir = outDir.replace(/[\\/]$/, '');
  const main = `${dir}/main.mjs`;
  const preload = `${dir}/preload.cjs`;
  const workers = WORKER_ENTRIES.map((entry) => `${dir}/${basename(entry).replace(/\.ts$/, '.mjs')}`);
  /** How main.mjs and the workers are built: Node ESM, npm packages external. */
  const nodeModule = (entry: string, outfile: string) =>
    build({
      entryPoints: [entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: MAIN_TARGET,
      packages: 'external',
      external: ['electron'],
      plugins: [sourceLocationPlugin(dir, [ELECTRON_SOURCE_DIR])],
      sourcemap: true,
      logLevel: 'warning',
    });
  await Promise.all([
    nodeModule(MAIN_ENTRY, main),
    ...WORKER_ENTRIES.map((entry, i) => nodeModule(entry, workers[i]!)),
    build({
      entryPoints: [PRELOAD_ENTRY],
      outfile: preload,
      bundle: true,
      platform: 'browser',
      format: 'cjs',
      target: PRELOAD_TARGET,
      external: ['electron'],
      minify: true, // parsed at every window load; the source map keeps it readable
      sourcemap: true,
      logLevel: 'warning',
    }),
  ]);
  return { main, workers, preload };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { main, workers, preload } = await bundleElectron(process.argv[2] ?? ELECTRON_OUT_DIR);
  console.log(`electron bundles: ${[main, ...workers, preload].join(', ')}`);
}
