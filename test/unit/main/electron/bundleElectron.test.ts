import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleElectron } from '../../../../src/main/electron/bundleElectron.js';
import { JobService } from '../../../../src/main/jobs/index.js';
import { bundledWorkerFile, useBundledWorkers } from '../../../../src/main/workers/tsWorker.js';
import { JobSpecSchema } from '../../../../src/shared/api/jobMethods.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

const outDirs: string[] = [];
afterAll(async () => {
  for (const dir of outDirs) await rm(dir, { recursive: true, force: true });
});

describe('bundleElectron', () => {
  it('builds a preload that requires nothing but electron (sandboxed) and an ES-module main', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'steer-electron-'));
    outDirs.push(outDir);
    const { main, workers, preload } = await bundleElectron(outDir);
    expect(workers.map((w) => basename(w))).toEqual([
      'jobWorker.mjs',
      'editorSimWorker.mjs',
      'bridgeIoWorker.mjs',
    ]);

    const preloadText = await readFile(preload, 'utf8');
    const required = [...preloadText.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preloadText).toContain('steerApi');

    const mainText = await readFile(main, 'utf8');
    expect(mainText).toMatch(/^import \{[^}]*\bBrowserWindow\b[^}]*\} from "electron";$/m);
    expect(mainText).toContain('steer:'); // the API channels come from the bundled contract
  });

  it('builds worker bundles that run without tsx: jobs train through jobWorker.mjs, a bridged one through bridgeIoWorker.mjs', async () => {
    // Inside the repository, so the bundles' npm imports (tfjs, zod, …) resolve from its node_modules.
    const outDir = await mkdtemp(join(REPO, '.tmp-electron-workers-'));
    const project = await mkdtemp(join(tmpdir(), 'steer-bundled-jobs-'));
    outDirs.push(outDir, project);
    const { workers } = await bundleElectron(outDir);
    for (const worker of workers) {
      const text = await readFile(worker, 'utf8');
      expect(text, worker).not.toMatch(/from ["']tsx|import\(["']tsx/); // tsx is not loaded
    }
    useBundledWorkers(outDir);
    try {
      const entry = new URL('../../../../src/main/jobs/jobWorker.ts', import.meta.url);
      expect(bundledWorkerFile(entry)).toBe(join(outDir, 'jobWorker.mjs'));
      const service = new JobService({ projectRoot: project });
      const spec = JobSpecSchema.parse({
        env: 'matrix:penalty-0',
        backend: 'cpu',
        updates: 1,
        config: { numEnvs: 2, episodeLength: 5, ppoEpochs: 1 },
      });
      const job = await service.whenEnded((await service.start(spec)).runId);
      expect(job).toMatchObject({ status: 'completed', update: 1, error: null });
      // a job's thread starts its own workers from the bundles too: the bridge's I/O thread here
      const bridged = JobSpecSchema.parse({
        env: 'pettingzoo:mpe:simple_spread_v3',
        backend: 'cpu',
        updates: 1,
        config: { numEnvs: 2, episodeLength: 5, ppoEpochs: 1 },
      });
      const bridgedJob = await service.whenEnded((await service.start(bridged)).runId);
      expect(bridgedJob).toMatchObject({ status: 'completed', update: 1, error: null });
      await service.close();
    } finally {
      useBundledWorkers(null);
    }
  });
});
