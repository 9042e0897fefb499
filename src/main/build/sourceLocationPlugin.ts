/**
 * An esbuild plugin for bundles of our sources (the Electron main process and its workers:
 * src/main/electron/bundleElectron.ts; the CLI that sweeps start their children from:
 * cliBundle.ts): in every module under src/ (except the folders given), `import.meta.url` becomes
 * the URL of that module's source file, computed from the bundle's location. `new URL('./jobWorker.ts',
 * import.meta.url)` and `createRequire(import.meta.url)('../../../package.json')` then resolve as
 * they do when the sources run, wherever the bundle is.
 */
import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

/** src/, whose modules may resolve files relative to themselves. */
const SOURCE_DIR = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The plugin for a bundle written into `bundleDir`; modules under `keep` (absolute folder paths)
 * keep their `import.meta.url`, the bundle's own (src/main/electron: main.ts finds preload.cjs
 * beside its bundle).
 */
export function sourceLocationPlugin(bundleDir: string, keep: readonly string[] = []): Plugin {
  return {
    name: 'steer-source-location',
    setup(builder) {
      builder.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(SOURCE_DIR) || keep.some((dir) => args.path.startsWith(dir)))
          return undefined;
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
