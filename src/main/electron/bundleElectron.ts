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
 *   by name) resolve them from their source location (sourceLocationPlugin): package.json must
 *   ship beside dist/ (electron.config.ts `files`), the sources need not;
 * - preload.cjs: CommonJS with everything inlined, because a sandboxed preload can require only
 *   'electron'; built for the browser platform, so a `node:*` import fails the build instead of
 *   the window.
 *
 *   node --import tsx src/main/electron/bundleElectron.ts [outDir]
 */
import { readFile } from 'node:fs/promises';
import { basename, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** Electron 45 ships Node 22 and Chromium 142. */
const MAIN_TARGET = 'node22';
const PRELOAD_TARGET = 'chrome140';

/** Where `npm run build` writes. */
export const ELECTRON_OUT_DIR = fileURLToPath(new URL('../../../dist/electron/', import.meta.url));

/** src/, whose modules may resolve files relative to themselves. */
const SOURCE_DIR = fileURLToPath(new URL('../../', import.meta.url));
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
      plugins: [sourceLocationPlugin(dir)],
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

/**
 * In every module under src/ except src/main/electron, `import.meta.url` becomes the URL of that
 * module's source file, computed from the bundle's location: `new URL('./jobWorker.ts',
 * import.meta.url)` and `createRequire(import.meta.url)('../../../package.json')` then resolve as
 * they do when the sources run, in the repository and in the packaged app alike.
 */
function sourceLocationPlugin(bundleDir: string): Plugin {
  return {
    name: 'steer-source-location',
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(SOURCE_DIR) || args.path.startsWith(ELECTRON_SOURCE_DIR)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        const fromBundle = relative(bundleDir, args.path).split(sep).join('/');
        return {
          contents: text.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
          ),
          loader: 'ts',
        };
      });
    },
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { main, workers, preload } = await bundleElectron(process.argv[2] ?? ELECTRON_OUT_DIR);
  console.log(`electron bundles: ${[main, ...workers, preload].join(', ')}`);
}
