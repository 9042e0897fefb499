/**
 * A run's training config per algorithm (src/core/algos/algorithmConfig.ts): the multi-step
 * preset's leaderAdvantageScale (0.3, STEER's own timescale separation) reaches STEER and its four
 * ablations only; MAPPO, MAT, STEP and HAPPO get 1, so config.json records what their updates use;
 * an explicit value is applied as asked where the update can apply it and refused by HAPPO's; and
 * nothing else in the config depends on the algorithm.
 */
import { describe, expect, it } from 'vitest';
import { resolveAlgorithmConfig } from '../../../../src/core/algos/algorithmConfig.js';
import {
  NSTEP_LEADER_ADVANTAGE_SCALE,
  resolveTrainConfig,
  type TrainConfig,
} from '../../../../src/core/algos/config.js';
import { ALGORITHM_NAMES, ALGORITHMS } from '../../../../src/core/algos/registry.js';

const ENV = 'nstep:coordination';

/** The resolved leaderAdvantageScale of each algorithm on the multi-step preset, by hand. */
const EXPECTED_SCALE: Readonly<Record<string, number>> = {
  steer: NSTEP_LEADER_ADVANTAGE_SCALE,
  'steer-itb-mlp': NSTEP_LEADER_ADVANTAGE_SCALE,
  'steer-otb-gru': NSTEP_LEADER_ADVANTAGE_SCALE,
  'steer-itb-only': NSTEP_LEADER_ADVANTAGE_SCALE,
  'steer-otb-only': NSTEP_LEADER_ADVANTAGE_SCALE,
  mappo: 1,
  mat: 1,
  step: 1,
  happo: 1,
};

/** The config less the two keys that may differ between algorithms. */
function rest(c: TrainConfig): Partial<TrainConfig> {
  const { algo: _algo, leaderAdvantageScale: _scale, ...others } = c;
  return others;
}

describe('resolveAlgorithmConfig on nstep:coordination', () => {
  it('gives every algorithm of the registry its scale: the preset’s 0.3 for STEER and its ablations, 1 for the baselines', () => {
    expect([...ALGORITHM_NAMES].sort()).toEqual(Object.keys(EXPECTED_SCALE).sort());
    expect(NSTEP_LEADER_ADVANTAGE_SCALE).toBe(0.3);
    const steer = resolveAlgorithmConfig(ENV, {});
    for (const algo of ALGORITHM_NAMES) {
      const c = resolveAlgorithmConfig(ENV, { algo });
      expect(c.algo).toBe(algo);
      expect(c.leaderAdvantageScale, algo).toBe(EXPECTED_SCALE[algo]);
      expect(rest(c), algo).toEqual(rest(steer)); // nothing else depends on the algorithm
    }
  });

  it('leaves STEER’s config exactly as the algorithm-blind resolution gives it', () => {
    for (const algo of ['steer', 'steer-itb-only']) {
      for (const env of [ENV, 'matrix:penalty0', 'horm:density-1']) {
        expect(resolveAlgorithmConfig(env, { algo, seed: 3 })).toEqual(
          resolveTrainConfig(env, { algo, seed: 3 }),
        );
      }
    }
    expect(resolveAlgorithmConfig(ENV, {})).toEqual(resolveTrainConfig(ENV, {}));
  });

  it('applies an explicit value as asked where the shared update applies it (STEER, MAPPO, MAT, STEP)', () => {
    for (const algo of ['steer', 'mappo', 'mat', 'step', 'steer-otb-gru']) {
      expect(resolveAlgorithmConfig(ENV, { algo, leaderAdvantageScale: 0.3 }).leaderAdvantageScale).toBe(0.3);
      expect(resolveAlgorithmConfig(ENV, { algo, leaderAdvantageScale: 1 }).leaderAdvantageScale).toBe(1);
      expect(
        resolveAlgorithmConfig('matrix:penalty0', { algo, leaderAdvantageScale: 0.5 }).leaderAdvantageScale,
      ).toBe(0.5);
    }
  });

  it('refuses a value other than 1 for HAPPO in one line naming the key, and takes 1', () => {
    expect(ALGORITHMS.happo!.leaderAdvantageScale).toBe('never');
    expect(ALGORITHMS.happo!.update).toBeDefined(); // its own update: no shared advantage path
    expect(resolveAlgorithmConfig(ENV, { algo: 'happo', leaderAdvantageScale: 1 }).leaderAdvantageScale).toBe(
      1,
    );
    expect(() => resolveAlgorithmConfig(ENV, { algo: 'happo', leaderAdvantageScale: 0.3 })).toThrow(
      "Invalid training configuration:\nconfig.leaderAdvantageScale: happo's update has no leader whose " +
        'advantages it could scale; expected 1, received 0.3',
    );
  });

  it('the algorithms taking the preset’s value run the shared update (ppoUpdate applies it)', () => {
    for (const algo of ALGORITHM_NAMES) {
      const a = ALGORITHMS[algo]!;
      if (a.leaderAdvantageScale !== 'never') expect(a.update, algo).toBeUndefined();
    }
  });

  it('keeps refusing what the schema refuses, and unknown algorithms with the registry’s list', () => {
    expect(() => resolveAlgorithmConfig(ENV, { algo: 'mappo', leaderAdvantageScale: 0 })).toThrow(
      /config\.leaderAdvantageScale/,
    );
    expect(() => resolveAlgorithmConfig(ENV, { algo: 'nope' })).toThrow(/unknown algorithm "nope"/);
    expect(() => resolveAlgorithmConfig(ENV, { algo: 3 as unknown as string })).toThrow(/config\.algo/);
  });
});
