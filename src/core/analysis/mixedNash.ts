/**
 * Nash equilibria of a small two-player bimatrix game in mixed strategies, by support enumeration
 * (the method of docs/spec/steer.md §c.5): for every pair of supports of equal size k, solve the
 * indifference conditions — each player's mix makes the other indifferent among the actions of its
 * support — and keep the solutions that are probabilities, positive on the whole support, and best
 * responses against every action outside it.
 *
 * Equal-size supports find every equilibrium of a nondegenerate game. In a degenerate game (ties
 * in best responses, e.g. the zeros of Penalty k) an equilibrium whose supports differ in size can
 * be missed, and a pair of supports whose indifference system is singular (a continuum of
 * equilibria) is skipped. Cost: Σ_k C(rows, k)·C(columns, k) solves of (k+1)×(k+1) systems, fine
 * for the 2×2 and 3×3 games of §c.2.
 */
import { type Bimatrix, type PayoffMatrix, pureNashEquilibria } from './stackelberg.js';

/** An equilibrium in mixed strategies (a pure one has supports of size 1). */
export interface MixedNash {
  /** Agent 0's (the row player's) probabilities over its actions. */
  readonly leader: readonly number[];
  /** Agent 1's (the column player's) probabilities over its actions. */
  readonly follower: readonly number[];
  /** [agent 0's, agent 1's] expected payoff. */
  readonly payoffs: readonly [number, number];
  /** True when both supports have one action. */
  readonly pure: boolean;
}

/** Probabilities at or below this count as zero (outside the support). */
const SUPPORT_EPSILON = 1e-9;
/** Pivots below this × the largest |payoff| (or 1) make a system singular. */
const PIVOT_EPSILON = 1e-12;
/** Best-response checks allow this × the largest |payoff| (or 1) of rounding. */
const PAYOFF_EPSILON = 1e-9;

/**
 * Every equilibrium support enumeration finds, ordered by support size, then by the leader's
 * support, then by the follower's (lexicographic over action indices). Throws on tables of
 * different shapes, as the pure-NE solver does.
 */
export function mixedNashEquilibria(game: Bimatrix): MixedNash[] {
  pureNashEquilibria(game); // validates the shape, naming the agent and row that differ
  const [leaderTable, followerTable] = game;
  const rows = leaderTable.length;
  const columns = leaderTable[0]!.length;
  const scale = Math.max(1, ...game.flatMap((table) => table.flatMap((row) => row.map(Math.abs))));
  const transposed = transpose(followerTable);
  const equilibria: MixedNash[] = [];
  for (let size = 1; size <= Math.min(rows, columns); size++) {
    for (const rowSupport of subsets(rows, size)) {
      for (const columnSupport of subsets(columns, size)) {
        // the follower's mix makes the leader indifferent over rowSupport, and the other way round
        const follower = indifferentMix(leaderTable, rowSupport, columnSupport, columns, scale);
        const leader = indifferentMix(transposed, columnSupport, rowSupport, rows, scale);
        if (follower === null || leader === null) continue;
        if (!isBestResponse(leaderTable, follower, rowSupport, scale)) continue;
        if (!isBestResponse(transposed, leader, columnSupport, scale)) continue;
        equilibria.push({
          leader,
          follower,
          payoffs: [expected(leaderTable, leader, follower), expected(followerTable, leader, follower)],
          pure: size === 1,
        });
      }
    }
  }
  return equilibria;
}

/** Σ_{a0,a1} x(a0)·y(a1)·table[a0][a1]. */
function expected(table: PayoffMatrix, x: readonly number[], y: readonly number[]): number {
  let sum = 0;
  x.forEach((p, a0) => {
    y.forEach((q, a1) => {
      sum += p * q * table[a0]![a1]!;
    });
  });
  return sum;
}

function transpose(table: PayoffMatrix): number[][] {
  return table[0]!.map((_, column) => table.map((row) => row[column]!));
}

/** The k-element subsets of 0..n−1, in lexicographic order. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first <= n - k; first++) {
    for (const rest of subsets(n - first - 1, k - 1)) out.push([first, ...rest.map((i) => i + first + 1)]);
  }
  return out;
}

/**
 * The mix over `ownSupport` (of `width` actions) that makes the opponent, whose payoffs are
 * `opponentTable[opponentAction][ownAction]`, indifferent over `opponentSupport`; null when the
 * system is singular or the solution is not a probability positive on the whole support.
 */
function indifferentMix(
  opponentTable: PayoffMatrix,
  opponentSupport: readonly number[],
  ownSupport: readonly number[],
  width: number,
  scale: number,
): number[] | null {
  const k = ownSupport.length;
  // unknowns: p over ownSupport, then the opponent's value u
  // equations: Σ_j table[i][j]·p_j − u = 0 for each i of opponentSupport; Σ_j p_j = 1
  const system = opponentSupport.map((i) => [...ownSupport.map((j) => opponentTable[i]![j]!), -1, 0]);
  system.push([...ownSupport.map(() => 1), 0, 1]);
  const solution = solve(system, scale);
  if (solution === null) return null;
  const mix = new Array<number>(width).fill(0);
  for (let s = 0; s < k; s++) {
    if (!(solution[s]! > SUPPORT_EPSILON)) return null;
    mix[ownSupport[s]!] = solution[s]!;
  }
  return mix;
}

/** Whether no action outside `support` pays more against `opponentMix` than the support's actions. */
function isBestResponse(
  table: PayoffMatrix,
  opponentMix: readonly number[],
  support: readonly number[],
  scale: number,
): boolean {
  const values = table.map((row) => row.reduce((sum, payoff, j) => sum + payoff * opponentMix[j]!, 0));
  const supportValue = Math.min(...support.map((i) => values[i]!));
  return values.every((value) => value <= supportValue + PAYOFF_EPSILON * scale);
}

/**
 * Solves the square system given as augmented rows [coefficients…, right-hand side] by Gaussian
 * elimination with partial pivoting; null when a pivot is below PIVOT_EPSILON × scale.
 */
function solve(augmented: number[][], scale: number): number[] | null {
  const n = augmented.length;
  const m = augmented.map((row) => [...row]);
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let r = column + 1; r < n; r++)
      if (Math.abs(m[r]![column]!) > Math.abs(m[pivot]![column]!)) pivot = r;
    if (Math.abs(m[pivot]![column]!) < PIVOT_EPSILON * scale) return null;
    [m[column], m[pivot]] = [m[pivot]!, m[column]!];
    const head = m[column]!;
    for (let r = 0; r < n; r++) {
      if (r === column) continue;
      const factor = m[r]![column]! / head[column]!;
      if (factor === 0) continue;
      for (let c = column; c <= n; c++) m[r]![c] = m[r]![c]! - factor * head[c]!;
    }
  }
  return m.map((row, r) => row[n]! / row[r]!);
}
