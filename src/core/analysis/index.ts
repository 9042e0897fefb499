/** Public surface of the game-theoretic analysis helpers (docs/spec/steer.md §c.5). */

export { bimatrixOf } from './bimatrixOf.js';
export type { ConditionalPolicy } from './conditionalPolicy.js';
export { conditionalPolicy } from './conditionalPolicy.js';
export type { JointPolicy, PolicyState } from './jointPolicy.js';
export { jointPolicy } from './jointPolicy.js';
export type { MixedNash } from './mixedNash.js';
export { mixedNashEquilibria } from './mixedNash.js';
export type { Bimatrix, GameCell, PayoffMatrix, PureNash, StackelbergSolution } from './stackelberg.js';
export {
  followerBestResponse,
  payoffSumOptima,
  pureNashEquilibria,
  stackelbergEquilibrium,
} from './stackelberg.js';
