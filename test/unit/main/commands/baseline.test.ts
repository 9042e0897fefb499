/**
 * `steer baseline`: the Appendix B scripted policies (docs/spec/horm.md) on a scenario, with the metrics
 * of `steer eval --scenario`. Checks the JSON fields and their ranges for every policy, that the
 * numbers equal those of the Appendix B integration test's own loop (test/integration/
 * hormBaselineLoop.ts) for the same seeds, the text output, the replays and the errors.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASELINE_POLICIES,
  baselinePolicy,
  baselinePolicyForEpisode,
} from '../../../../src/core/envs/horm/baselinePolicies.js';
import { NO_ACTION } from '../../../../src/core/replay/index.js';
import { LANE, MetaAction } from '../../../../src/core/sim/horm/index.js';
import { readReplayFile } from '../../../../src/main/io/replayFile.js';
import { evaluateHormBaseline } from '../../../../src/main/train/hormEvaluate.js';
import { loadScenario } from '../../../../src/main/train/runEnvironment.js';
import { playBaselineLoop } from '../../../integration/hormBaselineLoop.js';
import { steer } from '../cli/runCliInProcess.js';

const REPO = join(import.meta.dirname, '../../../..');
const EASY = 'scenarios/horm-easy.json';

/** Every field of `steer baseline --json`. */
const REPORT_KEYS = [
  'policy',
  'env',
  'scenario',
  'scenarioFile',
  'supervisor',
  'episodes',
  'seed',
  'crashRate',
  'crashRateAgent0',
  'meanSpeed',
  'meanReturn',
  'meanReturnPerAgent',
  'mergeCompletion',
  'rampCavs',
  'meanEpisodeLength',
  'record',
];

async function baselineJson(args: readonly string[]) {
  const run = await steer(['baseline', '--scenario', EASY, ...args, '--json'], REPO);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toBe('');
  expect(run.stdout.trimEnd().split('\n')).toHaveLength(1); // one JSON object
  return JSON.parse(run.stdout);
}

let cwd: string;
beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'steer-baseline-'));
});
afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('steer baseline --json', () => {
  it.each(BASELINE_POLICIES)('%s on horm-easy: every eval metric, in range', async (policy) => {
    const episodes = 4;
    const report = await baselineJson(['--policy', policy, '--episodes', String(episodes)]);
    expect(Object.keys(report).sort()).toEqual([...REPORT_KEYS].sort());
    expect(report).toMatchObject({
      policy,
      env: 'horm:density-1',
      scenario: 'HORM easy',
      scenarioFile: EASY,
      supervisor: true,
      episodes,
      seed: 10_000, // steer eval's held-out default
      rampCavs: episodes, // density 1: one ramp CAV per episode
      record: null,
    });
    for (const key of ['crashRate', 'crashRateAgent0', 'mergeCompletion']) {
      expect(report[key]).toBeGreaterThanOrEqual(0);
      expect(report[key]).toBeLessThanOrEqual(1);
      expect(Number.isInteger(report[key] * episodes)).toBe(true); // a fraction of 4 episodes / ramp CAVs
    }
    expect(report.crashRateAgent0).toBeLessThanOrEqual(report.crashRate);
    expect(report.meanSpeed).toBeGreaterThan(15); // HDV/CAV speeds start at 23–25 m/s (§5.1)
    expect(report.meanSpeed).toBeLessThanOrEqual(40); // the model's speed clamp (§2.2)
    expect(report.meanEpisodeLength).toBeGreaterThanOrEqual(1);
    expect(report.meanEpisodeLength).toBeLessThanOrEqual(100);
    expect(report.meanReturnPerAgent).toHaveLength(2);
    expect(report.meanReturn).toBeCloseTo(
      (report.meanReturnPerAgent[0] + report.meanReturnPerAgent[1]) / 2,
      9,
    );
    expect(Number.isFinite(report.meanReturn)).toBe(true);
  });

  it('takes --seed and --episodes as steer eval does, and is reproducible', async () => {
    const args = ['--policy', 'random', '--episodes', '3', '--seed', '77'];
    const a = await baselineJson(args);
    expect(a).toMatchObject({ episodes: 3, seed: 77, rampCavs: 3 });
    expect(await baselineJson(args)).toEqual(a);
  });
});

describe('steer baseline = the Appendix B integration loop', () => {
  const EPISODES = 6;
  const SEED = 10_000;

  it.each(BASELINE_POLICIES)(
    '%s: crash rate, length, return and speed equal the loop over the same seeds',
    async (policy) => {
      const report = await baselineJson(['--policy', policy, '--episodes', String(EPISODES)]);
      const scenario = await loadScenario(join(REPO, EASY), EASY);
      const sim = scenario.makeEnv().sim;
      // idle and merge draw nothing: one policy for all episodes, exactly as the integration test;
      // random: each episode's own stream (what steer baseline uses), one loop episode per seed
      const perEpisode = Array.from({ length: EPISODES }, (_, e) =>
        playBaselineLoop(
          sim,
          policy === 'random' ? baselinePolicyForEpisode(policy, SEED + e) : baselinePolicy(policy),
          SEED + e,
          1,
        ),
      );
      const loop =
        policy === 'random'
          ? {
              length: perEpisode.reduce((s, r) => s + r.length, 0) / EPISODES,
              crash: perEpisode.reduce((s, r) => s + r.crash, 0) / EPISODES,
              ret: perEpisode.reduce((s, r) => s + r.ret, 0) / EPISODES,
              speed: perEpisode.reduce((s, r) => s + r.speed, 0) / EPISODES,
            }
          : playBaselineLoop(sim, baselinePolicy(policy), SEED, EPISODES);
      expect(report.crashRate).toBe(loop.crash);
      expect(report.meanEpisodeLength).toBe(loop.length);
      expect(report.meanReturn).toBeCloseTo(loop.ret, 9);
      expect(report.meanSpeed).toBeCloseTo(loop.speed, 9);
    },
  );
});

describe('evaluateHormBaseline', () => {
  it('gives the same episodes whatever the wave size (random: one stream per episode)', async () => {
    const scenario = await loadScenario(join(REPO, EASY), EASY);
    const policyFor = (seed: number) => baselinePolicyForEpisode('random', seed);
    const one = evaluateHormBaseline(policyFor, scenario.makeEnv, { episodes: 4, seed: 3, batch: 1 });
    const three = evaluateHormBaseline(policyFor, scenario.makeEnv, { episodes: 4, seed: 3, batch: 3 });
    expect(three.results).toEqual(one.results);
    expect(one.results.map((r) => r.seed)).toEqual([3, 4, 5, 6]);
  });
});

describe('steer baseline (text, replays, errors)', () => {
  it('prints the eval metrics as text, without calling a scripted policy greedy', async () => {
    const run = await steer(['baseline', '--scenario', EASY, '--policy', 'idle', '--episodes', '2'], REPO);
    expect(run.code, run.stderr).toBe(0);
    const labels = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/\s{2,}/)[0]);
    expect(labels).toEqual([
      'policy',
      'env',
      'episodes',
      'crash rate',
      'mean speed',
      'mean return',
      'merge completion',
      'episode length',
    ]);
    expect(run.stdout).toContain('episodes          2, env seeds 10000–10001\n');
    expect(run.stdout).toContain(
      'horm:density-1, scenario "HORM easy" (scenarios/horm-easy.json), supervisor on',
    );
    expect(run.stdout).not.toContain('greedy');
  });

  it('--record writes one replay per episode, named as steer eval names them', async () => {
    const report = await baselineJson([
      '--policy',
      'merge',
      '--episodes',
      '2',
      '--seed',
      '500',
      '--record',
      join(cwd, 'merge'),
    ]);
    expect(report.record).toBe(join(cwd, 'merge'));
    const files = (await readdir(join(cwd, 'merge'))).sort();
    expect(files).toEqual(['episode-0-seed-500.replay', 'episode-1-seed-501.replay']);
    const replay = await readReplayFile(join(cwd, 'merge', files[1]!));
    expect(replay.header).toMatchObject({
      env: 'horm:density-1',
      agents: 2,
      scenario: { seed: 501, name: 'HORM easy', file: EASY },
      model: { name: 'merge', deterministic: true },
    });
    const lanes = replay.header.lanes;
    const bc1 = lanes.indexOf('b-c-1');
    expect(bc1).toBe(LANE.bc1);
    const decisions = replay.frames.filter((f) => f.decision);
    expect(decisions.length).toBeGreaterThan(0);
    for (const frame of decisions) {
      for (let k = 0; k < 2; k++) {
        // the merge rule, read back from the recorded state; no value estimate (NaN)
        expect(frame.proposed[k]).toBe(frame.lane[k] === bc1 ? MetaAction.laneLeft : MetaAction.idle);
        expect(Number.isNaN(frame.value[k]!)).toBe(true);
      }
    }
    expect(decisions.some((f) => f.proposed[1] === MetaAction.laneLeft)).toBe(true); // it merged
    expect(replay.frames.at(-1)!.proposed[0]).toBe(NO_ACTION);

    await baselineJson(['--policy', 'random', '--episodes', '1', '--seed', '8', '--record', join(cwd, 'r')]);
    const random = await readReplayFile(join(cwd, 'r', 'episode-0-seed-8.replay'));
    expect(random.header.model).toEqual({ name: 'random', deterministic: false, seed: 8 });
  });

  it('refuses an unknown policy and a missing scenario file with one line, exit 1', async () => {
    const bad = await steer(['baseline', '--scenario', EASY, '--policy', 'greedy'], REPO);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('expected random, idle, merge, received "greedy"');

    const missing = await steer(['baseline', '--scenario', 'nope.json', '--policy', 'idle'], cwd);
    expect(missing).toEqual({ code: 1, stdout: '', stderr: 'nope.json: file not found\n' });

    const noPolicy = await steer(['baseline', '--scenario', EASY], REPO);
    expect(noPolicy.code).toBe(1);
    expect(noPolicy.stderr).toContain('--policy');
  });
});
