/**
 * One sweep run: the `steer train` arguments a child gets (the run planner's command line, or a
 * resume), and the decisions taken before any child starts (a finished folder skipped, a folder
 * holding another run refused), on run folders made by hand.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../../../src/core/algos/algorithmConfig.js';
import {
  type OpenedSweep,
  openSweep,
  parseSweep,
  runSweepRun,
  type SweepRun,
  sweepTrainArguments,
  targetOf,
} from '../../../../src/main/sweep/index.js';
import { newRunConfig } from '../../../../src/main/train/runDir.js';
import { planNewRun } from '../../../../src/main/train/runPlan.js';

let cwd: string;
const inCwd = (path: string) => join(cwd, path);
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-sweep-run-'));
  await mkdir(inCwd('scenarios'));
  await copyFile(
    resolve(import.meta.dirname, '../../../../scenarios/horm-easy.json'),
    inCwd('scenarios/e.json'),
  );
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

async function open(name: string, text: string): Promise<OpenedSweep> {
  expect(parseSweep(text, 'yaml').ok).toBe(true);
  await writeFile(inCwd(name), text);
  return openSweep(inCwd(name), name, inCwd);
}

const SETTINGS = { backend: 'cpu', updateThreads: 1, resolvePath: inCwd };

describe('sweepTrainArguments', () => {
  it("starts a new run with the run planner's command line, a stopped one with --resume", async () => {
    const opened = await open(
      'a.yaml',
      'name: a\nalgos: [mappo]\nenvs: [matrix:mixing]\nseeds: [3]\nupdates: 4\ncheckpointEvery: 2\n' +
        'referenceQuirks: true\noverrides: {ppoEpochs: 2, valueLoss: mse}\n',
    );
    const run = opened.runs[0]!;
    const target = targetOf(run, opened.targets);
    const request = {
      env: 'matrix:different_order',
      algo: 'mappo',
      seed: 3,
      updates: 4,
      overrides: { ppoEpochs: 2, valueLoss: 'mse' },
      referenceQuirks: true,
      checkpointEvery: 2,
      evaluation: undefined,
    };
    const plan = planNewRun(request);
    const args = sweepTrainArguments(run, { plan, request, target }, false, SETTINGS);
    expect(args).toEqual([
      'train',
      '--env',
      'matrix:different_order',
      '--algo',
      'mappo',
      '--seed',
      '3',
      '--out',
      inCwd(run.runDir),
      '--updates',
      '4',
      '--backend',
      'cpu',
      '--checkpoint-every',
      '2',
      '--reference-quirks',
      '--set',
      'ppoEpochs=2',
      '--set',
      'valueLoss=mse',
      '--quiet',
      '--json',
      '--update-threads',
      '1',
    ]);
    expect(sweepTrainArguments(run, { plan, request, target }, true, SETTINGS)).toEqual([
      'train',
      '--resume',
      inCwd(run.runDir),
      '--backend',
      'cpu',
      '--quiet',
      '--json',
      '--update-threads',
      '1',
    ]);
  });

  it('trains a scenario run on its rewritten copy, with its training-time evaluation', async () => {
    const opened = await open(
      'h.yaml',
      'name: h\nalgos: [steer]\nscenarios: [{file: scenarios/e.json, density: 2}]\nseeds: 1\nupdates: 2\n' +
        'evaluation: {every: 1, episodes: 3}\nrunsDir: runs/h\n',
    );
    const run = opened.runs[0]!;
    const target = targetOf(run, opened.targets);
    const request = {
      env: target.env,
      algo: 'steer',
      seed: 1,
      updates: 2,
      evaluation: { every: 1, episodes: 3 },
    };
    const args = sweepTrainArguments(run, { plan: planNewRun(request), request, target }, false, SETTINGS);
    expect(args.slice(0, 3)).toEqual(['train', '--scenario', inCwd('runs/h/e-density-2.json')]);
    expect(args.join(' ')).toContain('--eval-every 1 --eval-episodes 3');
  });
});

describe('runSweepRun before any child', () => {
  /** A run folder as `steer train` leaves it for `run`, with `updates`, its checkpoint at `saved`. */
  async function runFolder(run: SweepRun, updates: number, saved: number): Promise<void> {
    const dir = inCwd(run.runDir);
    const train = resolveAlgorithmConfig(
      run.env!,
      { ...run.overrides, algo: run.algo, seed: run.seed },
      { updates },
    );
    await mkdir(join(dir, 'checkpoints', 'latest'), { recursive: true });
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify(newRunConfig({ env: run.env!, train, checkpointEvery: 1 })),
    );
    const manifest = {
      createdAt: '2026-12-07T10:00:00.000Z',
      manifestSha256: 'ab'.repeat(32),
      meta: { update: saved },
    };
    await writeFile(join(dir, 'checkpoints', 'latest', 'checkpoint.json'), JSON.stringify(manifest));
  }

  it('skips a finished run and refuses a folder holding another run, naming the field', async () => {
    const opened = await open(
      'f.yaml',
      'name: f\nalgos: [steer]\nenvs: [matrix:penalty0, matrix:penalty-100]\nseeds: 1\nupdates: 3\n' +
        'overrides: {numEnvs: 1, episodeLength: 4}\n',
    );
    const [finished, other] = opened.runs as [SweepRun, SweepRun];
    await runFolder(finished, 3, 3);
    await runFolder(other, 5, 2);
    const started: string[] = [];
    const settings = { ...SETTINGS, targetOf: (run: SweepRun) => targetOf(run, opened.targets) };
    const events = { onStart: (run: SweepRun) => started.push(run.id) };
    expect(await runSweepRun(finished, settings, events)).toMatchObject({
      id: finished.id,
      action: 'skipped',
      status: 'done',
      update: 3,
      error: null,
    });
    expect(await runSweepRun(other, settings, events)).toMatchObject({
      action: 'skipped',
      status: 'failed',
      error: `${inCwd(other.runDir)} holds a run with updates 5, not 3; move it away, or give the sweep file another name or runsDir`,
    });
    expect(started).toEqual([]);
  });
});
