/**
 * A stop is effective within the service's grace period whatever the job is doing: a job whose
 * update outlasts the grace is ended with its thread terminated, says so, frees its slot, and its
 * run folder stays usable (it resumes from the last checkpoint it saved).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobService } from '../../../../src/main/jobs/index.js';
import { JobSpecSchema } from '../../../../src/shared/api/jobMethods.js';

const GRACE_MS = 300;

let root: string;
let service: JobService;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-jobstop-'));
  service = new JobService({ projectRoot: root, stopGraceMs: GRACE_MS });
});

afterAll(async () => {
  await service?.close();
  await rm(root, { recursive: true, force: true });
});

describe('JobService.stop', () => {
  it('ends a job whose update outlasts the grace period, and the run resumes afterwards', async () => {
    // Each update takes seconds on cpu: the stop arrives in the middle of the first.
    const started = await service.start(
      JobSpecSchema.parse({
        env: 'matrix:penalty-0',
        backend: 'cpu',
        runId: 'slow',
        updates: 50,
        checkpointEvery: 1,
        config: { numEnvs: 64, episodeLength: 100, ppoEpochs: 15 },
      }),
    );
    while (service.get(started.runId)!.status === 'starting') {
      expect(service.get(started.runId)!.status).not.toBe('failed');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const stopAt = performance.now();
    expect(service.stop(started.runId).status).toBe('stopping');
    const ended = (await service.whenEnded(started.runId))!;
    const waitedMs = performance.now() - stopAt;
    expect(ended.status).toBe('stopped');
    expect(ended.error).toMatch(
      /did not stop within 0.3 s and its thread was ended; the run keeps its last saved checkpoint/,
    );
    expect(waitedMs).toBeGreaterThanOrEqual(GRACE_MS - 50);
    expect(waitedMs).toBeLessThan(GRACE_MS + 5000);

    // The slot is free and the folder resumes (from update 0: no checkpoint was saved yet).
    const resumed = await service.resume(started.runId, 'cpu');
    expect(resumed).toMatchObject({ status: 'starting', startUpdate: 0 });
    service.stop(started.runId);
    await service.whenEnded(started.runId);
  });
});
