/**
 * The bounds of TRAIN_LIMITS (src/core/algos/config.ts) through the API, as every transport
 * runs it (dispatchApiCall): `jobs.start` with a config too large to train (it once sat in
 * "starting" for 90 s), too many updates or too rare checkpoints is answered `invalid-request` at
 * once, naming the key and the bound, and no job or run folder is made.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { speakingTheContract } from '../../../../src/main/api/handlers.js';
import { createJobHandlers } from '../../../../src/main/api/jobHandlers.js';
import { JobService } from '../../../../src/main/jobs/index.js';
import { type ApiHandlers, dispatchApiCall } from '../../../../src/shared/api/contract.js';

let root: string;
let service: JobService;
let handlers: ApiHandlers;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-api-limits-'));
  service = new JobService({ projectRoot: root });
  handlers = speakingTheContract(createJobHandlers({ projectRoot: root }, service) as unknown as ApiHandlers);
});

afterAll(async () => {
  await service.close();
  await rm(root, { recursive: true, force: true });
});

/** The error of `jobs.start` with `request` (fails the test when it is accepted). */
async function startRefusal(request: Record<string, unknown>): Promise<{ code: string; message: string }> {
  const started = performance.now();
  const result = await dispatchApiCall(handlers, 'jobs.start', { backend: 'cpu', ...request });
  expect(performance.now() - started).toBeLessThan(2000);
  if (result.ok) throw new Error(`jobs.start accepted ${JSON.stringify(request)}`);
  return result.error;
}

describe('jobs.start: bounds of what sizes memory or time', () => {
  it("refuses the issue's config at once, naming both keys and their bounds", async () => {
    const error = await startRefusal({ env: 'matrix:penalty0', config: { embedDim: 2048, numBlocks: 16 } });
    expect(error.code).toBe('invalid-request');
    expect(error.message).toContain('embedDim: expected at most 256, received 2048');
    expect(error.message).toContain('numBlocks: expected at most 8, received 16');
    expect(service.list()).toEqual([]);
    expect(existsSync(join(root, 'runs'))).toBe(false);
  });

  it('refuses products of allowed values, too many updates and too rare checkpoints', async () => {
    const rollout = await startRefusal({
      env: 'matrix:penalty0',
      config: { numEnvs: 512, episodeLength: 1000 },
    });
    expect(rollout.code).toBe('invalid-request');
    expect(rollout.message).toContain(
      'numEnvs × episodeLength (joint samples per rollout): expected at most 32768, received 512000',
    );
    const steps = await startRefusal({
      env: 'matrix:penalty0',
      config: { numEnvs: 1, episodeLength: 1, totalEnvSteps: 1_000_000 },
    });
    expect(steps.message).toContain('expected at most 100000, received 1000000');
    const updates = await startRefusal({ env: 'matrix:penalty0', updates: 100_001 });
    expect(updates.code).toBe('invalid-request');
    expect(updates.message).toMatch(/updates: .*100000/);
    const checkpoints = await startRefusal({ env: 'matrix:penalty0', checkpointEvery: 1_000_000 });
    expect(checkpoints.code).toBe('invalid-request');
    expect(checkpoints.message).toMatch(/checkpointEvery: .*100000/);
    expect(service.list()).toEqual([]);
  });
});
