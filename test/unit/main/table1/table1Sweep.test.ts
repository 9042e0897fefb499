import { describe, expect, it } from 'vitest';
import { totalUpdates } from '../../../../src/core/algos/config.js';
import { TABLE1_GAMES } from '../../../../src/core/envs/matrix/targets.js';
import { SweepRunSchema } from '../../../../src/main/sweep/index.js';
import { batchSweepName } from '../../../../src/main/sweep/sweepBatch.js';
import { planTable1 } from '../../../../src/main/table1/table1Plan.js';
import { table1SweepRuns } from '../../../../src/main/table1/table1Sweep.js';
import { planTrainConfig } from '../../../../src/main/train/runPlan.js';

describe('table1SweepRuns', () => {
  const games = TABLE1_GAMES.filter((g) => g.key === 'penalty0' || g.key === 'coordination');

  it("keeps table1's folders, takes the sweep ids and each algorithm's preset budget for the game", () => {
    const jobs = planTable1(['steer', 'mappo'], games, 1, 'runs/t');
    const runs = table1SweepRuns(jobs, {}, 't', 'runs/t');
    expect(runs.map((r) => `${r.id} ${r.runDir}`)).toEqual([
      'steer/matrix-penalty0/seed-1 runs/t/steer/penalty0/seed-1',
      'steer/nstep-coordination/seed-1 runs/t/steer/coordination/seed-1',
      'mappo/matrix-penalty0/seed-1 runs/t/mappo/penalty0/seed-1',
      'mappo/nstep-coordination/seed-1 runs/t/mappo/coordination/seed-1',
    ]);
    for (const run of runs) {
      expect(SweepRunSchema.safeParse(run).success).toBe(true); // what a queue job carries
      expect(run.updates).toBe(totalUpdates(planTrainConfig(run.env!, { algo: run.algo }, run.seed)));
    }
    // the one-step and the n-step games have presets of their own
    expect(runs[0]!.updates).not.toBe(runs[1]!.updates);
  });

  it('gives every run the request: --updates, --set overrides (hashed into the id), reference quirks', () => {
    const jobs = planTable1(['steer'], games.slice(0, 1), 2, 'runs/t');
    const runs = table1SweepRuns(
      jobs,
      { updates: 3, overrides: { ppoEpochs: 2 }, referenceQuirks: true },
      't',
      'runs/t',
    );
    expect(runs.map((r) => r.updates)).toEqual([3, 3]);
    expect(runs[0]!.overrides).toEqual({ ppoEpochs: 2 });
    expect(runs[0]!.referenceQuirks).toBe(true);
    expect(runs[0]!.id).toMatch(/^steer\/matrix-penalty0\/set-[0-9a-f]{8}\/seed-1$/);
    expect(runs[0]!.runDir).toBe('runs/t/steer/penalty0/seed-1'); // the folder does not move
  });
});

describe('batchSweepName', () => {
  it("names a command's batch after its runs folder, as a name the queue takes", () => {
    expect(batchSweepName('runs/table1-all-multistep', 'table1')).toBe('table1-all-multistep');
    expect(batchSweepName('/abs/my runs:1/', 'table1')).toBe('my-runs-1');
    expect(batchSweepName('..', 'compare')).toBe('compare');
    expect(batchSweepName('.', 'compare')).toBe('compare');
  });
});
