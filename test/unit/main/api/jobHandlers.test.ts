/**
 * The dashboard's handlers (src/main/api/jobHandlers.ts) behind dispatchApiCall, as every
 * transport runs them: their responses pass the contract's schemas, and failures come back as
 * error data with the right code. One tiny job trains, to show that the algorithm asked for is
 * the one the run gets (the job service has its own tests of training).
 */
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALGORITHM_NAMES, algorithmNamed } from '../../../../src/core/algos/registry.js';
import { speakingTheContract } from '../../../../src/main/api/handlers.js';
import { createJobHandlers } from '../../../../src/main/api/jobHandlers.js';
import { JobService } from '../../../../src/main/jobs/index.js';
import { type ApiHandlers, dispatchApiCall } from '../../../../src/shared/api/contract.js';

const REPOSITORY = join(import.meta.dirname, '..', '..', '..', '..');
let root: string;
let service: JobService;
let handlers: ApiHandlers;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-job-handlers-'));
  await mkdir(join(root, 'scenarios'));
  await mkdir(join(root, 'runs', 'scenarios'), { recursive: true }); // not a run: skipped
  await cp(join(REPOSITORY, 'scenarios', 'horm-easy.json'), join(root, 'scenarios', 'horm-easy.json'));
  await cp(join(REPOSITORY, 'models', 'horm-easy'), join(root, 'runs', 'horm-easy'), { recursive: true });
  service = new JobService({ projectRoot: root });
  handlers = speakingTheContract(createJobHandlers({ projectRoot: root }, service) as unknown as ApiHandlers);
});

afterAll(async () => {
  await service?.close();
  await rm(root, { recursive: true, force: true });
});

describe('job handlers', () => {
  it('list what a job can train on', async () => {
    const result = await dispatchApiCall(handlers, 'jobs.options', {});
    expect(result.ok).toBe(true);
    const response = (result as { response: { scenarios: unknown[]; envs: string[]; backends: string[] } })
      .response;
    expect(response.scenarios).toEqual([{ path: 'scenarios/horm-easy.json', name: 'HORM easy' }]);
    expect(response.envs).toEqual(expect.arrayContaining(['matrix:penalty0', 'horm:density-1']));
    expect(response.backends[0]).toBe('auto');
  });

  it('list the algorithms of the registry with their summaries', async () => {
    const result = await dispatchApiCall(handlers, 'jobs.options', {});
    expect((result as { response: { algorithms: unknown } }).response.algorithms).toEqual(
      ALGORITHM_NAMES.map((name) => ({ name, summary: algorithmNamed(name).summary })),
    );
  });

  it('start a job with the algorithm asked for: the job, its run and its command line name it', async () => {
    const result = await dispatchApiCall(handlers, 'jobs.start', {
      env: 'matrix:penalty0',
      algo: 'steer',
      runId: 'algo-job',
      backend: 'cpu',
      updates: 1,
      config: { numEnvs: 1, episodeLength: 4, ppoEpochs: 1 },
    });
    expect(result).toMatchObject({ ok: true, response: { job: { runId: 'algo-job', algo: 'steer' } } });
    expect(await service.whenEnded('algo-job')).toMatchObject({ status: 'completed', algo: 'steer' });
    const config = JSON.parse(await readFile(join(root, 'runs', 'algo-job', 'config.json'), 'utf8'));
    expect(config.train.algo).toBe('steer');
    const argv = JSON.parse(await readFile(join(root, 'runs', 'algo-job', 'argv.json'), 'utf8')).created
      .argv as string[];
    expect(argv.slice(argv.indexOf('--algo'), argv.indexOf('--algo') + 2)).toEqual(['--algo', 'steer']);
    const runs = await dispatchApiCall(handlers, 'runs.list', {});
    const listed = (runs as { response: { runs: { runId: string; algo: string }[] } }).response.runs;
    // the bundled run's config.json predates the key: it is a STEER run (ADDED_KEY_DEFAULTS)
    expect(Object.fromEntries(listed.map((r) => [r.runId, r.algo]))).toEqual({
      'algo-job': 'steer',
      'horm-easy': 'steer',
    });
  });

  it('refuse an algorithm the registry lacks, naming request.algo and listing the algorithms', async () => {
    const result = await dispatchApiCall(handlers, 'jobs.start', { env: 'matrix:penalty0', algo: 'nope' });
    expect(result.ok).toBe(false);
    const { error } = result as { error: { code: string; message: string; issues: unknown[] } };
    const why = `unknown algorithm "nope"; the algorithms are ${ALGORITHM_NAMES.join(', ')}`;
    expect(error).toMatchObject({ code: 'invalid-request', message: `jobs.start: algo: ${why}` });
    expect(error.issues).toEqual([{ path: 'request.algo', message: why }]);
    // through the config, the config's key is named, as for any other key
    const viaConfig = await dispatchApiCall(handlers, 'jobs.start', {
      env: 'matrix:penalty0',
      config: { algo: 'nope' },
    });
    expect(viaConfig).toMatchObject({
      ok: false,
      error: { code: 'invalid-request', issues: [{ path: 'request.config', message: `algo: ${why}` }] },
    });
  });

  it('list the run folders, their checkpoints and metrics pages', async () => {
    const runs = await dispatchApiCall(handlers, 'runs.list', {});
    expect(runs).toMatchObject({ ok: true });
    const bundled = (runs as { response: { runs: { runId: string }[] } }).response.runs.find(
      (r) => r.runId === 'horm-easy',
    );
    expect(bundled).toMatchObject({ status: 'partial', update: 648, totalUpdates: 1250 });
    const checkpoints = await dispatchApiCall(handlers, 'runs.checkpoints', { runId: 'horm-easy' });
    expect(checkpoints).toMatchObject({
      ok: true,
      response: { checkpoints: [{ name: 'latest', update: 648 }] },
    });
    const page = await dispatchApiCall(handlers, 'jobs.metrics', { runId: 'horm-easy', since: 640 });
    expect(page).toMatchObject({ ok: true, response: { from: 640, total: 648, more: false } });
    expect((page as { response: { records: unknown[] } }).response.records).toHaveLength(8);
    // the one job of this file (above) is listed, finished; nothing else runs
    const jobs = await dispatchApiCall(handlers, 'jobs.list', {});
    expect(jobs).toMatchObject({
      ok: true,
      response: { jobs: [{ runId: 'algo-job', status: 'completed' }] },
    });
    expect((jobs as { response: { jobs: unknown[] } }).response.jobs).toHaveLength(1);
  });

  it('answer failures as error data with their codes', async () => {
    const code = async (method: string, request: unknown) => {
      const result = await dispatchApiCall(handlers, method, request);
      return result.ok ? 'ok' : result.error.code;
    };
    expect(await code('jobs.metrics', { runId: 'nope' })).toBe('not-found');
    expect(await code('runs.checkpoints', { runId: 'nope' })).toBe('not-found');
    expect(await code('jobs.stop', { runId: 'horm-easy' })).toBe('not-found');
    expect(await code('jobs.start', { env: 'matrix:nope' })).toBe('invalid-request');
    expect(await code('jobs.start', { scenario: 'scenarios/missing.json' })).toBe('not-found');
    expect(await code('jobs.start', { env: 'matrix:penalty0', runId: 'horm-easy' })).toBe('refused');
    expect(await code('runs.evaluate', { runId: '../etc' })).toBe('invalid-request');
  });
});
