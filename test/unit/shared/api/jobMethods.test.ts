/**
 * The dashboard's methods in the API contract (src/shared/api/jobMethods.ts): requests are strict
 * and name the field that is wrong; paths and run ids cannot leave their folders; defaults are
 * filled in on the main side; responses are checked on both sides.
 */
import { describe, expect, it } from 'vitest';
import {
  API_METHOD_NAMES,
  ApiError,
  parseRequest,
  parseResponse,
} from '../../../../src/shared/api/contract.js';
import {
  isBundledRun,
  isJobScenarioPath,
  isRunId,
  isRunPath,
  JOB_METHODS,
  runFolderOf,
} from '../../../../src/shared/api/jobMethods.js';

function refused(method: Parameters<typeof parseRequest>[0], raw: unknown): ApiError {
  try {
    parseRequest(method, raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('invalid-request');
    return error as ApiError;
  }
  throw new Error(`expected ${method} to refuse ${JSON.stringify(raw)}`);
}

const JOB = {
  runId: 'dash-20261126-1',
  status: 'running',
  update: 2,
  totalUpdates: 3,
  startUpdate: 0,
  algo: 'steer',
  env: 'matrix:penalty0',
  scenario: null,
  seed: 1,
  backend: 'cpu',
  startedAt: '2026-11-26T00:00:00.000Z',
  endedAt: null,
  error: null,
};

describe('job methods in the contract', () => {
  it('are all in API_METHODS', () => {
    expect(API_METHOD_NAMES).toEqual(expect.arrayContaining(Object.keys(JOB_METHODS)));
  });

  it('fills in the defaults of jobs.start, jobs.resume, jobs.metrics and runs.evaluate', () => {
    expect(parseRequest('jobs.start', { env: 'matrix:penalty-0' })).toEqual({
      env: 'matrix:penalty-0',
      backend: 'auto',
    });
    // jobs.resume has no default backend: the service continues on the run's own (argv.json)
    expect(parseRequest('jobs.resume', { runId: 'a' })).toEqual({ runId: 'a' });
    expect(parseRequest('jobs.resume', { runId: 'a', backend: 'auto' })).toEqual({
      runId: 'a',
      backend: 'auto',
    });
    expect(parseRequest('jobs.metrics', { runId: 'a' })).toEqual({ runId: 'a', since: 0 });
    expect(parseRequest('runs.evaluate', { runId: 'a' })).toEqual({
      runId: 'a',
      episodes: 4,
      record: true,
      backend: 'auto',
    });
  });

  it('accepts a full job spec', () => {
    const spec = {
      scenario: 'runs/scenarios/my-merge.json',
      algo: 'steer-itb-only',
      runId: 'my_run-1.b',
      seed: 7,
      backend: 'wasm',
      updates: 20,
      checkpointEvery: 5,
      config: { numEnvs: 2, useValueNorm: false, valueLoss: 'mse' },
    };
    expect(parseRequest('jobs.start', spec)).toEqual(spec);
  });

  it('refuses a bad request, naming the field', () => {
    expect(
      refused('jobs.start', { env: 'matrix:penalty-0', scenario: 'scenarios/horm-easy.json' }).message,
    ).toMatch(/exactly one of them/);
    expect(refused('jobs.start', { env: 'matrix:penalty-0', extra: 1 }).message).toMatch(/extra/);
    expect(refused('jobs.start', { env: 'matrix:penalty-0', seed: -1 }).issues![0]!.path).toBe(
      'request.seed',
    );
    expect(refused('jobs.start', { env: 'matrix:penalty-0', backend: 'cuda' }).issues![0]!.path).toBe(
      'request.backend',
    );
    expect(refused('jobs.start', { scenario: 'scenarios/../../x.json' }).issues![0]!.path).toBe(
      'request.scenario',
    );
    // the name's shape is the contract's; whether the registry has it, the host's (planner)
    for (const algo of ['MAPPO', 'steer algo', '', 'a'.repeat(101), 7]) {
      expect(refused('jobs.start', { env: 'matrix:penalty-0', algo }).issues![0]!.path).toBe('request.algo');
    }
    expect(refused('jobs.stop', { runId: '../runs' }).issues![0]!.path).toBe('request.runId');
    expect(refused('jobs.metrics', { runId: 'a', since: -1 }).issues![0]!.path).toBe('request.since');
    expect(refused('runs.evaluate', { runId: 'a', episodes: 21 }).issues![0]!.path).toBe('request.episodes');
    refused('runs.checkpoints', {});
  });

  it('keeps run ids to one folder name and scenario paths to the scenario methods’ two folders', () => {
    for (const id of ['a', 'dash-20261126-1', 'horm_easy.s0']) expect(isRunId(id), id).toBe(true);
    for (const id of ['', '.', '..', '.hidden', 'a/b', 'a\\b', 'a..b', '-x', 'x'.repeat(81)]) {
      expect(isRunId(id), id).toBe(false);
    }
    for (const path of ['scenarios/horm-easy.json', 'runs/scenarios/x.json', 'runs/scenarios/a.b_c-1.json']) {
      expect(isJobScenarioPath(path), path).toBe(true);
    }
    for (const path of [
      // Anywhere else under runs/ is not a scenario folder: a run's own copy, an evaluation's output.
      'runs/a/scenario.json',
      'runs/x.json',
      'runs/replays/editor/x.json',
      'runs/scenarios/sub/x.json',
      'scenarios/sub/x.json',
      'scenarios/.hidden.json',
      'horm-easy.json',
      '/scenarios/x.json',
      'models/horm-easy/scenario.json',
      'scenarios/./x.json',
      'scenarios/../x.json',
      'scenarios//x.json',
      'scenarios\\x.json',
      'scenarios/x.yaml',
    ]) {
      expect(isJobScenarioPath(path), path).toBe(false);
    }
  });

  it('checks responses', () => {
    expect(parseResponse('jobs.list', { jobs: [JOB] }).jobs[0]!.status).toBe('running');
    // a job and a run say which algorithm they train
    const { algo: _, ...withoutAlgo } = JOB;
    expect(() => parseResponse('jobs.list', { jobs: [withoutAlgo] })).toThrow(/jobs\[0\]\.algo/);
    const run = {
      runId: 'a',
      status: 'new',
      algo: 'steer',
      env: 'matrix:penalty0',
      scenario: null,
      seed: 1,
      totalUpdates: 3,
      update: 0,
      modifiedAt: '2026-11-26T00:00:00.000Z',
    };
    expect(parseResponse('runs.list', { runs: [run] }).runs[0]!.algo).toBe('steer');
    const options = { scenarios: [], envs: ['matrix:penalty0'], backends: ['auto'] };
    expect(() => parseResponse('jobs.options', options)).toThrow(/algorithms/);
    const algorithms = [{ name: 'steer', summary: 'Stackelberg Decision Transformer' }];
    expect(parseResponse('jobs.options', { ...options, algorithms }).algorithms).toEqual(algorithms);
    expect(() => parseResponse('jobs.list', { jobs: [{ ...JOB, status: 'paused' }] })).toThrow(
      /breaks the contract.*jobs\[0\]\.status/,
    );
    const metrics = parseResponse('jobs.metrics', {
      runId: 'a',
      from: 0,
      records: [{ update: 1, 'loss/policy': 0.1, 'eval/crashRate': null }],
      total: 1,
      more: false,
    });
    expect(metrics.records[0]!['loss/policy']).toBe(0.1);
    expect(() =>
      parseResponse('jobs.metrics', { runId: 'a', from: 0, records: [{ x: [1] }], total: 1, more: false }),
    ).toThrow(/records\[0\]\.x/);
  });
});

describe('reserved run ids', () => {
  it('refuses the folders of runs/ that hold other things, in any case, for every method naming a run', () => {
    for (const id of ['scenarios', 'replays', 'sweeps', 'Scenarios', 'REPLAYS']) {
      expect(isRunId(id), id).toBe(false);
      expect(() => parseRequest('jobs.start', { env: 'matrix:penalty0', runId: id })).toThrow(
        /request\.runId: .*not "scenarios", "replays", "sweeps"/,
      );
      expect(() => parseRequest('runs.evaluate', { runId: id })).toThrow(/request\.runId/);
    }
    expect(isRunId('scenarios-2')).toBe(true);
    expect(isRunId('my-replays')).toBe(true);
  });
});

describe('bundled models as runs', () => {
  it('names models/<name> as a read-only run path, kept apart from the folders of runs/', () => {
    expect(isRunPath('models/horm-easy')).toBe(true);
    expect(isBundledRun('models/horm-easy')).toBe(true);
    expect(runFolderOf('models/horm-easy')).toEqual({ root: 'models', path: 'models/horm-easy' });
    expect(runFolderOf('dash-1')).toEqual({ root: 'runs', path: 'runs/dash-1' });
    expect(runFolderOf('sweeps/s/steer/e/seed-1')).toEqual({
      root: 'runs',
      path: 'runs/sweeps/s/steer/e/seed-1',
    });
    for (const path of ['models/a/b', 'Models/horm-easy', 'models/..', 'models/']) {
      expect(isRunPath(path), path).toBe(false);
    }
    // A run folder runs/models would be read as the bundled folder: refused as a run id.
    expect(isRunId('models')).toBe(false);
    expect(parseRequest('runs.evaluate', { runId: 'models/horm-easy' }).runId).toBe('models/horm-easy');
    expect(() => parseRequest('jobs.resume', { runId: 'models/horm-easy' })).toThrow(/request\.runId/);
  });
});
