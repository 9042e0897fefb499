/**
 * The training config of a run of one algorithm: config.ts's resolveTrainConfig (defaults ← the env
 * family's preset ← overrides), except that a preset key which is one of STEER's own mechanisms
 * reaches only the algorithms the registry says take it. Today that is `leaderAdvantageScale`
 * (MarlAlgorithm.leaderAdvantageScale): the multi-step preset's 0.3 is STEER Studio's timescale
 * separation for STEER's leader (docs/steer.md), so MAPPO, MAT, STEP and HAPPO run with 1 unless
 * the overrides give a value. The resolved config (a run's config.json) records what was used.
 */
import { DEFAULT_TRAIN_CONFIG, resolveTrainConfig, type TrainConfig } from './config.js';
import { algorithmNamed } from './registry.js';

/**
 * The training config of a run on `envName` with `overrides` (their `algo`, else "steer"), for its
 * algorithm; `budget` as in resolveTrainConfig. An unknown algorithm is refused with the registry's
 * list; a leader advantage scale other than 1 for an algorithm that cannot apply it is refused in
 * one line naming the key.
 */
export function resolveAlgorithmConfig(
  envName: string,
  overrides: Partial<TrainConfig>,
  budget: { readonly updates?: number | undefined } = {},
): TrainConfig {
  const name = overrides.algo ?? DEFAULT_TRAIN_CONFIG.algo;
  if (typeof name !== 'string') return resolveTrainConfig(envName, overrides, budget); // the schema's to refuse
  const algorithm = algorithmNamed(name);
  const set = Object.hasOwn(overrides, 'leaderAdvantageScale');
  const scale = overrides.leaderAdvantageScale;
  if (algorithm.leaderAdvantageScale === 'never' && set && scale !== 1) {
    throw new Error(
      'Invalid training configuration:\nconfig.leaderAdvantageScale: ' +
        `${name}'s update has no leader whose advantages it could scale; expected 1, received ${String(scale)}`,
    );
  }
  const fromPreset = algorithm.leaderAdvantageScale === 'preset' || set;
  return resolveTrainConfig(
    envName,
    fromPreset
      ? overrides
      : { leaderAdvantageScale: DEFAULT_TRAIN_CONFIG.leaderAdvantageScale, ...overrides },
    budget,
  );
}
