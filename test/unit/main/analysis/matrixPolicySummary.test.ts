/**
 * The summary of analysed runs: the equilibrium each run sits near (max |Δ| of both marginals ≤ 0.1)
 * and the per (algorithm, game) means and counts, on hand-made runs of Mixing (docs/spec/steer.md §c.5).
 */
import { describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../../../src/core/algos/algorithmConfig.js';
import type { TrainConfig } from '../../../../src/core/algos/config.js';
import { matrixGameInfo, NotMatrixGameError } from '../../../../src/main/analysis/matrixGameInfo.js';
import type { MatrixPolicyRun } from '../../../../src/main/analysis/matrixPolicyRun.js';
import {
  nashDistance,
  nearestNash,
  summariseMatrixPolicies,
} from '../../../../src/main/analysis/matrixPolicySummary.js';
import { formatMatrixPolicyReport } from '../../../../src/main/analysis/matrixPolicyText.js';
import type { TargetHistory } from '../../../../src/main/analysis/targetHistory.js';

/**
 * A Mixing run of `algo` (its preset config with `overrides`) whose joint distribution is the product
 * of the two marginals.
 */
function run(
  algo: string,
  seed: number,
  leader: number[],
  follower: number[],
  overrides: Partial<TrainConfig> = {},
  updates = 100,
  history: TargetHistory | null = null,
): MatrixPolicyRun {
  const joint = leader.map((p) => follower.map((q) => p * q));
  const argmax = (p: number[]) => p.indexOf(Math.max(...p));
  const greedy: [number, number] = [argmax(leader), argmax(follower)];
  return {
    runDir: `runs/${algo}/mixing/seed-${seed}`,
    algo,
    env: 'matrix:different_order',
    seed,
    train: resolveAlgorithmConfig('matrix:mixing', { algo, seed, ...overrides }),
    updates,
    totalUpdates: 100,
    greedy,
    greedyProbability: joint[greedy[0]]![greedy[1]]!,
    target: [0, 0],
    targetProbability: joint[0]![0]!,
    greedyIsTarget: greedy[0] === 0 && greedy[1] === 0,
    leader,
    follower,
    answers: leader.map(() => follower),
    joint,
    expectedPayoffs: [seed, -seed],
    history,
  };
}

const MIXING = matrixGameInfo('matrix:mixing');

describe('matrixGameInfo', () => {
  it('names the game by its Table 1 key, with the SE as target and NE1..NE3 of §c.5', () => {
    expect(MIXING).toMatchObject({ env: 'matrix:different_order', label: 'mixing' });
    expect(MIXING.target).toEqual({ actions: [0, 0], payoffs: [0, 5] });
    expect(MIXING.equilibria.map((e) => e.pure)).toEqual([true, false, false]);
  });

  it('refuses multi-step games, other env families and three-agent games', () => {
    expect(() => matrixGameInfo('nstep:coordination')).toThrow(NotMatrixGameError);
    expect(() => matrixGameInfo('nstep:coordination')).toThrow(
      /nstep:coordination, a multi-step matrix game/,
    );
    expect(() => matrixGameInfo('horm:density-1')).toThrow(/horm:density-1, not a matrix game/);
    expect(() => matrixGameInfo('matrix:matching_pennies_3')).toThrow(
      /a game of 3 agents; this analysis needs two/,
    );
  });
});

describe('nearestNash', () => {
  it('finds the mixed NE x = (0.833, 0, 0.167), y = (0.286, 0, 0.714) within 0.1, and nothing farther', () => {
    const near = { leader: [0.8, 0.02, 0.18], follower: [0.3, 0, 0.7] };
    expect(nashDistance(near, MIXING.equilibria[2]!)).toBeCloseTo(0.033, 3);
    expect(nearestNash(near, MIXING.equilibria)).toBe(2);
    expect(nearestNash({ leader: [0.7, 0, 0.3], follower: [0.3, 0, 0.7] }, MIXING.equilibria)).toBeNull();
    expect(nearestNash({ leader: [0, 1, 0], follower: [0.05, 0.95, 0] }, MIXING.equilibria)).toBe(0);
  });
});

describe('summariseMatrixPolicies', () => {
  const visited = { updates: 100, everAtTarget: true, lateShare: 0.1, switches: 7 };
  const never = { updates: 100, everAtTarget: false, lateShare: 0, switches: 0 };
  const runs = [
    run('mappo', 1, [0.8, 0, 0.2], [0.3, 0, 0.7], {}, 100, visited), // near NE3
    run('mappo', 2, [0.9, 0, 0.1], [0.2, 0, 0.8], {}, 100, never), // near NE3
    run('mappo', 3, [0.6, 0, 0.4], [0.45, 0, 0.55]), // near none, no verdicts logged
    run('steer', 1, [1, 0, 0], [1, 0, 0]), // the target
  ];
  const report = summariseMatrixPolicies(runs);

  it('groups by algorithm and game with mean marginals, mean payoffs and counts near each NE', () => {
    expect(report.games.map((g) => g.env)).toEqual(['matrix:different_order']);
    expect(report.runs.map((r) => r.nearNash)).toEqual([2, 2, null, null]);
    const [mappo, steer] = report.groups;
    expect(mappo).toMatchObject({
      algo: 'mappo',
      label: 'mixing',
      settings: '',
      runs: 3,
      updates: [100, 100],
      greedyIsTarget: 0,
    });
    expect(mappo!.meanLeader.map((p) => Number(p.toFixed(6)))).toEqual([0.766667, 0, 0.233333]);
    expect(mappo!.meanFollower.map((p) => Number(p.toFixed(6)))).toEqual([0.316667, 0, 0.683333]);
    expect(mappo!.meanExpectedPayoffs).toEqual([2, -2]);
    expect(mappo!.meanTargetProbability).toBeCloseTo((0.24 + 0.18 + 0.27) / 3, 9);
    expect(mappo!.nearNash).toEqual([0, 0, 2]);
    expect(mappo!.nearMixedNash).toBe(2);
    // the verdict history: only the two runs that log one count
    expect(mappo).toMatchObject({ everAtTarget: 1, withHistory: 2, meanLateShare: 0.05 });
    expect(steer).toMatchObject({ everAtTarget: 0, withHistory: 0, meanLateShare: null });
    expect(steer).toMatchObject({ algo: 'steer', runs: 1, greedyIsTarget: 1, nearNash: [0, 0, 0] });
  });

  it('keeps runs of another training config apart, naming what differs, with their update range', () => {
    const split = summariseMatrixPolicies([
      ...runs,
      run('mappo', 1, [0.5, 0, 0.5], [0.5, 0, 0.5], { entropyCoef: 0.05 }, 40),
      run('mappo', 2, [0.5, 0, 0.5], [0.5, 0, 0.5], { entropyCoef: 0.05 }, 100),
    ]);
    const mappo = split.groups.filter((g) => g.algo === 'mappo');
    expect(mappo.map((g) => [g.settings, g.runs, g.updates])).toEqual([
      [`entropyCoef=${runs[0]!.train.entropyCoef}`, 3, [100, 100]],
      ['entropyCoef=0.05', 2, [40, 100]],
    ]);
    expect(split.groups.find((g) => g.algo === 'steer')!.settings).toBe('');
    expect(formatMatrixPolicyReport(split)).toMatch(
      /^\| mappo +\| mixing +\| entropyCoef=0\.05 +\| 2 +\| 40–100 +\|/m,
    );
  });

  it('prints a row per run, a row per group and the equilibria the rows refer to', () => {
    const text = formatMatrixPolicyReport(report);
    expect(text).toMatch(
      /^\| mappo +\| mixing +\| 1 +\| \(0,2\) +\| 0\.56 +\| 0\.24 +\| 0\.80\/0\.00\/0\.20 +\| 0\.30\/0\.00\/0\.70 +\| 1\.00, -1\.00 +\| NE3 +\| 0\.10 +\|$/m,
    );
    expect(text).toMatch(
      /^\| mappo +\| mixing +\| – +\| 3 +\| 100 +\| 0\/3 +\| 0\.77\/0\.00\/0\.23 +\| 0\.32\/0\.00\/0\.68 +\| 2\.00, -2\.00 +\| 0\.23 +\| NE3 2 +\| 2\/3 +\| 1\/2 +\| 0\.05 +\|$/m,
    );
    expect(text).toContain(
      'mixing (matrix:different_order): target = Stackelberg equilibrium (0,0), payoffs 0.00, 5.00',
    );
    expect(text).toContain(
      '  NE3 mixed: agent 0 0.83/0.00/0.17, agent 1 0.29/0.00/0.71, payoffs -5.71, 4.17',
    );
  });
});
