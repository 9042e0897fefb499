/**
 * The CLI as one JavaScript file, for the `steer` children that sweeps, `table1`, `compare` and
 * `steer worker` start (docs/sweeps.md "Scaling"). Run from the sources, every child starts tsx,
 * whose module-loader thread resolves and loads the TypeScript sources beside the main thread: a
 * child meant to use one core used about 1.15, and spent about a second of CPU starting. From the
 * bundle a child is one thread and starts in a fraction of that.
 *
 * The bundle is built with esbuild (a dev dependency: without it, or if the build fails, children
 * run from the sources as before) once per code version (codeVersion.ts: a hash of the
 * sources and the lockfile, so a bundle never runs other code than the sources), into
 * node_modules/.cache/steer-studio/, written atomically (several processes may build it at once),
 * and kept only when the sources did not change while esbuild read them. A process whose bundle
 * was removed meanwhile starts its children from the sources.
 * npm packages stay external, and modules keep resolving files relative to their source location
 * (sourceLocationPlugin.ts). `STEER_CHILD_BUNDLE=0` turns it off.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeHash } from './codeVersion.js';
import { sourceLocationPlugin } from './sourceLocationPlugin.js';

/** Environment variable: "0" makes children run from the sources. */
export const CLI_BUNDLE_ENV = 'STEER_CHILD_BUNDLE';

const CLI_ENTRY = fileURLToPath(new URL('../cli.ts', import.meta.url));
/** Where bundles are kept, one per code version. */
export const CLI_BUNDLE_DIR = fileURLToPath(
  new URL('../../../node_modules/.cache/steer-studio/', import.meta.url),
);

let building: Promise<string | null> | null = null;
let built: string | null = null;

/**
 * The bundle's path, built if this code version has none yet; null when bundles are off or cannot
 * be built (children then run from the sources). Built once per process.
 */
export async function prepareCliBundle(): Promise<string | null> {
  if (process.env[CLI_BUNDLE_ENV] === '0') return null;
  building ??= buildCliBundle().then(
    (path) => {
      built = path;
      return path;
    },
    (error: unknown) => {
      process.stderr.write(
        `steer: children run from the sources: no one-file CLI (${(error as Error).message})\n`,
      );
      return null;
    },
  );
  const path = await building;
  // in use: keep its time fresh so that another process's clean-up leaves it (removeStaleBundles)
  if (path !== null) await utimes(path, new Date(), new Date()).catch(() => {});
  return path;
}

/**
 * The bundle `prepareCliBundle` built, or null (not asked yet, off, not buildable, or removed since:
 * children then run from the sources).
 */
export function preparedCliBundle(): string | null {
  if (process.env[CLI_BUNDLE_ENV] === '0' || built === null) return null;
  return existsSync(built) ? built : null;
}

async function buildCliBundle(): Promise<string> {
  const hash = await codeHash();
  const file = join(CLI_BUNDLE_DIR, `steer-${hash}.mjs`);
  if (await exists(file)) return file;
  const { build } = await import('esbuild');
  await mkdir(CLI_BUNDLE_DIR, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await build({
      entryPoints: [CLI_ENTRY],
      outfile: temporary,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      plugins: [sourceLocationPlugin(CLI_BUNDLE_DIR)],
      logLevel: 'silent',
    });
    // the sources may have changed while esbuild read them: then the bundle is not this version's
    if ((await codeHash()) !== hash) throw new Error('the sources changed while it was built');
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
  await removeStaleBundles(file);
  return file;
}

/**
 * A bundle of other code untouched for a day: every process that used it has started its children
 * from it since (each start refreshes its time), so none is still using it.
 */
const STALE_MS = 86_400_000;

/** Removes the bundles of other code versions, and left-over temporary files, untouched for STALE_MS. */
async function removeStaleBundles(keep: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(CLI_BUNDLE_DIR)) {
    const path = join(CLI_BUNDLE_DIR, name);
    if (path === keep || !/^steer-[0-9a-f]+\.mjs(\.\d+\.tmp)?$/.test(name)) continue;
    const info = await stat(path).catch(() => null);
    if (info !== null && now - info.mtimeMs > STALE_MS) await rm(path, { force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
