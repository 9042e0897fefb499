/**
 * MA-MuJoCo through the CLI on a tiny budget (docs/envs/mujoco.md "Training"): `steer train --env
 * mujoco:…` evaluates the run with seeded greedy episodes (metrics and summary), `steer eval` plays
 * them again with the same figures, and the evaluation options are refused where they mean nothing.
 * Also `steer bench --env mujoco:…` on a few steps.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { steer } from '../unit/main/cli/runCliInProcess.js';

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-mujoco-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** Two updates of 2 envs × 10 steps, one epoch, evaluated after each with one 1000-step episode. */
const TINY = [
  '--set',
  'numEnvs=2',
  '--set',
  'episodeLength=10',
  '--set',
  'ppoEpochs=1',
  '--set',
  'numMinibatches=1',
];

describe('MA-MuJoCo on the command line', () => {
  it('trains with the MuJoCo preset and evaluates with seeded greedy episodes; eval repeats the figures', async () => {
    const args = ['train', '--env', 'mujoco:Swimmer-2x1', '--updates', '2', ...TINY];
    const trained = await steer(
      [
        ...args,
        '--eval-every',
        '1',
        '--eval-episodes',
        '1',
        '--out',
        'runs/swim',
        '--backend',
        'wasm',
        '--json',
      ],
      cwd,
    );
    expect(trained.code, trained.stderr).toBe(0);
    const summary = JSON.parse(trained.stdout) as Record<string, unknown> & {
      episodes: { episodes: number; seed: number; meanReturn: number; meanLength: number; returns: number[] };
    };
    expect(summary).toMatchObject({
      status: 'completed',
      env: 'mujoco:Swimmer-2x1',
      updates: 2,
      target: null,
    });
    expect(summary.episodes).toMatchObject({ episodes: 1, seed: 10_000, meanLength: 1000 });
    expect(summary.returns).toEqual([summary.episodes.meanReturn, summary.episodes.meanReturn]); // shared

    const config = JSON.parse(await readFile(join(cwd, 'runs/swim/config.json'), 'utf8')) as {
      evaluation: unknown;
      train: Record<string, unknown>;
    };
    expect(config.evaluation).toEqual({ every: 1, episodes: 1, seed: 10_000 });
    // the preset's keys the overrides left alone: train_mujoco.sh
    expect(config.train).toMatchObject({
      numBlocks: 2,
      lr: 5e-5,
      clip: 0.05,
      entropyCoef: 0.001,
      maxGradNorm: 0.5,
    });
    const metrics = (await readFile(join(cwd, 'runs/swim/metrics.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number>);
    expect(metrics).toHaveLength(2);
    for (const line of metrics) {
      expect(line['eval/episodes']).toBe(1);
      expect(line['eval/maxReturn']).toBe(line['eval/meanReturn']);
    }
    expect(metrics[1]!['eval/meanReturn']).toBe(summary.episodes.meanReturn);

    const evaluated = await steer(
      ['eval', 'runs/swim', '--episodes', '1', '--json', '--backend', 'wasm'],
      cwd,
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { meanReturn: number; trainSeed: number; seed: number };
    expect(report).toMatchObject({ trainSeed: 1, seed: 10_000, meanReturn: summary.episodes.meanReturn });

    const text = await steer(
      ['eval', 'runs/swim', '--episodes', '2', '--seed', '7', '--backend', 'wasm'],
      cwd,
    );
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^episodes +2 greedy, env seeds 7–8$/m);
    expect(text.stdout).toMatch(
      /^return +mean -?[\d.]+, max -?[\d.]+, min -?[\d.]+ \(shared by the agents\)$/m,
    );
  }, 180_000);

  it('refuses the evaluation options on a matrix run and --scenario on a MuJoCo run', async () => {
    const matrix = await steer(
      ['train', '--env', 'matrix:penalty0', '--eval-every', '2', '--out', 'runs/m'],
      cwd,
    );
    expect(matrix.code).toBe(1);
    expect(matrix.stderr).toContain(
      '--eval-every: only for scenario runs (--scenario), MA-MuJoCo envs (--env mujoco:…) and bridged envs (--env pettingzoo:…)',
    );
    const scenario = await steer(['eval', 'runs/swim', '--scenario', 'x.json'], cwd);
    expect(scenario.code).toBe(1);
    expect(scenario.stderr).toContain(
      '--scenario: only for scenario runs; runs/swim was trained on mujoco:Swimmer-2x1',
    );
    const badName = await steer(['train', '--env', 'mujoco:Ant-3x3', '--out', 'runs/a'], cwd);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toContain(
      '--env: mujoco:Ant-3x3: Ant-v2: unknown partition "3x3"; expected 2x4, 2x4d, 4x2, 8x1',
    );
  }, 60_000);

  it('benchmarks an MA-MuJoCo env in this thread and on a pool', async () => {
    const args = ['bench', '--env', 'mujoco:Hopper-3x1', '--steps', '300', '--repeats', '1', '--warmup', '0'];
    const run = await steer([...args, '--workers', '2', '--json'], cwd);
    expect(run.code, run.stderr).toBe(0);
    const figures = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { env: string; workers: number; value: number; unit: string });
    expect(figures.map((f) => [f.env, f.workers, f.unit])).toEqual([
      ['mujoco:Hopper-3x1', 1, 'env steps/s'],
      ['mujoco:Hopper-3x1', 2, 'env steps/s'],
    ]);
    for (const f of figures) expect(f.value).toBeGreaterThan(0);
    const backend = await steer(['bench', '--env', 'mujoco', '--backend', 'wasm'], cwd);
    expect(backend.stderr).toContain('--backend: not used by --env mujoco');
  }, 120_000);
});
