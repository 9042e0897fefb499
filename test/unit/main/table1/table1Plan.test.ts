import { describe, expect, it } from 'vitest';
import { TABLE1_GAMES } from '../../../../src/core/envs/matrix/targets.js';
import { planTable1 } from '../../../../src/main/table1/table1Plan.js';
import { threadsPerJob } from '../../../../src/main/workers/steerChildren.js';

describe('threadsPerJob', () => {
  it('splits the cores evenly among the jobs running at once, at least one thread each', () => {
    expect(threadsPerJob(1, 2)).toBe(2);
    expect(threadsPerJob(2, 2)).toBe(1);
    expect(threadsPerJob(3, 2)).toBe(1);
    expect(threadsPerJob(2, 8)).toBe(4);
    expect(threadsPerJob(3, 8)).toBe(2);
  });
});

describe('planTable1', () => {
  const games = TABLE1_GAMES.filter((g) => g.key === 'penalty0' || g.key === 'mixing');

  it('plans every algorithm × game × seed, seed-major, each in a folder of its own', () => {
    const jobs = planTable1(['steer', 'mappo'], games, 2, 'runs/t');
    expect(jobs.map((j) => `${j.seed} ${j.algo} ${j.game.key} ${j.runDir}`)).toEqual([
      '1 steer penalty0 runs/t/steer/penalty0/seed-1',
      '1 steer mixing runs/t/steer/mixing/seed-1',
      '1 mappo penalty0 runs/t/mappo/penalty0/seed-1',
      '1 mappo mixing runs/t/mappo/mixing/seed-1',
      '2 steer penalty0 runs/t/steer/penalty0/seed-2',
      '2 steer mixing runs/t/steer/mixing/seed-2',
      '2 mappo penalty0 runs/t/mappo/penalty0/seed-2',
      '2 mappo mixing runs/t/mappo/mixing/seed-2',
    ]);
  });

  it("names an algorithm's runs the same whatever else is run beside it, so a batch can grow", () => {
    const alone = planTable1(['steer'], games, 3, 'runs/t').map((j) => j.runDir);
    const together = planTable1(['mappo', 'steer', 'step'], games, 3, 'runs/t');
    expect(together.filter((j) => j.algo === 'steer').map((j) => j.runDir)).toEqual(alone);
    expect(new Set(together.map((j) => j.runDir)).size).toBe(together.length);
  });
});
