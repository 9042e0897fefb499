/**
 * What the dashboard reads from a run folder (src/main/jobs/runCatalog.ts): metrics.jsonl read
 * incrementally while a job appends to it, a line being written left for the next call, a resume's
 * rewrite (another file) read again from the start, a damaged line named by its number; a run
 * folder or scenario file whose real path leaves its folder (a symlink) refused; each evaluation's
 * replay folder new.
 */
import { appendFile, cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsLog } from '../../../../src/main/io/metricsLog.js';
import { RunCatalog } from '../../../../src/main/jobs/index.js';
import { ServiceError } from '../../../../src/main/services/serviceError.js';
import { truncateMetrics } from '../../../../src/main/train/runTraining.js';

let root: string;
let catalog: RunCatalog;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-run-catalog-'));
  await mkdir(join(root, 'runs', 'r'), { recursive: true });
  catalog = new RunCatalog(root);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const updates = async () => (await catalog.metrics('r')).map((r) => r.update);

describe('RunCatalog.metrics', () => {
  it('follows a growing file, then a resume’s rewrite', async () => {
    const path = join(root, 'runs', 'r', 'metrics.jsonl');
    expect(await updates()).toEqual([]);
    const log = MetricsLog.open(path);
    log.append({ update: 1, 'loss/policy': 0.5 });
    log.append({ update: 2, 'loss/policy': Number.NaN });
    expect(await updates()).toEqual([1, 2]);
    expect((await catalog.metrics('r'))[1]!['loss/policy']).toBeNull();
    await appendFile(path, '{"update": 3, "loss/pol'); // a line being written
    expect(await updates()).toEqual([1, 2]);
    await appendFile(path, 'icy": 0.25}\n{"update": 4}\n');
    expect(await updates()).toEqual([1, 2, 3, 4]);
    log.close();
    // A resume from the checkpoint at update 2 drops the later lines (an atomic rewrite), then appends.
    await truncateMetrics(path, 2);
    const resumed = MetricsLog.open(path);
    resumed.append({ update: 3 });
    resumed.append({ update: 4 });
    resumed.append({ update: 5 });
    resumed.close();
    expect(await updates()).toEqual([1, 2, 3, 4, 5]);
  });

  it('names a damaged line by its number', async () => {
    await mkdir(join(root, 'runs', 'bad'));
    await appendFile(join(root, 'runs', 'bad', 'metrics.jsonl'), '{"update": 1}\n[1, 2]\n');
    const error = await catalog.metrics('bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).code).toBe('unreadable');
    expect((error as ServiceError).message).toBe(
      'jobs.metrics: runs/bad/metrics.jsonl:2: expected a JSON object',
    );
  });
});

describe('RunCatalog paths', () => {
  it('refuses a run folder that is a symlink leading out of runs/, and a dangling one', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'steer-run-catalog-outside-'));
    try {
      await writeFile(join(outside, 'metrics.jsonl'), '{"update": 1}\n');
      await symlink(outside, join(root, 'runs', 'ext'), 'dir');
      await symlink(join(outside, 'missing'), join(root, 'runs', 'dangling'), 'dir');
      for (const id of ['ext', 'dangling']) {
        const error = await catalog.runDir(id, 'runs.evaluate').catch((e: unknown) => e);
        expect(error, id).toBeInstanceOf(ServiceError);
        expect(error, id).toMatchObject({
          code: 'refused',
          message: `runs.evaluate: runs/${id}: expected a folder inside runs/, the real path leaves it`,
        });
      }
      await expect(catalog.metrics('ext')).rejects.toMatchObject({ code: 'refused' });
      await expect(catalog.checkpoints('ext')).rejects.toMatchObject({ code: 'refused' });
      // Inside runs/: a real folder, a symlink to a sibling, and one not made yet (a new run).
      await symlink(join(root, 'runs', 'r'), join(root, 'runs', 'alias'), 'dir');
      for (const id of ['r', 'alias', 'new']) {
        await expect(catalog.runDir(id, 'x')).resolves.toBe(join(root, 'runs', id));
      }
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('takes scenario files only from scenarios/ and runs/scenarios/, real paths inside them', async () => {
    await mkdir(join(root, 'scenarios'), { recursive: true });
    await mkdir(join(root, 'runs', 'scenarios'), { recursive: true });
    await writeFile(join(root, 'scenarios', 'a.json'), '{}');
    await writeFile(join(root, 'runs', 'r', 'scenario.json'), '{}');
    await symlink(join(root, 'runs', 'r', 'scenario.json'), join(root, 'runs', 'scenarios', 'link.json'));
    await expect(catalog.scenarioFile('scenarios/a.json')).resolves.toMatch(/a\.json$/);
    await expect(catalog.scenarioFile('runs/r/scenario.json')).rejects.toMatchObject({
      code: 'invalid-request',
    });
    await expect(catalog.scenarioFile('runs/scenarios/link.json')).rejects.toMatchObject({
      code: 'refused',
      message:
        'jobs.start: scenario runs/scenarios/link.json: expected a file inside runs/scenarios/, the real path leaves it',
    });
  });
});

describe('RunCatalog.makeNewRunSubdir', () => {
  it('gives every evaluation a folder of its own, also when two ask at once', async () => {
    const first = await catalog.makeNewRunSubdir('r', 'replays/update-40', 'eval-', 'runs.evaluate');
    expect(first).toEqual({
      sub: 'replays/update-40/eval-1',
      dir: join(root, 'runs', 'r', 'replays', 'update-40', 'eval-1'),
    });
    const [a, b] = await Promise.all([
      catalog.makeNewRunSubdir('r', 'replays/update-40', 'eval-', 'runs.evaluate'),
      catalog.makeNewRunSubdir('r', 'replays/update-40', 'eval-', 'runs.evaluate'),
    ]);
    expect([a!.sub, b!.sub].sort()).toEqual(['replays/update-40/eval-2', 'replays/update-40/eval-3']);
    expect((await readdir(join(root, 'runs', 'r', 'replays', 'update-40'))).sort()).toEqual([
      'eval-1',
      'eval-2',
      'eval-3',
    ]);
  });
});

describe('RunCatalog.runs', () => {
  it('lists the bundled models/ after the runs, as models/<name>, so a fresh clone shows runs', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'steer-run-catalog-fresh-'));
    try {
      await cp(
        new URL('../../../../models/horm-easy', import.meta.url).pathname,
        join(fresh, 'models', 'horm-easy'),
        {
          recursive: true,
        },
      );
      const bundled = new RunCatalog(fresh);
      const runs = await bundled.runs(() => null);
      expect(runs.map((r) => r.runId)).toEqual(['models/horm-easy']);
      expect(runs[0]).toMatchObject({ algo: 'steer', env: 'horm:density-1', status: 'partial' });
      expect((await bundled.checkpoints('models/horm-easy')).map((c) => c.name)).toContain('latest');
      expect((await bundled.metrics('models/horm-easy')).length).toBeGreaterThan(600);
      // A run copied into runs/ comes first.
      await cp(join(fresh, 'models', 'horm-easy'), join(fresh, 'runs', 'mine'), { recursive: true });
      expect((await bundled.runs(() => null)).map((r) => r.runId)).toEqual(['mine', 'models/horm-easy']);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });
});
