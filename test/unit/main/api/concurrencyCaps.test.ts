/**
 * Every API method that starts a worker thread is bounded, also when 20 calls arrive in the same
 * tick (as they do over one socket): jobs.start and jobs.resume share MAX_ACTIVE_JOBS,
 * runs.evaluate has MAX_ACTIVE_EVALUATIONS, sim.run MAX_SIM_RUNS and sim.start
 * MAX_LIVE_SESSIONS. Exactly that many calls are accepted, the rest are refused at once saying
 * why, and a slot is free again once its work has ended.
 */
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../../src/main/api/handlers.js';
import { MAX_SIM_RUNS } from '../../../../src/main/api/scenarioHandlers.js';
import { JobService, MAX_ACTIVE_EVALUATIONS, MAX_ACTIVE_JOBS } from '../../../../src/main/jobs/jobService.js';
import { MAX_LIVE_SESSIONS } from '../../../../src/main/sim/liveSessions.js';
import { REPOSITORY_ROOT } from '../../../../src/main/web/browserHarness.js';
import { type ApiHandlers, type ApiResult, dispatchApiCall } from '../../../../src/shared/api/contract.js';

/** Tiny matrix jobs: each update takes well under a second on cpu. */
const TINY = { numEnvs: 2, episodeLength: 5, ppoEpochs: 1 };
const SIMULTANEOUS = 20;

const TWO_CAVS = {
  version: 1,
  name: 'Caps',
  seed: 3,
  traffic: {
    vehicles: [
      { kind: 'cav', lane: 'a-b-0', positionM: 150, speedMps: 25 },
      { kind: 'cav', lane: 'j-k-0', positionM: 160, speedMps: 24 },
    ],
  },
};

let root: string;
let jobs: JobService;
let handlers: ApiHandlers;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'steer-caps-'));
  await cp(join(REPOSITORY_ROOT, 'scenarios'), join(root, 'scenarios'), { recursive: true });
  await mkdir(join(root, 'runs'));
  jobs = new JobService({ projectRoot: root });
  handlers = createApiHandlers({ projectRoot: root, host: 'web', version: 'test', jobs });
});

afterAll(async () => {
  await jobs?.close();
  await rm(root, { recursive: true, force: true });
});

/** Fires `count` calls of `method` in one tick; their results in order. */
function fire(method: string, request: (k: number) => unknown, count = SIMULTANEOUS): Promise<ApiResult[]> {
  return Promise.all(Array.from({ length: count }, (_, k) => dispatchApiCall(handlers, method, request(k))));
}

/** How many calls were accepted; every refusal must be a 'refused' that says why. */
function accepted(results: readonly ApiResult[], why: RegExp): number {
  for (const result of results) {
    if (!result.ok)
      expect(result.error, JSON.stringify(result.error)).toMatchObject({
        code: 'refused',
        message: expect.stringMatching(why),
      });
  }
  return results.filter((result) => result.ok).length;
}

async function stopAll(): Promise<void> {
  for (const job of jobs.list())
    if (job.status === 'starting' || job.status === 'running') jobs.stop(job.runId);
  await Promise.all(jobs.list().map((job) => jobs.whenEnded(job.runId)));
}

describe('concurrency caps under 20 simultaneous calls', () => {
  it('jobs.start: exactly MAX_ACTIVE_JOBS are accepted; a slot frees when a job ends', async () => {
    const results = await fire('jobs.start', (k) => ({
      env: 'matrix:penalty0',
      backend: 'cpu',
      runId: `start-${k}`,
      updates: 1000,
      config: TINY,
    }));
    expect(
      accepted(
        results,
        /^jobs\.start: 4 jobs are training already \(the most at once\); stop one before starting or resuming another$/,
      ),
    ).toBe(MAX_ACTIVE_JOBS);
    expect(jobs.list()).toHaveLength(MAX_ACTIVE_JOBS);
    await stopAll();
    const again = await dispatchApiCall(handlers, 'jobs.start', {
      env: 'matrix:penalty0',
      backend: 'cpu',
      runId: 'after',
      updates: 1,
      config: TINY,
    });
    expect(again.ok).toBe(true);
    await jobs.whenEnded('after');
  });

  it('jobs.resume: exactly MAX_ACTIVE_JOBS of 20 resumes are accepted', async () => {
    // The stopped runs of the test above (each with a checkpoint), and copies up to 20.
    const stopped = jobs
      .list()
      .filter((job) => job.status === 'stopped')
      .map((job) => job.runId);
    expect(stopped.length).toBe(MAX_ACTIVE_JOBS);
    const ids: string[] = [];
    for (let k = 0; k < SIMULTANEOUS; k++) {
      const id = `resume-${k}`;
      await cp(join(root, 'runs', stopped[k % stopped.length]!), join(root, 'runs', id), { recursive: true });
      ids.push(id);
    }
    const results = await fire('jobs.resume', (k) => ({ runId: ids[k], backend: 'cpu' }));
    expect(accepted(results, /^jobs\.resume: 4 jobs are training already \(the most at once\)/)).toBe(
      MAX_ACTIVE_JOBS,
    );
    await stopAll();
  });

  it('runs.evaluate: exactly MAX_ACTIVE_EVALUATIONS run at once', async () => {
    const results = await fire('runs.evaluate', () => ({ runId: 'after', backend: 'cpu' }));
    expect(
      accepted(results, /runs\.evaluate: \d+ evaluations are running already; wait for one to finish/),
    ).toBe(MAX_ACTIVE_EVALUATIONS);
    expect((await dispatchApiCall(handlers, 'runs.evaluate', { runId: 'after', backend: 'cpu' })).ok).toBe(
      true,
    );
  });

  it('sim.run: exactly MAX_SIM_RUNS episodes play at once', async () => {
    const request = () => ({ scenario: TWO_CAVS, model: { kind: 'baseline', policy: 'idle' } });
    const results = await fire('sim.run', request);
    expect(accepted(results, /sim\.run: \d+ episodes are playing already; wait for one to end/)).toBe(
      MAX_SIM_RUNS,
    );
    expect((await dispatchApiCall(handlers, 'sim.run', request())).ok).toBe(true);
  });

  it('sim.start: exactly MAX_LIVE_SESSIONS live runs at once', async () => {
    const results = await fire('sim.start', () => ({
      scenario: TWO_CAVS,
      model: { kind: 'baseline', policy: 'idle' },
    }));
    expect(accepted(results, /sim\.start: expected at most \d+ live runs at once/)).toBe(MAX_LIVE_SESSIONS);
  });
});
