/**
 * `steer train --scenario` → `steer eval --scenario` on HORM, in process, on the cpu backend with a
 * tiny budget: the run folder holds the scenario copy, the metrics carry the HORM evaluation, eval
 * prints the metrics as JSON in range and records one replay per episode.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMetrics } from '../../src/main/io/metricsLog.js';
import { readReplayFile } from '../../src/main/io/replayFile.js';
import { steer } from '../unit/main/cli/runCliInProcess.js';

const ROOT = join(import.meta.dirname, '../..');
const EASY = join(ROOT, 'scenarios/horm-easy.json');

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-horm-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** One update of 2 envs × 10 steps, a 2-episode evaluation after it. */
const TINY = [
  '--backend',
  'cpu',
  '--updates',
  '1',
  '--set',
  'numEnvs=2',
  '--set',
  'episodeLength=10',
  '--eval-episodes',
  '2',
  '--quiet',
];

describe('steer train --scenario → steer eval --scenario (HORM)', () => {
  it('trains on horm-easy, then evaluates held-out episodes as JSON and records replays', async () => {
    const train = await steer(['train', '--scenario', EASY, '--out', 'runs/easy', ...TINY], cwd);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/horm:density-1, scenario "HORM easy" .*seed 0, 1\/1 updates/);
    expect(train.stdout).toMatch(/crash rate +\d+(\.\d+)?% \(any CAV/);

    const dir = join(cwd, 'runs/easy');
    expect(await readFile(join(dir, 'scenario.json'), 'utf8')).toBe(await readFile(EASY, 'utf8'));
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      env: 'horm:density-1',
      totalUpdates: 1,
      scenario: { file: 'scenario.json', source: EASY, name: 'HORM easy' },
      evaluation: { every: 10, episodes: 2, seed: 10_000 },
    });
    // docs/spec/horm.md §9 preset under the --set overrides; the scenario's seed is the default --seed
    expect(config.train).toMatchObject({
      seed: 0,
      numEnvs: 2,
      episodeLength: 10,
      ppoEpochs: 5,
      clip: 0.05,
      useStateToken: true,
      useValueActiveMasks: false,
      lr: 5e-4,
    });
    const { records } = await readMetrics(join(dir, 'metrics.jsonl'));
    expect(records).toHaveLength(1);
    for (const key of [
      'eval/crashRate',
      'eval/meanSpeed',
      'eval/meanReturn',
      'eval/return/agent1',
      'eval/episodes',
    ]) {
      expect(records[0]).toHaveProperty([key]);
    }

    const evaluated = await steer(
      [
        'eval',
        'runs/easy',
        '--scenario',
        EASY,
        '--episodes',
        '3',
        '--seed',
        '500',
        '--json',
        '--backend',
        'cpu',
        '--record',
        'replays',
      ],
      cwd,
    );
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const report = JSON.parse(evaluated.stdout);
    expect(report).toMatchObject({
      runDir: 'runs/easy',
      env: 'horm:density-1',
      scenario: 'HORM easy',
      episodes: 3,
      seed: 500,
      updates: 1,
      totalUpdates: 1,
      backend: 'cpu',
      rampCavs: 3, // density 1: one ramp CAV per episode
      record: 'replays',
    });
    for (const key of ['crashRate', 'crashRateAgent0', 'mergeCompletion']) {
      expect(report[key]).toBeGreaterThanOrEqual(0);
      expect(report[key]).toBeLessThanOrEqual(1);
      expect(Number.isInteger(report[key] * 3)).toBe(true); // a fraction of 3 episodes / ramp CAVs
    }
    expect(report.crashRateAgent0).toBeLessThanOrEqual(report.crashRate);
    expect(report.meanSpeed).toBeGreaterThan(0);
    expect(report.meanSpeed).toBeLessThanOrEqual(40); // the model's speed clamp (§2.2)
    expect(report.meanEpisodeLength).toBeGreaterThanOrEqual(1);
    expect(report.meanEpisodeLength).toBeLessThanOrEqual(100);
    expect(report.meanReturnPerAgent).toHaveLength(2);
    expect(report.meanReturn).toBeCloseTo(
      (report.meanReturnPerAgent[0] + report.meanReturnPerAgent[1]) / 2,
      9,
    );
    expect(Number.isFinite(report.meanReturn)).toBe(true);

    const files = (await readdir(join(cwd, 'replays'))).sort();
    expect(files).toEqual([
      'episode-0-seed-500.replay',
      'episode-1-seed-501.replay',
      'episode-2-seed-502.replay',
    ]);
    const replay = await readReplayFile(join(cwd, 'replays', files[1]!));
    expect(replay.header).toMatchObject({
      env: 'horm:density-1',
      agents: 2,
      scenario: { seed: 501, name: 'HORM easy' },
      model: { name: 'steer', run: 'runs/easy', update: 1, deterministic: true },
    });

    // without --scenario the run's own copy is played: same seeds, same numbers
    const own = await steer(
      ['eval', 'runs/easy', '--episodes', '3', '--seed', '500', '--json', '--backend', 'cpu'],
      cwd,
    );
    expect(own.code, own.stderr).toBe(0);
    const ownReport = JSON.parse(own.stdout);
    for (const key of ['crashRate', 'meanSpeed', 'meanReturn', 'mergeCompletion', 'meanEpisodeLength']) {
      expect(ownReport[key]).toBe(report[key]);
    }
  });

  it('resumes an interrupted scenario run to the same metrics as a straight run', async () => {
    const args = (out: string) => [
      'train',
      '--scenario',
      EASY,
      '--out',
      out,
      ...TINY,
      '--updates',
      '2',
      '--eval-every',
      '1',
    ];
    const straight = await steer(args('runs/straight'), cwd);
    expect(straight.code, straight.stderr).toBe(0);
    const controller = new AbortController();
    const stopped = await steer(args('runs/stopped'), cwd, {
      signal: controller.signal,
      onTrainingUpdate: (update) => {
        if (update === 1) controller.abort();
      },
    });
    expect(stopped.code).toBe(130);
    const resumed = await steer(['train', '--resume', 'runs/stopped', '--backend', 'cpu', '--quiet'], cwd);
    expect(resumed.code, resumed.stderr).toBe(0);
    const withoutTimings = async (run: string) =>
      (await readMetrics(join(cwd, run, 'metrics.jsonl'))).records.map((r) =>
        Object.fromEntries(Object.entries(r).filter(([key]) => !key.startsWith('perf/'))),
      );
    const expected = await withoutTimings('runs/straight');
    expect(expected).toHaveLength(2);
    expect(expected[0]).toHaveProperty(['eval/crashRate']);
    expect(await withoutTimings('runs/stopped')).toEqual(expected);
  });

  it('prints the validator lines for an invalid scenario, before any training', async () => {
    const bad = join(cwd, 'bad.json');
    const json = JSON.parse(await readFile(EASY, 'utf8'));
    await writeFile(bad, JSON.stringify({ ...json, supervisor: 'yes', durationS: -1 }));
    const run = await steer(['train', '--scenario', 'bad.json', '--out', 'runs/bad', ...TINY], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^bad\.json: durationS: expected number in \[0\.2, 3600\] s, received -1$/),
      expect.stringMatching(/^bad\.json: supervisor: expected true or false, received "yes"$/),
    ]);
    expect(run.stdout).toBe('');
  });

  it.each([
    ['dense-platoon', 'Dense platoon', 7],
    ['two-ramp-vehicles', 'Two ramp vehicles', 11],
  ] as const)(
    'trains and evaluates %s (an explicit vehicle list: 3 CAVs → 3 agents)',
    async (name, title, seed) => {
      const file = join(ROOT, `scenarios/${name}.json`);
      const out = `runs/${name}`;
      const train = await steer(['train', '--scenario', file, '--out', out, ...TINY], cwd);
      expect(train.code, train.stderr).toBe(0);
      expect(train.stdout).toContain(`horm:vehicles-3-cavs, scenario "${title}"`);
      const config = JSON.parse(await readFile(join(cwd, out, 'config.json'), 'utf8'));
      expect(config).toMatchObject({
        env: 'horm:vehicles-3-cavs',
        train: { seed, numEnvs: 2, episodeLength: 10 },
      });
      const { records } = await readMetrics(join(cwd, out, 'metrics.jsonl'));
      expect(records).toHaveLength(1);
      expect(records[0]).toHaveProperty(['eval/crashRate']);

      const evaluated = await steer(
        ['eval', out, '--episodes', '2', '--seed', '3', '--json', '--backend', 'cpu'],
        cwd,
      );
      expect(evaluated.code, evaluated.stderr).toBe(0);
      const report = JSON.parse(evaluated.stdout);
      expect(report).toMatchObject({
        env: 'horm:vehicles-3-cavs',
        scenario: title,
        episodes: 2,
        rampCavs: 4, // two CAVs start on j-k-0, in each of the 2 episodes
      });
      expect(report.meanReturnPerAgent).toHaveLength(3);
      expect(report.meanEpisodeLength).toBeGreaterThanOrEqual(1);
      expect(report.meanEpisodeLength).toBeLessThanOrEqual(100);
    },
  );

  it('refuses scenario options on a matrix run and a scenario of another density', async () => {
    const matrix = await steer(
      [
        'train',
        '--env',
        'matrix:penalty-0',
        '--out',
        'runs/m',
        '--updates',
        '1',
        '--backend',
        'cpu',
        '--quiet',
      ],
      cwd,
    );
    expect(matrix.code, matrix.stderr).toBe(0);
    const onMatrix = await steer(['eval', 'runs/m', '--scenario', EASY, '--backend', 'cpu'], cwd);
    expect(onMatrix.code).toBe(1);
    expect(onMatrix.stderr).toContain(
      'steer: error: --scenario: only for scenario runs; runs/m was trained on',
    );
    const both = await steer(
      ['train', '--env', 'matrix:penalty-0', '--scenario', EASY, '--out', 'runs/x'],
      cwd,
    );
    expect(both.stderr).toContain('--env and --scenario both name the env');
    const medium = await steer(
      ['eval', 'runs/easy', '--scenario', join(ROOT, 'scenarios/horm-medium.json'), '--backend', 'cpu'],
      cwd,
    );
    expect(medium.code).toBe(1);
    expect(medium.stderr).toMatch(/builds horm:density-2, but runs\/easy was trained on horm:density-1/);
    const resume = await steer(['train', '--resume', 'runs/easy', '--scenario', EASY], cwd);
    expect(resume.stderr).toContain('drop --scenario');
  });
});
