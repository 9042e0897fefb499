/** Public surface of the matrix-game benchmarks (docs/spec/steer.md §c). */

export { assertDiscreteActions } from './discreteActions.js';
export type { MatrixGameSnapshot } from './matrixGame.js';
export { MATRIX_ENV_PREFIX, MatrixGame } from './matrixGame.js';
export type { NStepScenario, NStepSnapshot, StageMatrix } from './nstepMatrixGame.js';
export {
  NSTEP_ENV_PREFIX,
  NSTEP_EPISODE_LIMIT,
  NSTEP_OBS_DIM,
  NSTEP_SCENARIOS,
  NStepMatrixGame,
  stageGame,
} from './nstepMatrixGame.js';
export type { MatrixGameTable, PayoffTensor } from './payoffs.js';
export { findMatrixGame, MATRIX_GAME_ALIASES, MATRIX_GAMES, matrixGameNames } from './payoffs.js';
export type { Table1Game } from './targets.js';
export { TABLE1_GAMES } from './targets.js';
