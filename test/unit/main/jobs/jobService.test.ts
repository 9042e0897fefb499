/**
 * The job service (src/main/jobs): tiny matrix:penalty-0 jobs on the cpu backend in real worker
 * threads. A job completes to its budget and its metrics file grows; a stopped job ends "stopped"
 * with a checkpoint at the update it reached and resumes to the budget; a bad spec is refused
 * before any thread starts, naming the field; a worker that fails ends its job "failed" with the
 * message; the bundled HORM model evaluates and records replays the player can open.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetrics } from '../../../../src/main/io/metricsLog.js';
import { JobService } from '../../../../src/main/jobs/index.js';
import { ServiceError } from '../../../../src/main/services/serviceError.js';
import { isReplayPath } from '../../../../src/shared/api/contract.js';
import { type JobSpec, JobSpecSchema } from '../../../../src/shared/api/jobMethods.js';

/** Few, tiny updates: about a second each on a busy machine. */
const TINY = { numEnvs: 2, episodeLength: 5, ppoEpochs: 2 };
const REPOSITORY = join(import.meta.dirname, '..', '..', '..', '..');

let root: string;
let service: JobService;

function spec(fields: Record<string, unknown>): JobSpec {
  return JobSpecSchema.parse({ env: 'matrix:penalty-0', backend: 'cpu', config: TINY, ...fields });
}

/** The ServiceError `promise` rejects with (fails the test when it resolves). */
async function apiError(promise: Promise<unknown> | (() => unknown)): Promise<ServiceError> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(ServiceError);
    return error as ServiceError;
  }
  throw new Error('expected an ServiceError');
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-jobs-'));
  await mkdir(join(root, 'scenarios'));
  await writeFile(join(root, 'scenarios', 'broken.json'), '{"name": "broken", "density": 7}\n');
  await cp(join(REPOSITORY, 'scenarios', 'horm-easy.json'), join(root, 'scenarios', 'horm-easy.json'));
  service = new JobService({ projectRoot: root, now: () => new Date('2026-11-26T01:02:03Z') });
});

afterAll(async () => {
  await service?.close();
  await rm(root, { recursive: true, force: true });
});

describe('JobService', () => {
  it('runs a tiny job in a worker to its budget; the metrics file grows with it', async () => {
    const started = await service.start(spec({ updates: 3, seed: 2 }));
    expect(started).toMatchObject({
      runId: 'dash-20261126-1',
      status: 'starting',
      env: 'matrix:penalty0',
      seed: 2,
      totalUpdates: 3,
    });
    // The host keeps answering while the worker trains: poll the metrics as the dashboard does.
    const seen: number[] = [];
    let since = 0;
    while (service.get(started.runId)!.status !== 'completed') {
      const page = await service.metrics(started.runId, since);
      seen.push(page.total);
      since = page.total;
      expect(service.get(started.runId)!.status).not.toBe('failed');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const job = (await service.whenEnded(started.runId))!;
    expect(job).toMatchObject({ status: 'completed', update: 3, backend: 'cpu', error: null });
    expect(seen.some((total) => total > 0 && total < 3)).toBe(true); // seen while it grew

    const dir = join(root, 'runs', started.runId);
    const { records } = await readMetrics(join(dir, 'metrics.jsonl'));
    expect(records.map((r) => r.update)).toEqual([1, 2, 3]);
    const page = await service.metrics(started.runId, 1);
    expect(page).toMatchObject({ from: 1, total: 3, more: false });
    expect(page.records.map((r) => r.update)).toEqual([2, 3]);
    expect(page.records[0]).toHaveProperty(['loss/policy']);

    const argv = JSON.parse(await readFile(join(dir, 'argv.json'), 'utf8'));
    expect(argv.created.argv).toEqual(
      expect.arrayContaining(['train', '--env', 'matrix:penalty0', '--out', `runs/${started.runId}`]),
    );
    expect(argv.created.backend).toBe('cpu');
    expect(await service.checkpoints(started.runId)).toEqual([
      expect.objectContaining({ name: 'latest', update: 3 }),
    ]);
    const runs = await service.runs();
    expect(runs).toEqual([
      expect.objectContaining({ runId: started.runId, status: 'complete', update: 3, totalUpdates: 3 }),
    ]);

    // A matrix run evaluates by its §c.7 greedy episode: no replays.
    const evaluation = await service.evaluate(started.runId, { episodes: 2, record: true, backend: 'cpu' });
    expect(evaluation).toMatchObject({ runId: started.runId, update: 3, episodes: 1, replays: [] });
    expect(evaluation.metrics).toHaveProperty('return/agent0');
    expect(evaluation.metrics).toHaveProperty('converged');
  });

  it('stops a job mid-run with a checkpoint, then resumes it to the budget', async () => {
    const started = await service.start(spec({ updates: 8, runId: 'stop-me', checkpointEvery: 100 }));
    await expect
      .poll(() => service.get('stop-me')!.update, { timeout: 60_000, interval: 50 })
      .toBeGreaterThan(0);
    expect(service.stop(started.runId).status).toBe('stopping');
    const stopped = (await service.whenEnded('stop-me'))!;
    expect(stopped.status).toBe('stopped');
    expect(stopped.update).toBeGreaterThan(0);
    expect(stopped.update).toBeLessThan(8);
    // checkpointEvery 100: the only checkpoint is the one the stop wrote.
    const [checkpoint] = await service.checkpoints('stop-me');
    expect(checkpoint!.update).toBe(stopped.update);
    expect((await service.runs()).find((r) => r.runId === 'stop-me')).toMatchObject({ status: 'partial' });
    expect((await apiError(() => service.stop('stop-me'))).code).toBe('refused');

    // Two resumes at once (a double click): one job per run, the other is refused.
    const [first, second] = await Promise.allSettled([
      service.resume('stop-me', 'cpu'),
      service.resume('stop-me', 'cpu'),
    ]);
    expect(first.status).toBe('fulfilled');
    const resumed = (first as PromiseFulfilledResult<Awaited<ReturnType<JobService['resume']>>>).value;
    expect(resumed).toMatchObject({ status: 'starting', startUpdate: stopped.update });
    expect(((second as PromiseRejectedResult).reason as ServiceError).code).toBe('refused');
    expect((await apiError(service.resume('stop-me', 'cpu'))).code).toBe('refused');
    const done = (await service.whenEnded('stop-me'))!;
    expect(done).toMatchObject({ status: 'completed', update: 8, startUpdate: stopped.update });
    const { records } = await readMetrics(join(root, 'runs', 'stop-me', 'metrics.jsonl'));
    expect(records.map((r) => r.update)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const argv = JSON.parse(await readFile(join(root, 'runs', 'stop-me', 'argv.json'), 'utf8'));
    expect(argv.resumes[0].argv).toEqual(['train', '--resume', 'runs/stop-me', '--backend', 'cpu']);
    expect((await apiError(service.resume('stop-me', 'cpu'))).message).toMatch(/already complete \(8\/8/);
  });

  it('trains a scenario file: the copy goes into the run folder, the HORM evaluation into the metrics', async () => {
    const started = await service.start(
      JobSpecSchema.parse({
        scenario: 'scenarios/horm-easy.json',
        backend: 'cpu',
        updates: 1,
        runId: 'horm-tiny',
        config: { numEnvs: 1, episodeLength: 5, ppoEpochs: 1 },
      }),
    );
    expect(started).toMatchObject({ env: 'horm:density-1', scenario: 'HORM easy', seed: 0 });
    const done = (await service.whenEnded('horm-tiny'))!;
    expect(done).toMatchObject({ status: 'completed', update: 1 });
    const dir = join(root, 'runs', 'horm-tiny');
    expect(await readFile(join(dir, 'scenario.json'), 'utf8')).toBe(
      await readFile(join(REPOSITORY, 'scenarios', 'horm-easy.json'), 'utf8'),
    );
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config.scenario).toEqual({
      file: 'scenario.json',
      source: 'scenarios/horm-easy.json',
      name: 'HORM easy',
    });
    const { records } = await service.metrics('horm-tiny', 0);
    expect(records[0]).toHaveProperty(['eval/crashRate']);
  });

  it('refuses a bad spec before starting anything, naming what is wrong', async () => {
    const before = service.list().length;
    const unknownEnv = await apiError(service.start(spec({ env: 'matrix:nope' })));
    expect(unknownEnv.code).toBe('invalid-request');
    expect(unknownEnv.message).toMatch(/Unknown env "matrix:nope".*Valid names: .*matrix:penalty-100/);

    const badKey = await apiError(service.start(spec({ config: { numEnvz: 2 } })));
    expect(badKey.code).toBe('invalid-request');
    expect(badKey.message).toMatch(/numEnvz/);
    const badValue = await apiError(service.start(spec({ config: { numEnvs: 0 } })));
    expect(badValue.message).toMatch(/config\.numEnvs/);

    const missing = await apiError(service.start(spec({ env: undefined, scenario: 'scenarios/none.json' })));
    expect(missing.code).toBe('not-found');
    const invalid = await apiError(
      service.start(spec({ env: undefined, scenario: 'scenarios/broken.json' })),
    );
    expect(invalid.code).toBe('invalid-request');
    expect(invalid.message).toMatch(/scenarios\/broken\.json/);

    const taken = await apiError(service.start(spec({ runId: 'stop-me' })));
    expect(taken.code).toBe('refused');
    expect(taken.message).toMatch(/runs\/stop-me already exists/);
    expect((await apiError(service.resume('no-such-run', 'cpu'))).code).toBe('not-found');
    expect((await apiError(() => service.stop('no-such-run'))).code).toBe('not-found');
    expect((await apiError(service.metrics('no-such-run', 0))).code).toBe('not-found');
    expect(service.list()).toHaveLength(before);

    // Shapes the schema refuses: both env and scenario, a path leaving its root, a bad run id.
    for (const bad of [
      { env: 'matrix:penalty-0', scenario: 'scenarios/horm-easy.json' },
      {},
      { scenario: 'scenarios/../etc/passwd.json' },
      { scenario: '/etc/x.json' },
      { env: 'matrix:penalty-0', runId: '../x' },
      { env: 'matrix:penalty-0', backend: 'gpu' },
      { env: 'matrix:penalty-0', updates: 0 },
    ]) {
      expect(JobSpecSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('ends a job "failed" with the message when its worker fails', async () => {
    // tfjs-node-gpu is an optional dependency this machine lacks: the worker's backend choice throws.
    const started = await service.start(spec({ runId: 'no-gpu', backend: 'tfjs-node-gpu' }));
    const failed = (await service.whenEnded(started.runId))!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/tfjs-node-gpu/);
    expect(failed.endedAt).not.toBeNull();
  });

  it('stops running jobs with a checkpoint when the process is about to exit', async () => {
    // A child process starts a long job, waits for its first update and returns: its event loop
    // drains, `beforeExit` stops the job, and the process ends once the checkpoint is saved.
    const script = `
      const { JobService } = await import(${JSON.stringify(new URL('../../../../src/main/jobs/index.ts', import.meta.url).href)});
      const service = new JobService({ projectRoot: ${JSON.stringify(root)} });
      await service.start({ env: 'matrix:penalty-0', backend: 'cpu', config: ${JSON.stringify(TINY)}, updates: 500, runId: 'exiting' });
      while (service.get('exiting').update < 1) await new Promise((r) => setTimeout(r, 50));
      console.log('returning at update', service.get('exiting').update);
    `;
    const file = join(root, 'exiting.mjs');
    await writeFile(file, script);
    const { execFile } = await import('node:child_process');
    const output = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', file],
        { cwd: REPOSITORY, timeout: 90_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(output).toMatch(/returning at update \d+/);
    const [checkpoint] = await service.checkpoints('exiting');
    expect(checkpoint!.update).toBeGreaterThan(0);
    expect(checkpoint!.update).toBeLessThan(500);
    const { records } = await readMetrics(join(root, 'runs', 'exiting', 'metrics.jsonl'));
    expect(records.at(-1)!.update).toBe(checkpoint!.update);
  });

  it('evaluates a HORM run in a worker and records replays under the run folder', async () => {
    await cp(join(REPOSITORY, 'models', 'horm-easy'), join(root, 'runs', 'horm-easy'), { recursive: true });
    const result = await service.evaluate('horm-easy', { episodes: 1, record: true, backend: 'cpu' });
    expect(result.env).toBe('horm:density-1');
    expect(result.episodes).toBe(1);
    expect(result.metrics).toHaveProperty('crashRate');
    expect(result.metrics).toHaveProperty('meanSpeed');
    expect(result.replays).toEqual([
      `runs/horm-easy/replays/update-${result.update}/eval-1/episode-0-seed-10000.replay`,
    ]);
    expect(isReplayPath(result.replays[0]!)).toBe(true);
    const bytes = await readFile(join(root, ...result.replays[0]!.split('/')));
    expect(bytes.length).toBeGreaterThan(1000);
    const noCheckpoint = await apiError(
      service.evaluate('stop-me-not', { episodes: 1, record: false, backend: 'cpu' }),
    );
    expect(noCheckpoint.code).toBe('not-found');
  });

  it('evaluates a bundled model without writing into models/, each evaluation in a folder of its own', async () => {
    await cp(join(REPOSITORY, 'models', 'horm-easy'), join(root, 'models', 'horm-easy'), { recursive: true });
    expect((await service.runs()).map((r) => r.runId)).toContain('models/horm-easy');
    const first = await service.evaluate('models/horm-easy', { episodes: 1, record: true, backend: 'cpu' });
    const second = await service.evaluate('models/horm-easy', { episodes: 1, record: true, backend: 'cpu' });
    const dir = `runs/replays/models/horm-easy/update-${first.update}`;
    expect(first.replays).toEqual([`${dir}/eval-1/episode-0-seed-10000.replay`]);
    expect(second.replays).toEqual([`${dir}/eval-2/episode-0-seed-10000.replay`]);
    for (const path of [...first.replays, ...second.replays]) {
      expect(isReplayPath(path)).toBe(true);
      expect(existsSync(join(root, ...path.split('/')))).toBe(true);
    }
    expect(existsSync(join(root, 'models', 'horm-easy', 'replays'))).toBe(false);
    const resume = await apiError(service.resume('models/horm-easy', 'cpu'));
    expect([resume.code, resume.message]).toEqual([
      'refused',
      'jobs.resume: models/horm-easy is a bundled model (read-only); copy it into runs/ to train it',
    ]);
  });

  it('refuses a run folder that is a symlink out of runs/: nothing read or written there', async () => {
    // A complete run outside the project, linked in as runs/ext: evaluating it would record its
    // replays outside the project folder.
    const outside = await mkdtemp(join(tmpdir(), 'steer-jobs-outside-'));
    try {
      await cp(join(REPOSITORY, 'models', 'horm-easy'), outside, { recursive: true });
      await mkdir(join(root, 'runs'), { recursive: true });
      await symlink(outside, join(root, 'runs', 'ext'), 'dir');
      const refusals = [
        () => service.evaluate('ext', { episodes: 1, record: true, backend: 'cpu' }),
        () => service.resume('ext', 'cpu'),
        () => service.metrics('ext', 0),
        () => service.checkpoints('ext'),
        () => service.start(spec({ runId: 'ext' })),
      ];
      for (const refusal of refusals) {
        const error = await apiError(refusal());
        expect(error.code).toBe('refused');
        expect(error.message).toMatch(/runs\/ext: expected a folder inside runs\/, the real path leaves it/);
      }
      expect(existsSync(join(outside, 'replays'))).toBe(false);
      expect((await service.runs()).map((r) => r.runId)).not.toContain('ext');

      // A run inside runs/ whose replays/ leads out: the evaluation is refused before it records.
      await cp(join(REPOSITORY, 'models', 'horm-easy'), join(root, 'runs', 'linked-replays'), {
        recursive: true,
      });
      await mkdir(join(outside, 'elsewhere'));
      await symlink(join(outside, 'elsewhere'), join(root, 'runs', 'linked-replays', 'replays'), 'dir');
      const error = await apiError(
        service.evaluate('linked-replays', { episodes: 1, record: true, backend: 'cpu' }),
      );
      expect(error.code).toBe('refused');
      expect(error.message).toMatch(/runs\/linked-replays\/replays\/update-\d+: expected a folder inside/);
      expect(await readdir(join(outside, 'elsewhere'))).toEqual([]);
    } finally {
      await rm(join(root, 'runs', 'linked-replays'), { recursive: true, force: true });
      await rm(join(root, 'runs', 'ext'), { force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });
});
