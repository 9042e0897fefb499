/**
 * A tiny solver for two-player bimatrix games: pure Nash equilibria, the Stackelberg equilibrium with
 * agent 0 leading, and the payoff-sum optimum (the method of docs/spec/steer.md §c.5; acceptance check §g.7).
 *
 * A game is [agent 0's table, agent 1's table], each indexed [a_0][a_1] (rows = leader's action,
 * columns = follower's), the same layout as the matrix envs' payoffs (§c.2).
 */

/** One agent's payoffs, rows = agent 0's action, columns = agent 1's action. */
export type PayoffMatrix = readonly (readonly number[])[];

/** A two-player game: [agent 0's payoffs, agent 1's payoffs]. */
export type Bimatrix = readonly [PayoffMatrix, PayoffMatrix];

/** A joint action and what it pays each agent. */
export interface GameCell {
  /** [a_0, a_1]. */
  readonly actions: readonly [number, number];
  /** [agent 0's payoff, agent 1's payoff]. */
  readonly payoffs: readonly [number, number];
}

/** A pure Nash equilibrium. */
export interface PureNash extends GameCell {
  /** True when every unilateral deviation loses strictly; false when some deviation ties (weak NE). */
  readonly strict: boolean;
}

/** The Stackelberg equilibrium with agent 0 leading. */
export interface StackelbergSolution extends GameCell {
  /** Follower's best response to each leader action, indexed by a_0. */
  readonly bestResponses: readonly number[];
}

/** Checks that both tables have the same rows × columns shape; returns [rows, columns]. */
function shapeOf(game: Bimatrix): [number, number] {
  const rows = game[0].length;
  const columns = game[0][0]?.length ?? 0;
  if (rows === 0 || columns === 0) throw new Error('bimatrix: expected at least one row and one column');
  for (let agent = 0; agent < 2; agent++) {
    const table = game[agent as 0 | 1];
    if (table.length !== rows) {
      throw new Error(`bimatrix: agent ${agent}: expected ${rows} rows, received ${table.length}`);
    }
    table.forEach((row, a0) => {
      if (row.length !== columns) {
        throw new Error(
          `bimatrix: agent ${agent} row ${a0}: expected ${columns} columns, received ${row.length}`,
        );
      }
    });
  }
  return [rows, columns];
}

function cell(game: Bimatrix, a0: number, a1: number): GameCell {
  return { actions: [a0, a1], payoffs: [game[0][a0]![a1]!, game[1][a0]![a1]!] };
}

/**
 * All pure Nash equilibria in row-major order: cells where neither agent gains by a unilateral
 * switch (§c.5), each flagged strict or weak.
 */
export function pureNashEquilibria(game: Bimatrix): PureNash[] {
  const [rows, columns] = shapeOf(game);
  const [leader, follower] = game;
  const equilibria: PureNash[] = [];
  for (let a0 = 0; a0 < rows; a0++) {
    for (let a1 = 0; a1 < columns; a1++) {
      let isNash = true;
      let strict = true;
      for (let other = 0; other < rows && isNash; other++) {
        if (other === a0) continue;
        const gain = leader[other]![a1]! - leader[a0]![a1]!;
        if (gain > 0) isNash = false;
        else if (gain === 0) strict = false;
      }
      for (let other = 0; other < columns && isNash; other++) {
        if (other === a1) continue;
        const gain = follower[a0]![other]! - follower[a0]![a1]!;
        if (gain > 0) isNash = false;
        else if (gain === 0) strict = false;
      }
      if (isNash) equilibria.push({ ...cell(game, a0, a1), strict });
    }
  }
  return equilibria;
}

/** Index of the largest value; ties go to the lowest index. */
function argmaxLowest(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/**
 * The follower's (agent 1's) best response to leader action `a0`. Ties go to the lowest action index:
 * neither the optimistic nor the pessimistic SE convention, but deterministic, and every game of
 * §c.5 has unique best responses so the choice does not matter there.
 */
export function followerBestResponse(game: Bimatrix, a0: number): number {
  const [rows] = shapeOf(game);
  if (!Number.isInteger(a0) || a0 < 0 || a0 >= rows) {
    throw new Error(`bimatrix: leader action: expected an integer in 0..${rows - 1}, received ${a0}`);
  }
  return argmaxLowest(game[1][a0]!);
}

/**
 * Stackelberg equilibrium with agent 0 leading (§c.5): for each leader action take the follower's
 * best response, then the leader picks the action whose response pays it most. Ties, for the
 * follower and for the leader, go to the lowest action index.
 */
export function stackelbergEquilibrium(game: Bimatrix): StackelbergSolution {
  const [rows] = shapeOf(game);
  const bestResponses = Array.from({ length: rows }, (_, a0) => followerBestResponse(game, a0));
  const leaderValues = bestResponses.map((a1, a0) => game[0][a0]![a1]!);
  const a0 = argmaxLowest(leaderValues);
  return { ...cell(game, a0, bestResponses[a0]!), bestResponses };
}

/** Every cell with the maximum payoff sum (the "global optimum" of §c.5), in row-major order. */
export function payoffSumOptima(game: Bimatrix): GameCell[] {
  const [rows, columns] = shapeOf(game);
  let bestSum = Number.NEGATIVE_INFINITY;
  let optima: GameCell[] = [];
  for (let a0 = 0; a0 < rows; a0++) {
    for (let a1 = 0; a1 < columns; a1++) {
      const candidate = cell(game, a0, a1);
      const sum = candidate.payoffs[0] + candidate.payoffs[1];
      if (sum > bestSum) {
        bestSum = sum;
        optima = [candidate];
      } else if (sum === bestSum) {
        optima.push(candidate);
      }
    }
  }
  return optima;
}
