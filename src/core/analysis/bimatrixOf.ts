/**
 * A two-agent matrix game's payoff tables (docs/spec/steer.md §c.2) as the bimatrix the solvers of
 * this folder read.
 */
import type { MatrixGameTable, PayoffTensor } from '../envs/matrix/index.js';
import type { Bimatrix, PayoffMatrix } from './stackelberg.js';

/** The game's [agent 0's, agent 1's] table; refuses games of other than two agents. */
export function bimatrixOf(game: MatrixGameTable): Bimatrix {
  if (game.numAgents !== 2 || game.payoff.length !== 2) {
    throw new Error(`${game.name}: a bimatrix needs a two-agent game, this one has ${game.numAgents} agents`);
  }
  return [matrixOf(game, 0), matrixOf(game, 1)];
}

/** Agent `agent`'s table, checked to be rows of numbers. */
function matrixOf(game: MatrixGameTable, agent: 0 | 1): PayoffMatrix {
  const table = game.payoff[agent]!;
  const isRow = (row: PayoffTensor): row is readonly number[] =>
    typeof row !== 'number' && row.every((entry) => typeof entry === 'number');
  if (typeof table === 'number' || !table.every(isRow)) {
    throw new Error(`${game.name}: payoff[${agent}]: expected rows of numbers`);
  }
  return table;
}
