/**
 * What the analysis needs to know of a single-step matrix game (docs/spec/steer.md §c.2, §c.5): its
 * bimatrix, the Stackelberg equilibrium with agent 0 leading (Table 1's target cell, §c.7) and its
 * Nash equilibria by support enumeration.
 */
import {
  type Bimatrix,
  bimatrixOf,
  type GameCell,
  type MixedNash,
  mixedNashEquilibria,
  stackelbergEquilibrium,
} from '../../core/analysis/index.js';
import { MatrixGame } from '../../core/envs/matrix/index.js';
import { makeEnv } from '../../core/envs/registry.js';
import { table1GameFor } from '../train/evaluate.js';

/** A two-agent single-step matrix game, analysed. */
export interface MatrixGameInfo {
  /** Canonical registry name, e.g. "matrix:different_order". */
  readonly env: string;
  /** Short name: the Table 1 key ("mixing", "penalty-100") or the game's name. */
  readonly label: string;
  readonly bimatrix: Bimatrix;
  /** The Stackelberg equilibrium with agent 0 leading: Table 1's target in its games (§c.7). */
  readonly target: GameCell;
  /** Every Nash equilibrium support enumeration finds, pure ones first. */
  readonly equilibria: readonly MixedNash[];
}

/** A registry env that is not a two-agent single-step matrix game. */
export class NotMatrixGameError extends Error {
  override readonly name = 'NotMatrixGameError';
}

/**
 * The game of registry env `envName` (aliases accepted); throws NotMatrixGameError for any other
 * env family or a game of more than two agents.
 */
export function matrixGameInfo(envName: string): MatrixGameInfo {
  if (!envName.startsWith('matrix:')) {
    const kind = envName.startsWith('nstep:') ? 'a multi-step matrix game' : 'not a matrix game';
    throw new NotMatrixGameError(
      `trained on ${envName}, ${kind}; this analysis reads single-step matrix games (matrix:…) only`,
    );
  }
  const env = makeEnv(envName);
  if (!(env instanceof MatrixGame) || env.spec.numAgents !== 2 || env.spec.episodeLimit !== 1) {
    throw new NotMatrixGameError(
      `trained on ${envName}, a game of ${env.spec.numAgents} agents; this analysis needs two`,
    );
  }
  const bimatrix = bimatrixOf(env.game);
  const name = env.spec.name;
  const stackelberg = stackelbergEquilibrium(bimatrix);
  return {
    env: name,
    label: table1GameFor(name)?.key ?? env.game.name,
    bimatrix,
    target: { actions: stackelberg.actions, payoffs: stackelberg.payoffs },
    equilibria: mixedNashEquilibria(bimatrix),
  };
}
