/**
 * The sweep handlers (src/main/api/sweepHandlers.ts) behind dispatchApiCall, as every transport
 * runs them: responses pass the contract's schemas, a damaged status file is one line of its
 * sweep, paths are named relative to the project, and a sweep's run is a path the run methods take.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speakingTheContract } from '../../../../src/main/api/handlers.js';
import { createSweepHandlers } from '../../../../src/main/api/sweepHandlers.js';
import {
  type ApiHandlers,
  type ApiResponse,
  type ApiResult,
  dispatchApiCall,
  parseRequest,
} from '../../../../src/shared/api/contract.js';
import { GOOD_RUNS, writeSweepFixture } from '../sweep/sweepFolderFixture.js';

let root: string;
let handlers: ApiHandlers;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-sweep-handlers-'));
  await writeSweepFixture(join(root, 'runs'));
  handlers = speakingTheContract(createSweepHandlers({ projectRoot: root }) as unknown as ApiHandlers);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function response<T>(result: ApiResult): T {
  if (!result.ok) throw new Error(`expected a response, got ${JSON.stringify(result.error)}`);
  return result.response as T;
}

describe('sweeps.list', () => {
  it('lists each sweep with its counts and summed progress; a damaged one as one line', async () => {
    const { sweeps } = response<ApiResponse<'sweeps.list'>>(
      await dispatchApiCall(handlers, 'sweeps.list', {}),
    );
    expect(sweeps.map((sweep) => sweep.path)).toEqual(['l', 'sweeps/damaged', 'sweeps/good']);
    const good = sweeps[2]!;
    expect(good).toMatchObject({
      name: 'good',
      file: 'sweeps/good.yaml',
      running: false,
      queue: null,
      runs: 4,
      counts: { done: 1, running: 0, failed: 1, queued: 2 },
      update: 40 + 10 + 20,
      updates: 160,
    });
    expect(good.error).toBeUndefined();
    const damaged = sweeps[1]!;
    expect(damaged.error).toMatch(/^runs\/sweeps\/damaged\/sweep-status\.json: formatVersion: /);
    expect(damaged.error).not.toContain(root);
    expect(damaged).toMatchObject({ name: '', runs: 0, updates: 0 });
    expect(sweeps[0]).toMatchObject({
      name: 'long',
      runs: 1,
      counts: { queued: 1 },
      update: 20,
      updates: 40,
    });
  });

  it('lists nothing when runs/ holds no sweep', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'steer-sweep-handlers-empty-'));
    const none = speakingTheContract(createSweepHandlers({ projectRoot: empty }) as unknown as ApiHandlers);
    expect(response(await dispatchApiCall(none, 'sweeps.list', {}))).toEqual({ sweeps: [] });
    await rm(empty, { recursive: true, force: true });
  });
});

describe('sweeps.status', () => {
  it("gives a sweep's runs in start order, each with the path the run methods open it by", async () => {
    const { sweep, runs } = response<ApiResponse<'sweeps.status'>>(
      await dispatchApiCall(handlers, 'sweeps.status', { path: 'sweeps/good' }),
    );
    expect(sweep.name).toBe('good');
    expect(runs).toEqual([
      {
        id: GOOD_RUNS.done,
        runId: `sweeps/good/${GOOD_RUNS.done}`,
        state: 'done',
        update: 40,
        updates: 40,
        error: null,
        hasFolder: true,
      },
      {
        id: GOOD_RUNS.failed,
        runId: `sweeps/good/${GOOD_RUNS.failed}`,
        state: 'failed',
        update: 10,
        updates: 40,
        error: 'Error: backend "tfjs-node" is not available',
        hasFolder: true,
      },
      expect.objectContaining({ id: GOOD_RUNS.stale, state: 'queued', update: 20, hasFolder: false }),
      expect.objectContaining({ id: GOOD_RUNS.missing, state: 'queued', update: 0, hasFolder: false }),
    ]);
    for (const run of runs) {
      expect(() => parseRequest('runs.checkpoints', { runId: run.runId })).not.toThrow();
      expect(() => parseRequest('jobs.metrics', { runId: run.runId })).not.toThrow();
    }
  });

  it('answers a damaged sweep with its line and no runs', async () => {
    const { sweep, runs } = response<ApiResponse<'sweeps.status'>>(
      await dispatchApiCall(handlers, 'sweeps.status', { path: 'sweeps/damaged' }),
    );
    expect(sweep.error).toMatch(/sweep-status\.json: formatVersion/);
    expect(runs).toEqual([]);
  });

  it('refuses a folder without a status file (not-found), a path leaving runs/ and a symlink out', async () => {
    const missing = await dispatchApiCall(handlers, 'sweeps.status', { path: 'plain' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect((missing as { error: { message: string } }).error.message).toBe(
      'sweeps.status: runs/plain: no sweep-status.json there',
    );
    const escaping = await dispatchApiCall(handlers, 'sweeps.status', { path: '../x' });
    expect(escaping).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const outside = await mkdtemp(join(tmpdir(), 'steer-sweep-outside-'));
    await writeSweepFixture(outside); // outside/sweeps/good holds a readable status file
    await symlink(join(outside, 'sweeps', 'good'), join(root, 'runs', 'sweeps', 'out'));
    const out = await dispatchApiCall(handlers, 'sweeps.status', { path: 'sweeps/out' });
    expect(out).toMatchObject({ ok: false, error: { code: 'refused' } });
    // and the list does not follow it
    const { sweeps } = response<ApiResponse<'sweeps.list'>>(
      await dispatchApiCall(handlers, 'sweeps.list', {}),
    );
    expect(sweeps.map((sweep) => sweep.path)).not.toContain('sweeps/out');
    await rm(join(root, 'runs', 'sweeps', 'out'));
    await rm(outside, { recursive: true, force: true });
  });
});

describe('run paths', () => {
  it('the run methods that read take a sweep run path; those that train keep single run ids', () => {
    const path = `sweeps/good/${GOOD_RUNS.done}`;
    expect(() => parseRequest('runs.evaluate', { runId: path })).not.toThrow();
    expect(() => parseRequest('jobs.resume', { runId: path })).toThrow(/run id/);
    expect(() => parseRequest('jobs.metrics', { runId: 'scenarios/x' })).toThrow();
    expect(() => parseRequest('jobs.metrics', { runId: 'sweeps/../x' })).toThrow();
  });
});
