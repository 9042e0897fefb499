/** Public surface of the continuous-action games (targetGame.ts; docs/algos/README.md). */

export { clipContinuousActions } from './continuousActions.js';
export type { TargetGameSnapshot } from './targetGame.js';
export {
  CONTINUOUS_ENV_PREFIX,
  CONTINUOUS_GAMES,
  TARGET_ACTION_DIM,
  TARGET_ACTION_SPACE,
  TARGET_AIMS,
  TargetGame,
} from './targetGame.js';
