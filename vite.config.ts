/**
 * Vite build of the renderer (src/renderer → dist/renderer): `npm run build:renderer`. The web
 * host (src/main/web/server.ts) serves the output; the e2e test and `npm run bench:app` build into
 * a temporary folder with the same settings (`outDir` overridden).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Folder of index.html. */
export const RENDERER_ROOT = fileURLToPath(new URL('./src/renderer/', import.meta.url));
/** Where `npm run build:renderer` writes. */
export const RENDERER_OUT_DIR = fileURLToPath(new URL('./dist/renderer/', import.meta.url));

export default defineConfig({
  root: RENDERER_ROOT,
  base: './',
  publicDir: false,
  clearScreen: false,
  // The player's renderer worker (src/renderer/scene/sceneWorker.ts) is a module worker: bundled
  // as an ES module of its own (assets/sceneWorker-*.js), loaded from 'self' (CSP worker-src).
  worker: { format: 'es' },
  build: {
    outDir: RENDERER_OUT_DIR,
    emptyOutDir: true,
    target: 'es2022',
    // No inline polyfill script: the page's CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1024,
    reportCompressedSize: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments Rollup cannot place; harmless, and not ours to fix.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
        warn(warning);
      },
    },
  },
});
