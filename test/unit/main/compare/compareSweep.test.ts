import { describe, expect, it } from 'vitest';
import { planCompare } from '../../../../src/main/compare/comparePlan.js';
import { compareSweepRuns } from '../../../../src/main/compare/compareSweep.js';
import { SweepRunSchema } from '../../../../src/main/sweep/index.js';
import { RUN_DEFAULTS } from '../../../../src/main/train/runPlan.js';

describe('compareSweepRuns', () => {
  it("keeps compare's folders and order, with sweep ids, on a registry env", () => {
    const runs = compareSweepRuns({
      algos: ['steer', 'mappo'],
      seeds: 2,
      updates: 5,
      overrides: {},
      target: 'matrix:penalty-100',
      runsDir: 'runs/c',
    });
    const jobs = planCompare(['steer', 'mappo'], 2, 'runs/c');
    expect(runs.map((r) => r.runDir)).toEqual(jobs.map((j) => j.runDir));
    expect(runs.map((r) => r.id)).toEqual([
      'steer/matrix-penalty-100/seed-1',
      'mappo/matrix-penalty-100/seed-1',
      'steer/matrix-penalty-100/seed-2',
      'mappo/matrix-penalty-100/seed-2',
    ]);
    for (const run of runs) {
      expect(SweepRunSchema.safeParse(run).success).toBe(true);
      expect(run).toMatchObject({
        env: 'matrix:penalty-100',
        scenario: null,
        updates: 5,
        evaluation: null,
        sweep: 'c',
      });
    }
  });

  it("a scenario at a density: the sweep's scenario entry and the training-time evaluation of `steer train`", () => {
    const [run] = compareSweepRuns({
      algos: ['mat'],
      seeds: 1,
      updates: 150,
      overrides: { ppoEpochs: 2 },
      target: { file: 'scenarios/horm-easy.json', density: 2 },
      runsDir: 'runs/compare-horm',
    });
    expect(run).toMatchObject({
      id: expect.stringMatching(/^mat\/horm-easy-density-2\/set-[0-9a-f]{8}\/seed-1$/),
      env: null,
      scenario: { file: 'scenarios/horm-easy.json', density: 2 },
      evaluation: {
        every: RUN_DEFAULTS.trainingEvaluation.every,
        episodes: RUN_DEFAULTS.trainingEvaluation.episodes,
      },
      runDir: 'runs/compare-horm/mat/seed-1',
      overrides: { ppoEpochs: 2 },
    });
    expect(SweepRunSchema.safeParse(run).success).toBe(true);
  });
});
