/** Public surface of the game-theoretic analysis helpers (docs/spec/steer.md §c.5). */

export type { Bimatrix, GameCell, PayoffMatrix, PureNash, StackelbergSolution } from './stackelberg.js';
export {
  followerBestResponse,
  payoffSumOptima,
  pureNashEquilibria,
  stackelbergEquilibrium,
} from './stackelberg.js';
