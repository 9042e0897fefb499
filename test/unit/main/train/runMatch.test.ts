import { describe, expect, it } from 'vitest';
import { resolveTrainConfig, type TrainConfig } from '../../../../src/core/algos/config.js';
import { newRunConfig, RunConfigSchema } from '../../../../src/main/train/runDir.js';
import { firstRunDifference, type PlannedRun } from '../../../../src/main/train/runMatch.js';
import { planTrainConfig } from '../../../../src/main/train/runPlan.js';

const ENV = 'matrix:penalty0';

/** config.json of a saved run, as read back (through the stored schema). */
function saved(overrides: Partial<TrainConfig> = {}, updates = 4) {
  const train = resolveTrainConfig(ENV, { seed: 1, numEnvs: 1, episodeLength: 4, ...overrides }, { updates });
  return RunConfigSchema.parse(
    JSON.parse(JSON.stringify(newRunConfig({ env: ENV, train, checkpointEvery: 10 }))),
  );
}

/** What a batch plans, as compare and table1 plan it. */
function planned(overrides: Record<string, unknown> = {}, updates = 4, algo = 'steer'): PlannedRun {
  const request = { algo, updates, overrides: { numEnvs: 1, episodeLength: 4, ...overrides } };
  return { env: ENV, updates, train: planTrainConfig(ENV, request, 1) };
}

describe('firstRunDifference', () => {
  it('finds nothing between a saved run and the same plan (the config survives config.json)', () => {
    expect(firstRunDifference(saved(), planned())).toBeNull();
    expect(firstRunDifference(saved({ maxGradNorm: null }), planned({ maxGradNorm: null }))).toBeNull();
  });

  it('names the first training-config field that differs, saved value first', () => {
    expect(firstRunDifference(saved(), planned({ entropyCoef: 0.05 }))).toBe('entropyCoef 0.2, not 0.05');
    expect(firstRunDifference(saved({ ppoEpochs: 1 }), planned())).toBe('ppoEpochs 1, not 5');
    expect(firstRunDifference(saved(), planned({ gradientShards: 1 }))).toBe('gradientShards 2, not 1');
    expect(firstRunDifference(saved(), planned({ maxGradNorm: null }))).toBe('maxGradNorm 10, not null');
    expect(firstRunDifference(saved(), planned({ valueLoss: 'mse' }))).toBe('valueLoss huber, not mse');
  });

  it('says algorithm, env, seed and updates by name, before the other fields', () => {
    expect(firstRunDifference(saved(), planned({ lr: 1e-3 }, 4, 'mappo'))).toBe('algorithm steer, not mappo');
    expect(firstRunDifference(saved(), { ...planned(), env: 'matrix:penalty-100' })).toBe(
      'env matrix:penalty0, not matrix:penalty-100',
    );
    const otherSeed = planned();
    expect(firstRunDifference(saved(), { ...otherSeed, train: { ...otherSeed.train, seed: 3 } })).toBe(
      'seed 1, not 3',
    );
    // another budget changes totalEnvSteps too: it is named as the updates
    expect(firstRunDifference(saved(), planned({}, 6))).toBe('updates 4, not 6');
  });
});
