/**
 * The dashboard's handlers (src/main/api/jobHandlers.ts) behind dispatchApiCall, as every
 * transport runs them: their responses pass the contract's schemas, and failures come back as
 * error data with the right code (no training here: the job service has its own test).
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speakingTheContract } from '../../../../src/main/api/handlers.js';
import { createJobHandlers } from '../../../../src/main/api/jobHandlers.js';
import { type ApiHandlers, dispatchApiCall } from '../../../../src/shared/api/contract.js';

const REPOSITORY = join(import.meta.dirname, '..', '..', '..', '..');
let root: string;
let handlers: ApiHandlers;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-job-handlers-'));
  await mkdir(join(root, 'scenarios'));
  await mkdir(join(root, 'runs', 'scenarios'), { recursive: true }); // not a run: skipped
  await cp(join(REPOSITORY, 'scenarios', 'horm-easy.json'), join(root, 'scenarios', 'horm-easy.json'));
  await cp(join(REPOSITORY, 'models', 'horm-easy'), join(root, 'runs', 'horm-easy'), { recursive: true });
  handlers = speakingTheContract(createJobHandlers({ projectRoot: root }) as unknown as ApiHandlers);
});

afterAll(async () => {
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

  it('list the run folders, their checkpoints and metrics pages', async () => {
    const runs = await dispatchApiCall(handlers, 'runs.list', {});
    expect(runs).toMatchObject({
      ok: true,
      response: { runs: [{ runId: 'horm-easy', status: 'partial', update: 648, totalUpdates: 1250 }] },
    });
    const checkpoints = await dispatchApiCall(handlers, 'runs.checkpoints', { runId: 'horm-easy' });
    expect(checkpoints).toMatchObject({
      ok: true,
      response: { checkpoints: [{ name: 'latest', update: 648 }] },
    });
    const page = await dispatchApiCall(handlers, 'jobs.metrics', { runId: 'horm-easy', since: 640 });
    expect(page).toMatchObject({ ok: true, response: { from: 640, total: 648, more: false } });
    expect((page as { response: { records: unknown[] } }).response.records).toHaveLength(8);
    expect(await dispatchApiCall(handlers, 'jobs.list', {})).toEqual({ ok: true, response: { jobs: [] } });
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
